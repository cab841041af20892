package org.runbooks.worker;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the Temporal server is, under {@code temporal:}. {@code target} defaults to {@code TEMPORAL_ADDRESS} when
 * set (the same variable the Temporal CLI reads), else {@code 127.0.0.1:7233}; {@code namespace} to {@code default}.
 */
@ConfigurationProperties("temporal")
public class TemporalSettings {

    private String target = "127.0.0.1:7233";
    private String namespace = "default";

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }
}
