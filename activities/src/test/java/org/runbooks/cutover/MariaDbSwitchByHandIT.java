package org.runbooks.cutover;

/**
 * The abandoned switch ({@link SwitchByHandTests}) on MariaDB: the freeze's triggers, the position marker row the
 * stream captures and skips, and a catch-up that cannot finish thawing the source with nothing lost.
 *
 * <p>The full switch and rollback is not run here yet: on MariaDB it passed in some runs and in others the stream's
 * binlog reader received nothing for 30 s right after the freeze (the catch-up then times out; the binlog client sat
 * in its socket read while the server's binlog had moved on by several KB). The cause is not found; keeping the
 * freeze's DDL out of the binlog did not change it.
 */
class MariaDbSwitchByHandIT extends SwitchByHandTests {

    MariaDbSwitchByHandIT() {
        super(CutoverPair.Kind.MARIADB, "mariadb");
    }
}
