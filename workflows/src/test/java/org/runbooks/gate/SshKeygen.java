package org.runbooks.gate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stock OpenSSH's ssh-keygen, run as an approver would: makes keys and signs statements. */
public final class SshKeygen {

    private final Path dir;

    public SshKeygen(Path dir) {
        this.dir = dir;
    }

    /** Makes a key without a passphrase; returns the private key's path. */
    public Path key(String name, String type, int bits) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f",
                key.toString()));
        if (bits > 0) {
            command.addAll(List.of("-b", Integer.toString(bits)));
        }
        run(command, null);
        return key;
    }

    /** {@code "<type> <base64>"} of a key made by {@link #key}. */
    public String publicKey(Path key) throws IOException {
        String[] parts = Files.readString(Path.of(key + ".pub")).trim().split("\\s+");
        return parts[0] + " " + parts[1];
    }

    /** {@code printf '%s' statement | ssh-keygen -Y sign -f key -n namespace}: the armored signature. */
    public String sign(Path key, String namespace, String statement) throws IOException, InterruptedException {
        return run(List.of("ssh-keygen", "-Y", "sign", "-f", key.toString(), "-n", namespace), statement);
    }

    private static String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + err);
        }
        return out;
    }
}
