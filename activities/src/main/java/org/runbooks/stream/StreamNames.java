package org.runbooks.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The names a stream gives what it creates on the source, derived from its stream id (run id + step id) so that a
 * retried or resumed activity on any worker finds the same ones: lower-case letters, digits and underscores, at most
 * 63 characters (PostgreSQL's limit for slot and publication names), and unique per stream id by a hash suffix.
 */
public record StreamNames(String slot, String publication, String server, long serverId) {

    /** Every name starts with this, so an operator can tell a runbook's slot at a glance: {@code runbooks_}. */
    public static final String PREFIX = "runbooks_";

    public static StreamNames of(String streamId) {
        if (streamId == null || streamId.isBlank()) {
            throw new IllegalArgumentException("a stream needs a stream id (run id + step id)");
        }
        byte[] digest = sha256(streamId);
        String hash = HexFormat.of().formatHex(digest, 0, 5);
        String readable = streamId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        int room = 63 - PREFIX.length() - hash.length() - 1;
        if (readable.length() > room) {
            readable = readable.substring(readable.length() - room);
        }
        String base = PREFIX + readable + "_" + hash;
        // A MariaDB replica's server id: any 32-bit number the source's other replicas do not use; 10^6 + a hash
        // keeps clear of the small ids people hand out by hand.
        long serverId = 1_000_000L + (Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(digest, 5, 4).getInt())
                % 1_000_000_000L);
        return new StreamNames(base, base, base, serverId);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
