/**
 * The runbook as parsed: runbook, phases and the sealed {@code Step} with one record per step kind. Depends on nothing
 * else of ours. Internal: no compatibility promise beyond what {@code api} carries.
 */
package org.runbooks.model;
