/**
 * The runbook workflow: the loop over phases, the operator handlers, the gate book, rollback, the history bound and
 * the search attributes. Nothing else depends on this package. Internal.
 */
package org.runbooks.runbook;
