package org.runbooks.worker.temporal;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Worker Versioning, under {@code runbooks.versioning:}; off unless {@code deployment-name} is set.
 *
 * <ul>
 *   <li>{@code deployment-name}: the Worker Deployment this worker belongs to, for example {@code runbooks}.</li>
 *   <li>{@code build-id}: this build's id, for example the image tag; required with a deployment name.</li>
 *   <li>{@code behavior}: {@code auto-upgrade} (default) or {@code pinned}, for the runbook and phase workflows.
 *       Auto-upgrade moves a running runbook to the deployment's current build at its next workflow task, so a
 *       runbook that waits days at a gate or in a soak does not keep an old build alive; it is safe because every
 *       change to workflow code is guarded by {@code Workflow.getVersion} and proven by the replay corpus. Pinned
 *       keeps each runbook on the build that started it: old builds must then keep running until their last
 *       runbook ends (days, for soaks and gates), in exchange for never replaying history on new code.</li>
 * </ul>
 */
@ConfigurationProperties("runbooks.versioning")
public class VersioningSettings {

    private String deploymentName;
    private String buildId;
    private String behavior = "auto-upgrade";

    public String getDeploymentName() {
        return deploymentName;
    }

    public void setDeploymentName(String deploymentName) {
        this.deploymentName = deploymentName;
    }

    public String getBuildId() {
        return buildId;
    }

    public void setBuildId(String buildId) {
        this.buildId = buildId;
    }

    public String getBehavior() {
        return behavior;
    }

    public void setBehavior(String behavior) {
        this.behavior = behavior;
    }
}
