package org.runbooks.stream.mariadb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver Debezium's MySQL connector uses on a MariaDB source ({@code database.jdbc.driver}, with
 * {@code database.protocol=}{@value #PROTOCOL}): MySQL's own driver, except that MySQL 8.4's
 * {@code SHOW BINARY LOG STATUS} is sent as MariaDB's {@code SHOW BINLOG STATUS}. The connector reads the server's
 * version as a MySQL version, takes MariaDB 10.x and 11.x for MySQL 8.4 or later, and would otherwise refuse to
 * start. Only connections the stream's engine opens go through it; the URL prefix is its own, so no other code
 * reaches it.
 */
public final class MariaDbBinlogDriver implements Driver {

    /** The URL prefix this driver answers: {@value}. */
    public static final String PROTOCOL = "jdbc:runbooks-mariadb-binlog";

    private static final String MYSQL_STATEMENT = "SHOW BINARY LOG STATUS";
    private static final String MARIADB_STATEMENT = "SHOW BINLOG STATUS";

    private final Driver mysql;

    public MariaDbBinlogDriver() throws SQLException {
        this.mysql = new com.mysql.cj.jdbc.Driver();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = mysql.connect("jdbc:mysql" + url.substring(PROTOCOL.length()), info);
        return real == null ? null : wrap(Connection.class, real);
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PROTOCOL + ":");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return mysql.getPropertyInfo("jdbc:mysql" + url.substring(PROTOCOL.length()), info);
    }

    @Override
    public int getMajorVersion() {
        return mysql.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return mysql.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    static String translate(String sql) {
        return sql != null && sql.strip().toUpperCase(Locale.ROOT).equals(MYSQL_STATEMENT) ? MARIADB_STATEMENT : sql;
    }

    /** A proxy that translates the SQL text of every call and wraps the statements it hands out. */
    @SuppressWarnings("unchecked")
    private static <T> T wrap(Class<T> type, T real) {
        return (T) Proxy.newProxyInstance(MariaDbBinlogDriver.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String sql) {
                        args[0] = translate(sql);
                    }
                    try {
                        Object result = method.invoke(real, args);
                        if (result instanceof java.sql.PreparedStatement ps
                                && method.getReturnType() == java.sql.PreparedStatement.class) {
                            return wrap(java.sql.PreparedStatement.class, ps);
                        }
                        if (result instanceof Statement st && method.getReturnType() == Statement.class) {
                            return wrap(Statement.class, st);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
