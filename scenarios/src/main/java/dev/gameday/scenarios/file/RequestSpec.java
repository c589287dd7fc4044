package dev.gameday.scenarios.file;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One request of a file's traffic, validated: its series name, share, method, path and headers with placeholders,
 * body, the statuses that count as success and the header that identifies an acknowledged write.
 *
 * <pre>{@code
 * new RequestSpec("read order", 0.5, "GET", Template.parse("${write}"), Map.of(), Optional.empty(), Set.of(200),
 *         Optional.empty());
 * }</pre>
 */
record RequestSpec(String name, double share, String method, Template path, Map<String, Template> headers,
                   Optional<Template> body, Set<Integer> accept, Optional<String> writeIdHeader) {

    RequestSpec {
        Objects.requireNonNull(name, "name");
        headers = Map.copyOf(headers);
        accept = Set.copyOf(accept);
    }

    boolean usesWrite() {
        return path.usesWrite() || body.map(Template::usesWrite).orElse(false)
                || headers.values().stream().anyMatch(Template::usesWrite);
    }
}
