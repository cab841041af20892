package org.runbooks.gate;

import org.runbooks.api.ApproverKey;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an OpenSSH allowed-signers file, the format {@code ssh-keygen -Y verify -f} and git's
 * {@code gpg.ssh.allowedSignersFile} use: per line, comma-separated principals, optional options, the key type and
 * the base64 key, then an optional comment. Blank lines and {@code #} comments are skipped. A principal is an
 * approver's name, matched exactly: wildcard patterns would let one line sign as anyone, so they are refused, as are
 * certificate authorities and validity windows, which this reader does not check. A {@code namespaces="..."} option
 * is honoured: a key limited to other namespaces is left out.
 */
public final class AllowedSigners {

    private static final Pattern OPTION = Pattern.compile("([A-Za-z-]+)(?:=\"([^\"]*)\")?");

    private AllowedSigners() {
    }

    /** Every key of the file, or an error naming the line and what is wrong with it. */
    public static List<ApproverKey> parse(String text, String source) {
        List<ApproverKey> keys = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.addAll(line(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return keys;
    }

    private static List<ApproverKey> line(String line) {
        String[] fields = line.split("\\s+");
        String principals = fields[0];
        int next = 1;
        boolean inNamespace = true;
        if (fields.length > next && !SshPublicKey.TYPES.contains(fields[next]) && !fields[next].startsWith("sk-")) {
            inNamespace = options(fields[next]);
            next++;
        }
        if (fields.length < next + 2) {
            throw new IllegalArgumentException("expected '<principals> [options] <key type> <base64 key>'");
        }
        SshPublicKey key = SshPublicKey.parse(fields[next] + " " + fields[next + 1]);
        List<ApproverKey> keys = new ArrayList<>();
        for (String principal : principals.split(",")) {
            if (principal.isEmpty() || principal.contains("*") || principal.contains("?") || principal.startsWith("!")) {
                throw new IllegalArgumentException("principal '" + principal + "' is a pattern; name each approver "
                        + "exactly");
            }
            if (inNamespace) {
                keys.add(new ApproverKey(principal, key.text()));
            }
        }
        return keys;
    }

    /** Whether the options allow the approval namespace; refuses the options this reader would not enforce. */
    private static boolean options(String options) {
        boolean allowed = true;
        Matcher m = OPTION.matcher("");
        for (String option : options.split(",(?=[A-Za-z-]+(=|,|$))")) {
            m.reset(option);
            if (!m.matches()) {
                throw new IllegalArgumentException("option '" + option + "' cannot be read");
            }
            String name = m.group(1).toLowerCase();
            if (name.equals("namespaces")) {
                allowed = m.group(2) != null && List.of(m.group(2).split(",")).contains(SshSignature.NAMESPACE);
            } else {
                throw new IllegalArgumentException("option '" + name + "' is not supported (only namespaces=\"...\"): "
                        + "list plain keys for approvers");
            }
        }
        return allowed;
    }
}
