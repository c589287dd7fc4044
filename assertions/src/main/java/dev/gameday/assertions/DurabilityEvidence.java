package dev.gameday.assertions;

import java.util.List;
import java.util.Objects;

/**
 * What a durability check found: how many writes the system under test acknowledged and how many of them its
 * durable store does not have.
 *
 * @param store         what was checked, for example {@code orders table in PostgreSQL}
 * @param acknowledged  writes acknowledged to the load generator
 * @param missing       acknowledged writes not found
 * @param missingSample a few identifiers of missing writes, for the report
 */
public record DurabilityEvidence(String store, long acknowledged, long missing, List<String> missingSample) {

    public DurabilityEvidence {
        Objects.requireNonNull(store, "store");
        missingSample = List.copyOf(missingSample);
        if (acknowledged < 0 || missing < 0 || missing > acknowledged) {
            throw new IllegalArgumentException("Durability evidence for " + store + ": need 0 <= missing <= acknowledged,"
                    + " but was missing " + missing + " of " + acknowledged + ".");
        }
    }
}
