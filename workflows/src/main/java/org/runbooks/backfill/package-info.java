/**
 * The backfill step: its activity interface and payloads, and the scheduler that drives a copy as bounded slices.
 * Internal, except what {@code api} re-exports.
 */
package org.runbooks.backfill;
