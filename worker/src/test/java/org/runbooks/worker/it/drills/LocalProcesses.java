package org.runbooks.worker.it.drills;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the drills that run their own servers need from the operating system: free loopback ports, and commands run to
 * completion. PostgreSQL refuses to run as root, so as root its commands run as the {@code postgres} user, as
 * {@code scripts/services.sh} does.
 */
final class LocalProcesses {

    private LocalProcesses() {
    }

    /** A TCP port on 127.0.0.1 that nothing listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs {@code command} as the {@code postgres} user when we are root, as ourselves otherwise. */
    static String runAsPostgres(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        return run(full);
    }

    /** Runs {@code command} from / and returns its output; fails with the output when it exits non-zero. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(new java.io.File("/")).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 2 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + out);
        }
        return out;
    }
}
