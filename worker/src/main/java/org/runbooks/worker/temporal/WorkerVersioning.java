package org.runbooks.worker.temporal;

import io.temporal.common.VersioningBehavior;
import io.temporal.common.WorkerDeploymentVersion;
import io.temporal.worker.WorkerDeploymentOptions;
import io.temporal.worker.WorkerOptions;

/** The worker's options for {@link VersioningSettings}: a versioned worker of one deployment and build, or not. */
public final class WorkerVersioning {

    private WorkerVersioning() {
    }

    /** Worker options with the deployment version and default behavior; fails on incomplete settings. */
    public static WorkerOptions options(VersioningSettings settings) {
        String deployment = settings.getDeploymentName();
        if (deployment == null || deployment.isBlank()) {
            return WorkerOptions.getDefaultInstance();
        }
        if (settings.getBuildId() == null || settings.getBuildId().isBlank()) {
            throw new IllegalArgumentException("runbooks.versioning.build-id is required with deployment-name '"
                    + deployment + "'");
        }
        return WorkerOptions.newBuilder()
                .setDeploymentOptions(WorkerDeploymentOptions.newBuilder()
                        .setUseVersioning(true)
                        .setVersion(new WorkerDeploymentVersion(deployment, settings.getBuildId()))
                        .setDefaultVersioningBehavior(behavior(settings.getBehavior()))
                        .build())
                .build();
    }

    static VersioningBehavior behavior(String name) {
        return switch (name == null ? "auto-upgrade" : name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "auto-upgrade" -> VersioningBehavior.AUTO_UPGRADE;
            case "pinned" -> VersioningBehavior.PINNED;
            default -> throw new IllegalArgumentException("runbooks.versioning.behavior must be auto-upgrade or pinned,"
                    + " not '" + name + "'");
        };
    }

    /** For the worker's start-up line: {@code deployment:build (behavior)}, or {@code unversioned}. */
    public static String describe(VersioningSettings settings) {
        if (settings.getDeploymentName() == null || settings.getDeploymentName().isBlank()) {
            return "unversioned";
        }
        return settings.getDeploymentName() + ":" + settings.getBuildId() + " (" + settings.getBehavior() + ")";
    }
}
