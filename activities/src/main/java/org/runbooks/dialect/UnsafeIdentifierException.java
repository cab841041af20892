package org.runbooks.dialect;

/** An identifier that is not a plain name: refused before it gets anywhere near a statement. */
public class UnsafeIdentifierException extends IllegalArgumentException {

    public UnsafeIdentifierException(String identifier) {
        super("unsafe identifier '" + identifier + "': only letters, digits and _ (and one . between schema and table)");
    }
}
