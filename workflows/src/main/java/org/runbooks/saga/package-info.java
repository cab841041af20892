/** Compensations in reverse order, each in a detached scope, and the activities they call. Internal. */
package org.runbooks.saga;
