package org.runbooks.connect;

/** How to reach one named database. The password stays on the worker; {@link #toString()} never shows it. */
public record ConnectionSettings(String name, String url, String user, String password) {

    @Override
    public String toString() {
        return "ConnectionSettings[name=" + name + ", url=" + url + ", user=" + user + ", password=***]";
    }
}
