package dev.gameday.assertions;

/**
 * Every write the system under test acknowledged is in its durable store at the end of the run: no acknowledged
 * order lost, whatever the fault did. Evaluated against {@link DurabilityEvidence} gathered by the scenario.
 */
public record DurabilityObjective() implements Objective {

    @Override
    public String name() {
        return "every acknowledged write is durable";
    }

    @Override
    public String scope() {
        return "whole run";
    }
}
