package dev.gameday.demo.config;

import dev.gameday.demo.Flaw;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads typed values from environment variables, collecting one problem per invalid variable instead of stopping at the first. */
final class EnvironmentReader {

    private final Map<String, String> environment;
    private final List<String> problems = new ArrayList<>();

    EnvironmentReader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    List<String> problems() {
        return problems;
    }

    String string(String name, String defaultValue) {
        String value = raw(name);
        return value == null ? defaultValue : value;
    }

    String required(String name, String whatToSet) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            problems.add(name + " is not set. Set it to " + whatToSet + ".");
            return "";
        }
        return value;
    }

    /** Like {@link #required}, but an empty value is a value (an empty password, for instance). */
    String requiredAllowingEmpty(String name, String whatToSet) {
        String value = environment.get(name);
        if (value == null) {
            problems.add(name + " is not set. Set it to " + whatToSet + ".");
            return "";
        }
        return value;
    }

    int integer(String name, int defaultValue, int min, int max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notAnInteger) {
            // reported below with the accepted range
        }
        problems.add(name + ": expected a whole number from " + min + " to " + max + ", but was '" + value
                + "'. Set it within that range or unset it to use the default " + defaultValue + ".");
        return defaultValue;
    }

    Duration duration(String name, Duration defaultValue, Duration min, String whyMin) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed;
        try {
            parsed = Durations.parse(value);
        } catch (IllegalArgumentException malformed) {
            problems.add(name + ": " + malformed.getMessage() + ". Write it like " + Durations.format(defaultValue)
                    + " (the default) or unset it.");
            return defaultValue;
        }
        if (parsed.compareTo(min) < 0) {
            problems.add(name + ": expected at least " + Durations.format(min) + " (" + whyMin + "), but was '" + value
                    + "'. Raise it or unset it to use the default " + Durations.format(defaultValue) + ".");
            return defaultValue;
        }
        return parsed;
    }

    float percentage(String name, float defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        String number = value.endsWith("%") ? value.substring(0, value.length() - 1).trim() : value;
        try {
            float parsed = Float.parseFloat(number);
            if (parsed > 0 && parsed <= 100) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add(name + ": expected a percentage above 0 and at most 100 such as 50 or 50%, but was '" + value
                + "'. Set it within that range or unset it to use the default " + defaultValue + ".");
        return defaultValue;
    }

    BigDecimal positiveDecimal(String name, BigDecimal defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            BigDecimal parsed = new BigDecimal(value);
            if (parsed.signum() > 0) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add(name + ": expected a positive decimal number such as " + defaultValue.toPlainString() + ", but was '"
                + value + "'. Set a positive number or unset it to use the default.");
        return defaultValue;
    }

    URI httpUri(String name, URI defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            URI parsed = new URI(value);
            if (("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) && parsed.getHost() != null) {
                return parsed;
            }
        } catch (java.net.URISyntaxException malformed) {
            // reported below
        }
        problems.add(name + ": expected an absolute http(s) URL such as " + defaultValue + ", but was '" + value
                + "'. Set the base URL of the exchange API.");
        return defaultValue;
    }

    String prefixed(String name, String defaultValue, String prefix) {
        String value = string(name, defaultValue);
        if (!value.startsWith(prefix)) {
            problems.add(name + ": expected a URL starting with '" + prefix + "' such as " + defaultValue + ", but was '"
                    + value + "'. Point it at the PostgreSQL database.");
            return defaultValue;
        }
        return value;
    }

    Set<Flaw> flaws(String name) {
        String value = raw(name);
        Set<Flaw> flaws = EnumSet.noneOf(Flaw.class);
        if (value == null) {
            return flaws;
        }
        for (String item : value.split(",")) {
            String id = item.trim();
            if (id.isEmpty()) {
                continue;
            }
            Flaw.byId(id).ifPresentOrElse(flaws::add, () -> problems.add(name + ": unknown flaw '" + id
                    + "'. Known flaws are: " + Flaw.knownIds() + ". Remove it or fix its spelling."));
        }
        return flaws;
    }

    /** The variable's value, or null when it is unset or blank (a blank value means "use the default"). */
    private String raw(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
