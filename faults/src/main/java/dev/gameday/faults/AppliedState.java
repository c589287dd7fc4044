package dev.gameday.faults;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one injection changed, in the words its revert needs: the toxic it added, the CPU quota it replaced, the stub
 * it created. A fault definition is a plan; each injection gets its own state from {@link Disruption#prepare()},
 * before anything changes, and its revert restores exactly that. The fault journal writes it to disk before the
 * change, so that {@code gameday cleanup} (or the next run) can revert what a killed run left applied.
 *
 * <pre>{@code
 * AppliedState state = AppliedState.of("docker").with("container", id).with("previous-cpu-quota", "100000");
 * long quota = Long.parseLong(state.value("previous-cpu-quota"));
 * }</pre>
 *
 * @param backend which backend can revert it from these values alone: {@code toxiproxy}, {@code docker},
 *                {@code redis}, {@code postgres}, {@code wiremock}; a backend the cleanup does not know is reported
 *                to be reverted by hand
 * @param values  plain strings (no secrets beyond what the revert needs); kept in order
 */
public record AppliedState(String backend, Map<String, String> values) {

    public AppliedState {
        Objects.requireNonNull(backend, "backend");
        if (!backend.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("Applied state: a backend is lower-case letters, digits and dashes, such"
                    + " as 'docker', but was '" + backend + "'.");
        }
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** An empty state of this backend. */
    public static AppliedState of(String backend) {
        return new AppliedState(backend, Map.of());
    }

    /** This state with one more value. */
    public AppliedState with(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of '" + key + "'");
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(key, value);
        return new AppliedState(backend, more);
    }

    /** The value under {@code key}, or an error naming the keys there are. */
    public String value(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("Applied state of backend '" + backend + "' has no value '" + key + "'; it"
                    + " has " + values.keySet() + ".");
        }
        return value;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        values.forEach((k, v) -> shown.put(k, k.contains("password") ? "***" : v));
        return backend + shown;
    }
}
