/**
 * The validate step: its activity interface, and the repair rounds that re-copy the keys a validation found
 * different. Internal.
 */
package org.runbooks.validate;
