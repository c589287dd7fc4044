package dev.gameday.faults.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of WireMock's admin API ({@code /__admin}) the HTTP faults need, over {@code java.net.http}, with
 * the JSON written and read by hand: adding a stub, deleting one by id, finding and removing stubs by their
 * {@code gameday} metadata, setting and reading a scenario's state.
 *
 * <pre>{@code
 * WireMockAdmin admin = new WireMockAdmin(URI.create("http://localhost:32768/__admin"));
 * admin.addStub(stubJson);
 * List<String> ids = admin.idsTagged("exchange-http-delay-1f3a9c2e");
 * admin.removeTagged("exchange-http-delay-1f3a9c2e");
 * admin.setScenarioState("gameday-exchange-http-errors-1f3a9c2e", "Started");
 * }</pre>
 */
public final class WireMockAdmin {

    /** The metadata key every stub of this project carries; its value names the injection. */
    public static final String METADATA_KEY = "gameday";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

    /** Built on first use, not when a fault is defined: factories run on stand-in targets and start nothing. */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    private final URI base;

    /** @param base the admin API's root, such as {@code http://localhost:32768/__admin} */
    public WireMockAdmin(URI base) {
        this.base = base;
    }

    /** The HTTP/1.1 client of the admin calls and the faults' probes. */
    static HttpClient client() {
        return Client.INSTANCE;
    }

    public URI base() {
        return base;
    }

    /** Adds one stub (a mapping's JSON, with its own {@code id}); WireMock answers 201. */
    public void addStub(String mappingJson) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/mappings"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mappingJson)));
        if (response.statusCode() != 201) {
            throw new IOException("WireMock at " + base + " refused a stub: expected 201 Created, found "
                    + response.statusCode() + " " + abbreviate(response.body()) + ". Check that the target is a"
                    + " WireMock 3 simulator and that its admin API is enabled");
        }
    }

    /** Whether a stub with this id is there: {@code GET /__admin/mappings/<id>} answers 200, or 404 when it is not. */
    public boolean hasStub(String id) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/mappings/" + id)).GET());
        return switch (response.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw unexpected("GET /mappings/" + id, "200 or 404", response);
        };
    }

    /**
     * Deletes a stub by id; false when it was not there (404). WireMock removes the stub before it updates the stub's
     * scenario, which can fail (wiremock/wiremock#1999) with a 500: the stub is then gone all the same, which a
     * {@code GET} of it shows (404), and that counts as deleted.
     */
    public boolean deleteStub(String id) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/mappings/" + id)).DELETE());
        return switch (response.statusCode()) {
            case 200, 204 -> true;
            case 404 -> false;
            default -> {
                if (!hasStub(id)) {
                    yield true;
                }
                throw unexpected("DELETE /mappings/" + id, "200 or 404", response);
            }
        };
    }

    /**
     * Sets a scenario's state ({@code PUT /__admin/scenarios/<name>/state}); false when there is no such scenario
     * (404). WireMock refuses (400) a state none of the scenario's stubs names.
     */
    public boolean setScenarioState(String scenario, String state) throws IOException {
        String path = "/scenarios/" + URLEncoder.encode(scenario, StandardCharsets.UTF_8).replace("+", "%20")
                + "/state";
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":" + json(state) + "}")));
        return switch (response.statusCode()) {
            case 200, 204 -> true;
            case 404 -> false;
            default -> throw unexpected("PUT " + path, "200 or 404", response);
        };
    }

    /** A scenario's current state, from {@code GET /__admin/scenarios}; empty when there is no such scenario. */
    public Optional<String> scenarioState(String scenario) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/scenarios")).GET());
        if (response.statusCode() != 200) {
            throw unexpected("GET /scenarios", "200", response);
        }
        // WireMock writes each scenario as {"id": .., "name": .., "state": .., "possibleStates": .., "mappings": ..}
        String name = "\"name\"\\s*:\\s*" + Pattern.quote(json(scenario));
        if (!Pattern.compile(name).matcher(response.body()).find()) {
            return Optional.empty();
        }
        Matcher matcher = Pattern.compile(name + "\\s*,\\s*\"state\"\\s*:\\s*\"([^\"\\\\]*)\"")
                .matcher(response.body());
        if (!matcher.find()) {
            throw new IOException("WireMock at " + base + " lists scenario '" + scenario + "' without its state"
                    + " after its name: " + abbreviate(response.body()) + ". Check that the target is a WireMock 3"
                    + " simulator");
        }
        return Optional.of(matcher.group(1));
    }

    /** The ids of the stubs whose {@code gameday} metadata is {@code tag}. */
    public List<String> idsTagged(String tag) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/mappings/find-by-metadata"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(metadataPattern(tag))));
        if (response.statusCode() != 200) {
            throw unexpected("POST /mappings/find-by-metadata", "200", response);
        }
        List<String> ids = new ArrayList<>();
        Matcher matcher = ID.matcher(response.body());
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    /** Removes every stub whose {@code gameday} metadata is {@code tag}. */
    public void removeTagged(String tag) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/mappings/remove-by-metadata"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(metadataPattern(tag))));
        if (response.statusCode() != 200) {
            throw unexpected("POST /mappings/remove-by-metadata", "200", response);
        }
    }

    private static String metadataPattern(String tag) {
        return "{\"matchesJsonPath\":{\"expression\":\"$." + METADATA_KEY + "\",\"equalTo\":" + json(tag) + "}}";
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return client().send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling WireMock at " + base, e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private IOException unexpected(String call, String expected, HttpResponse<String> response) {
        return new IOException("WireMock at " + base + " answered " + call + " with " + response.statusCode() + " "
                + abbreviate(response.body()) + ", expected " + expected + ". Check that the target is a WireMock 3"
                + " simulator (its admin API at /__admin)");
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    /** A JSON string literal. */
    static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
