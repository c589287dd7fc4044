package dev.gameday.demo.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the service reaches PostgreSQL, and how long it waits for it.
 *
 * @param url the JDBC URL
 * @param user the login
 * @param password the password; never printed
 * @param poolSize the number of pooled connections
 * @param poolTimeout how long a request waits for a pooled connection before failing with 503
 * @param statementTimeout the server-side bound of every statement
 */
public record DatabaseConfig(String url, String user, String password, int poolSize, Duration poolTimeout,
                             Duration statementTimeout) {

    public static final String DEFAULT_URL = "jdbc:postgresql://postgres:5432/trading";
    public static final int DEFAULT_POOL_SIZE = 16;
    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofMillis(250);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(2);
    /** HikariCP silently replaces a connection timeout below this floor with 30 s, so shorter values are refused. */
    public static final Duration MIN_POOL_TIMEOUT = Duration.ofMillis(250);

    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(poolTimeout, "poolTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", password=***, poolSize=" + poolSize
                + ", poolTimeout=" + Durations.format(poolTimeout) + ", statementTimeout=" + Durations.format(statementTimeout) + "]";
    }
}
