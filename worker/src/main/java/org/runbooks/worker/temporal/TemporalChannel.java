package org.runbooks.worker.temporal;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;

/** The gRPC options for a {@link TemporalEndpoint}: address, TLS (with reloading certificates), API key, headers. */
public final class TemporalChannel {

    private TemporalChannel() {
    }

    public static WorkflowServiceStubsOptions.Builder options(TemporalEndpoint endpoint) {
        WorkflowServiceStubsOptions.Builder builder = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(endpoint.address());
        if (endpoint.tls() != null) {
            builder.setSslContext(ReloadingTls.context(endpoint.tls()));
            String serverName = endpoint.tls().serverName();
            if (serverName != null) {
                builder.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
            }
        }
        if (endpoint.apiKey() != null) {
            String key = endpoint.apiKey();
            builder.addApiKey(() -> key);
        }
        if (endpoint.metadata() != null) {
            builder.addGrpcMetadataProvider(endpoint::metadata);
        }
        return builder;
    }
}
