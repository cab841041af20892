package org.runbooks.jdbc.dialect;

/** A name no database could hold, or a table's text that does not parse: refused before any statement runs. */
public class UnsafeIdentifierException extends IllegalArgumentException {

    public UnsafeIdentifierException(String identifier) {
        super("unsafe identifier '" + identifier + "': a name is 1 to 63 bytes with no control characters, and a"
                + " table is name or schema.name, a part other than letters, digits and _ in double quotes");
    }
}
