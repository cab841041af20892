package org.runbooks.worker.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Temporal CLI the way an operator does, with {@code TEMPORAL_ADDRESS} pointing at the test server.
 * Commands are written as in README, one string each, and split like a shell would split them.
 */
public final class TemporalCli {

    private final Path cli;
    private final String address;
    private final Map<String, String> env;

    public TemporalCli(TestServices services) {
        this(services.temporalCli(), services.temporalAddress());
    }

    /** The CLI at {@code cli} talking to the server at {@code address}, such as a server a test started itself. */
    public TemporalCli(Path cli, String address) {
        this(cli, address, Map.of());
    }

    /** As {@link #TemporalCli(Path, String)}, with more environment variables (TLS, a profile file) set. */
    public TemporalCli(Path cli, String address, Map<String, String> env) {
        this.cli = cli;
        this.address = address;
        this.env = Map.copyOf(env);
    }

    /** Runs {@code command} (starting with {@code temporal}), asserts it succeeded and returns its standard output. */
    public String run(String command) {
        Result result = tryRun(command);
        if (result.exitCode() != 0) {
            throw new AssertionError("`" + command + "` exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    public Result tryRun(String command) {
        List<String> args = split(command);
        if (!args.get(0).equals("temporal")) {
            throw new IllegalArgumentException("not a temporal command: " + command);
        }
        args.set(0, cli.toString());
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("TEMPORAL_ADDRESS", address);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("`" + command + "` did not finish in 2 minutes");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the Temporal CLI at " + cli + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Splits on spaces outside single quotes, as a POSIX shell does for the commands README shows. */
    static List<String> split(String command) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char ch : command.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
                inWord = true;
            } else if (ch == ' ' && !quoted) {
                if (inWord) {
                    args.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(ch);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced quote in: " + command);
        }
        if (inWord) {
            args.add(current.toString());
        }
        return args;
    }

    public record Result(int exitCode, String output) {
    }
}
