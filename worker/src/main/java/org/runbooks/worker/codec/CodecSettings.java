package org.runbooks.worker.codec;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Payload encryption, under {@code runbooks.codec:}; off unless {@code keys} is set.
 *
 * <ul>
 *   <li>{@code keys}: key id to a base64 AES key of 32 bytes ({@code openssl rand -base64 32}). Several ids let
 *       old histories stay readable after a rotation: the worker decrypts with whichever id a payload names.</li>
 *   <li>{@code encrypt-with}: the id new payloads are encrypted with; required when there is more than one key.</li>
 *   <li>{@code token}: what the codec endpoints ({@code /encode}, {@code /decode}) require in the
 *       {@code Authorization} header, as {@code Bearer <token>}; without it they answer anyone who reaches the
 *       worker's HTTP port.</li>
 *   <li>{@code allowed-origins}: the Web UI origins (for example {@code https://temporal.example.com}) whose browsers
 *       may call the codec endpoints (CORS).</li>
 * </ul>
 */
@ConfigurationProperties("runbooks.codec")
public class CodecSettings {

    private Map<String, String> keys = new LinkedHashMap<>();
    private String encryptWith;
    private String token;
    private List<String> allowedOrigins = List.of();

    public Map<String, String> getKeys() {
        return keys;
    }

    public void setKeys(Map<String, String> keys) {
        this.keys = keys;
    }

    public String getEncryptWith() {
        return encryptWith;
    }

    public void setEncryptWith(String encryptWith) {
        this.encryptWith = encryptWith;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /** True when payloads are to be encrypted. */
    public boolean enabled() {
        return keys != null && !keys.isEmpty();
    }
}
