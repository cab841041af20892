package org.runbooks.worker.cli;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import org.runbooks.worker.DemoData;

/**
 * The subcommands must change no data, so in the {@code cli} environment the demo seeding (which creates and fills
 * tables at start-up) is replaced by this listener, which does nothing.
 */
@Singleton
@Requires(env = Environment.CLI)
@Replaces(DemoData.class)
final class NoDemoDataInCli implements ApplicationEventListener<StartupEvent> {

    @Override
    public void onApplicationEvent(StartupEvent event) {
        // Deliberately empty: see the class comment.
    }
}
