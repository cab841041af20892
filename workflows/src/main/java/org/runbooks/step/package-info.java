/**
 * What every step runner shares: activity options, the relay of activity trouble, and the change ids more than one
 * package asks. Internal.
 */
package org.runbooks.step;
