/**
 * The contract: everything operators and workflow history see. The workflow interfaces and their signal, update and
 * query payloads; the start request, status and result; gate decisions and the audit trail; knobs and progress;
 * trouble; phase events; validation reports; compensations and their log; and the continue-as-new carry-overs.
 *
 * <p>These types are serialised into histories that must replay for as long as a runbook can be in flight, and into
 * the JSON that scripts read. <b>They change only by adding nullable fields</b> (or fields whose absence reads as
 * the old behaviour): never rename, remove or retype a field, and never rename a Jackson type name. A moved class
 * keeps its workflow, signal, update, query, activity and Jackson type names, which are explicit strings.
 */
package org.runbooks.api;
