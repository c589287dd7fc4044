package dev.gameday.environments;

import java.util.Objects;
import java.util.Optional;

/**
 * How the harness logs in to a datastore target, for faults in its own protocol (a held table lock, CLIENT PAUSE).
 * Never written to reports or logs: {@link #toString()} hides the password.
 *
 * <pre>{@code
 * Target postgres = environment.target("postgres").withCredentials(new Credentials("trading", "secret", "trading"));
 * Target redis = environment.target("redis").withCredentials(Credentials.password("secret"));
 * }</pre>
 *
 * @param user     the user to log in as; empty for Redis's default user
 * @param password the password; may be empty
 * @param database the database to connect to (PostgreSQL); empty for Redis
 */
public record Credentials(String user, String password, String database) {

    public Credentials {
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        database = database == null ? "" : database;
    }

    /** Redis's {@code requirepass}: the default user with this password. */
    public static Credentials password(String password) {
        return new Credentials("", Objects.requireNonNull(password, "password"), "");
    }

    /** The user, when one is set. */
    public Optional<String> userName() {
        return user.isEmpty() ? Optional.empty() : Optional.of(user);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + ", database=" + database
                + "]";
    }
}
