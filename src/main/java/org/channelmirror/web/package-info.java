/**
 * The service's HTTP endpoint: health for service managers and status as JSON. Read-only; the
 * dashboard and metrics of DESIGN's web component are not built yet.
 */
package org.channelmirror.web;
