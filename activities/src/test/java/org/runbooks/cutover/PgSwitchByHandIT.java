package org.runbooks.cutover;

import org.junit.jupiter.api.Test;

/** The switch by hand ({@link SwitchByHandTests}) from PostgreSQL to PostgreSQL. */
class PgSwitchByHandIT extends SwitchByHandTests {

    PgSwitchByHandIT() {
        super(CutoverPair.Kind.POSTGRES, "pg");
    }

    @Test
    void switchAndRollBackUnderLiveWritesLoseNoAcknowledgedWrite() throws Exception {
        switchAndRollBack();
    }
}
