package dev.gameday.assertions;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a durability check found: how many writes the system under test acknowledged and how many of them its
 * durable store does not have; or that the check itself crashed, which decides nothing.
 *
 * <pre>{@code
 * DurabilityEvidence found = new DurabilityEvidence("orders table in PostgreSQL", 8_670, 0, List.of());
 * DurabilityEvidence crashed = DurabilityEvidence.checkFailed("orders table in PostgreSQL", "connection refused");
 * }</pre>
 *
 * @param store         what was checked, for example {@code orders table in PostgreSQL}
 * @param acknowledged  writes acknowledged to the load generator
 * @param missing       acknowledged writes not found
 * @param missingSample a few identifiers of missing writes, for the report
 * @param error         why the check could not be carried out, if it crashed; the counts are then zero
 */
public record DurabilityEvidence(String store, long acknowledged, long missing, List<String> missingSample,
                                 Optional<String> error) {

    public DurabilityEvidence {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(error, "error");
        missingSample = List.copyOf(missingSample);
        if (acknowledged < 0 || missing < 0 || missing > acknowledged) {
            throw new IllegalArgumentException("Durability evidence for " + store + ": need 0 <= missing <= acknowledged,"
                    + " but was missing " + missing + " of " + acknowledged + ".");
        }
    }

    /** What a check that ran to the end found. */
    public DurabilityEvidence(String store, long acknowledged, long missing, List<String> missingSample) {
        this(store, acknowledged, missing, missingSample, Optional.empty());
    }

    /** A check that crashed before it could say anything. */
    public static DurabilityEvidence checkFailed(String store, String error) {
        return new DurabilityEvidence(store, 0, 0, List.of(), Optional.of(Objects.requireNonNull(error, "error")));
    }
}
