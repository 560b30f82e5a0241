/**
 * The service's HTTP endpoint: health for service managers, status as JSON, metrics for
 * Prometheus. Read-only; the dashboard of DESIGN's web component is not built yet.
 */
package org.channelmirror.web;
