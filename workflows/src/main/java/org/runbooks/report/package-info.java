/**
 * The runbook as told afterwards and along the way: timeline, metrics, automatic notifications and the migration
 * report (its activity interface and payload). Internal.
 */
package org.runbooks.report;
