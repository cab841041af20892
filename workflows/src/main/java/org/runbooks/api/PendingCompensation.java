package org.runbooks.api;

/**
 * A registered compensation that has not run yet, with the domain of the phase that registered it (null outside any
 * domain). The runbook carries these across continue-as-new, so a rollback in a later run still undoes what an
 * earlier run did.
 */
public record PendingCompensation(Compensation compensation, String domain) {
}
