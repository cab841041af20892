/** What people read: the Current Details, the activity and timer summaries, the phase descriptions. Internal. */
package org.runbooks.ui;
