/** The flag step: its activity interface and payloads. Internal. */
package org.runbooks.flag;
