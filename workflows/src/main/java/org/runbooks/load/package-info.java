/** Loading a runbook file (and its pre-flight checks) at the start of a run: the activity interface. Internal. */
package org.runbooks.load;
