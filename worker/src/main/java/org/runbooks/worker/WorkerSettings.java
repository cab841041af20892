package org.runbooks.worker;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The worker's own settings, under {@code runbooks:} in {@code application.yml}.
 *
 * <ul>
 *   <li>{@code task-queue}: the queue the worker polls and operators start runbooks on; default {@code runbooks}.</li>
 *   <li>{@code base-dir}: the directory runbook file names are resolved against; default {@code .} (so
 *       {@code runbooks/orders-to-v2.yaml} works from the repository root).</li>
 * </ul>
 */
@ConfigurationProperties("runbooks")
public class WorkerSettings {

    /** Default task queue: {@code runbooks}. */
    public static final String DEFAULT_TASK_QUEUE = "runbooks";

    private String taskQueue = DEFAULT_TASK_QUEUE;
    private String baseDir = ".";

    public String getTaskQueue() {
        return taskQueue;
    }

    public void setTaskQueue(String taskQueue) {
        this.taskQueue = taskQueue;
    }

    public String getBaseDir() {
        return baseDir;
    }

    public void setBaseDir(String baseDir) {
        this.baseDir = baseDir;
    }
}
