package org.runbooks.worker.it.drills;

import java.util.Random;

/**
 * Where a drill's random moments come from: a seed, printed with the drill's figures, that
 * {@code -Drunbooks.drills.seed=N} sets to replay a run's moments.
 */
final class KillMoments {

    final long seed = Long.getLong("runbooks.drills.seed", new Random().nextLong());
    final Random random = new Random(seed);

    /** A whole number from 0 up to, not including, {@code bound}. */
    int next(int bound) {
        return random.nextInt(bound);
    }

    /**
     * Lets a random moment of up to {@code maxMillis} pass: the point is to land a SIGKILL anywhere in what the
     * worker is doing, so there is no condition to poll for.
     */
    void pause(int maxMillis) throws InterruptedException {
        Thread.sleep(random.nextInt(maxMillis));
    }
}
