package dev.gameday.scenarios;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How to tell a degraded answer from its content: a response with an accepted status whose body says the service fell
 * back (the demo trading system acknowledges an order with {@code 201} and {@code "status":"PENDING_ROUTE"} while its
 * breaker to the exchange is open). Status codes alone cannot see it; a request that declares one records such
 * answers as {@link dev.gameday.timeline.Outcome#DEGRADED}, which the success rate counts as successes and
 * {@code Criteria.fullService()} and {@code Criteria.degradedRate()} do not.
 *
 * <pre>{@code
 * TrafficRequest placeOrder = new TrafficRequest("place order", 0.5, () -> http("place order").post("/orders"),
 *         Set.of(201), Optional.of("Location"))
 *         .degradedWhen(DegradedAnswer.jsonField("status", "PENDING_ROUTE"));
 * }</pre>
 *
 * @param description how reports name it, for example {@code status = PENDING_ROUTE}
 * @param regex       a Java regular expression found somewhere in the body of a degraded answer
 */
public record DegradedAnswer(String description, String regex) {

    public DegradedAnswer {
        Objects.requireNonNull(description, "description");
        if (regex == null || regex.isEmpty()) {
            throw new IllegalArgumentException("Degraded answer '" + description + "': give the regular expression that a"
                    + " degraded answer's body contains, for example DegradedAnswer.bodyMatches(\"PENDING_ROUTE\").");
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Degraded answer '" + description + "': '" + regex + "' is not a valid"
                    + " regular expression (" + e.getDescription() + " at index " + e.getIndex() + "). Quote literal text"
                    + " with Pattern.quote(..), or use DegradedAnswer.jsonField(..).", e);
        }
    }

    /** An answer is degraded when its body contains a match of the regular expression. */
    public static DegradedAnswer bodyMatches(String regex) {
        return new DegradedAnswer("body matches " + regex, regex);
    }

    /**
     * An answer is degraded when its JSON body has a string field with this value anywhere, for example
     * {@code jsonField("status", "PENDING_ROUTE")} matches {@code {"id":"..","status":"PENDING_ROUTE"}}.
     */
    public static DegradedAnswer jsonField(String field, String value) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        return new DegradedAnswer(field + " = " + value,
                "\"" + Pattern.quote(field) + "\"\\s*:\\s*\"" + Pattern.quote(value) + "\"");
    }

    /** Whether a body is that of a degraded answer; the load generator applies the same expression. */
    public boolean matches(CharSequence body) {
        return Pattern.compile(regex).matcher(body).find();
    }
}
