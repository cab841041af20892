/**
 * The phase workflow: runs each step of one phase in order and hands the runbook its events. Nothing else depends on
 * this package. Internal.
 */
package org.runbooks.phase;
