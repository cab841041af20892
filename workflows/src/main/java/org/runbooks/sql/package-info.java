/** The sql step: its activity interface. Internal. */
package org.runbooks.sql;
