package org.runbooks.flag;

/** A flag's value at one moment: whether it existed, and its percent (0 off, 100 on) if it did. */
public record FlagValue(boolean existed, int percent) {

    public static FlagValue absent() {
        return new FlagValue(false, 0);
    }
}
