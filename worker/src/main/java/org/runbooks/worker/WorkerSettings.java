package org.runbooks.worker;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The worker's own settings, under {@code runbooks:} in {@code application.yml}.
 *
 * <ul>
 *   <li>{@code task-queue}: the queue the worker polls and operators start runbooks on; default {@code runbooks}.</li>
 *   <li>{@code base-dir}: the only directory runbook files load from; default {@code runbooks} (resolved against
 *       the worker's working directory). A start request naming a file outside it, through {@code ..}, an absolute
 *       path or a symbolic link, fails at once as {@code RunbookNotFound}, before any step.</li>
 *   <li>{@code working-dir}: what a start request's file name is relative to; default {@code .}, the worker's
 *       working directory, as {@code bin/runbooks plan FILE} reads FILE (so {@code runbooks/orders-to-v2.yaml} names
 *       the same file in both, from the repository root).</li>
 * </ul>
 */
@ConfigurationProperties("runbooks")
public class WorkerSettings {

    /** Default task queue: {@code runbooks}. */
    public static final String DEFAULT_TASK_QUEUE = "runbooks";

    private String taskQueue = DEFAULT_TASK_QUEUE;
    /** Default runbooks directory: {@code runbooks}. */
    public static final String DEFAULT_BASE_DIR = "runbooks";

    private String baseDir = DEFAULT_BASE_DIR;
    private String workingDir = ".";

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

    public String getWorkingDir() {
        return workingDir;
    }

    public void setWorkingDir(String workingDir) {
        this.workingDir = workingDir;
    }
}
