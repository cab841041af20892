package org.runbooks.stream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeCompactionTest {

    /** A change to row {@code key}; {@code whole}: sets the whole row or deletes it; {@code seq}: its place. */
    private record C(int key, boolean whole, int seq) {
    }

    private static List<C> kept(C... changes) {
        return ChangeCompaction.kept(List.of(changes), C::key, C::whole);
    }

    @Test
    void aHotRowKeepsOnlyItsLastWholeChangeInItsOwnPlace() {
        assertThat(kept(new C(1, true, 0), new C(2, true, 1), new C(1, true, 2), new C(3, true, 3),
                new C(1, true, 4)))
                .extracting(C::seq).containsExactly(1, 3, 4);
    }

    @Test
    void aChangeOfSomeColumnsSupersedesNothingButIsSupersededByALaterWholeOne() {
        // 0 whole, 1 partial (needs 0's columns it lacks): both stay; 2 partial then 3 whole: 2 goes, and so do 0, 1.
        assertThat(kept(new C(7, true, 0), new C(7, false, 1))).extracting(C::seq).containsExactly(0, 1);
        assertThat(kept(new C(7, true, 0), new C(7, false, 1), new C(7, false, 2), new C(7, true, 3)))
                .extracting(C::seq).containsExactly(3);
    }

    @Test
    void aDeleteAfterUpdatesLeavesTheDeleteAndAnInsertAfterADeleteLeavesTheInsert() {
        assertThat(kept(new C(5, true, 0), new C(5, false, 1), new C(5, true, 2))).extracting(C::seq)
                .containsExactly(2);
        assertThat(kept(new C(5, true, 0), new C(6, true, 1), new C(5, true, 2))).extracting(C::seq)
                .containsExactly(1, 2);
    }

    @Test
    void distinctKeysAreAllKeptInOrder() {
        List<C> changes = List.of(new C(3, true, 0), new C(1, false, 1), new C(2, true, 2));
        assertThat(ChangeCompaction.kept(changes, C::key, C::whole)).isEqualTo(changes);
    }
}
