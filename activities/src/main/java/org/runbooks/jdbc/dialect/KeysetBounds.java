package org.runbooks.jdbc.dialect;

/**
 * Which conditions a keyset chunk carries, and so which parameters it binds, in this order: the last key copied
 * ({@code (<key>) > (?...)}), then the key range's lower bound ({@code <leading key> >= ?}) and its upper bound
 * ({@code <leading key> < ?}). A condition that is absent binds nothing.
 */
public record KeysetBounds(boolean afterLastKey, boolean fromLeadingKey, boolean belowLeadingKey) {

    /** The whole relation, from its first key. */
    public static final KeysetBounds NONE = new KeysetBounds(false, false, false);
}
