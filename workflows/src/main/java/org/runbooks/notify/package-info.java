/** The notify step: its activity interface and payload. Internal. */
package org.runbooks.notify;
