/**
 * The service's HTTP endpoint: the dashboard (an installable web app of plain JavaScript over the
 * JSON below), health for service managers, status as JSON, metrics for Prometheus. Read-only.
 */
package org.channelmirror.web;
