package org.runbooks.saga;

import org.junit.jupiter.api.Test;
import org.runbooks.api.Compensation;
import org.runbooks.api.PendingCompensation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga's book-keeping as plain state (running the compensations needs a workflow: the workflow tests run them):
 * each compensation once, in registration order, with its domain, across a continue-as-new.
 */
class SagaTest {

    @Test
    void aCompensationAnnouncedAgainByARetriedStepIsRegisteredOnce() {
        Saga saga = new Saga();
        saga.register(new Compensation.Irreversible("a"), "orders");
        saga.register(new Compensation.Irreversible("b"));
        saga.register(new Compensation.Irreversible("a"), "orders");

        assertThat(saga.registered()).containsExactly(new Compensation.Irreversible("a"),
                new Compensation.Irreversible("b"));
    }

    @Test
    void pendingCompensationsKeepTheirOrderAndDomainsAcrossARestore() {
        Saga saga = new Saga();
        saga.register(new Compensation.Irreversible("a"), "orders");
        saga.register(new Compensation.Irreversible("b"), null);
        saga.register(new Compensation.Irreversible("c"), "customers");

        Saga next = new Saga();
        next.restore(saga.pending());

        assertThat(next.pending()).containsExactly(
                new PendingCompensation(new Compensation.Irreversible("a"), "orders"),
                new PendingCompensation(new Compensation.Irreversible("b"), null),
                new PendingCompensation(new Compensation.Irreversible("c"), "customers"));
    }
}
