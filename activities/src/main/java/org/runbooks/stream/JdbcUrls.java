package org.runbooks.stream;

import java.net.URI;

/** The host, port and database of a {@code jdbc:postgresql:} or {@code jdbc:mariadb:}/{@code jdbc:mysql:} URL. */
public record JdbcUrls(String host, int port, String database) {

    public static JdbcUrls parse(String jdbcUrl, int defaultPort) {
        if (!jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("not a JDBC URL: " + jdbcUrl.replaceAll("[?;].*", ""));
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("a stream needs a host in its connection URL: "
                    + jdbcUrl.replaceAll("[?;].*", ""));
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new JdbcUrls(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(), path);
    }
}
