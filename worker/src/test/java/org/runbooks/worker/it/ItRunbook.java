package org.runbooks.worker.it;

/**
 * The CLI commands for one runbook of worker/src/test/resources/it-runbooks, run as workflow {@code id}: as an operator
 * types them, so the ITs that use them drive the worker the way README does.
 */
record ItRunbook(String id, String file) {

    String start() {
        return "temporal workflow start --type Runbook --task-queue runbooks --workflow-id " + id
                + " --input '{\"file\":\"worker/src/test/resources/it-runbooks/" + file + "\",\"startedBy\":\"alice\"}'";
    }

    String status() {
        return "temporal workflow query --workflow-id " + id + " --name status";
    }

    String approve(String gate, String comment) {
        return "temporal workflow signal --workflow-id " + id + " --name approve --input '{\"gate\":\"" + gate
                + "\",\"by\":\"dba-oncall\",\"comment\":\"" + comment + "\"}'";
    }

    String rollback(String reason) {
        return "temporal workflow signal --workflow-id " + id + " --name rollback --input '{\"by\":\"carol\","
                + "\"reason\":\"" + reason + "\"}'";
    }

    String result() {
        return "temporal workflow result --workflow-id " + id + " --output json";
    }
}
