package dev.gameday.scenarios.file;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.gameday.scenarios.ExperimentException;
import dev.gameday.scenarios.Traffic;
import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP traffic an experiment file describes: each request becomes a Gatling request with its placeholders
 * rendered per request, {@code ${write}} drawing from the ledger's recently acknowledged writes. The seed, if any,
 * sends its request before the load starts, over HTTP/1.1, and every one must be accepted.
 *
 * <pre>{@code
 * Traffic traffic = new FileTraffic(List.of(placeOrder, readOrder), Optional.of(new FileTraffic.Seed(placeOrder, 20)));
 * }</pre>
 */
record FileTraffic(List<RequestSpec> specs, Optional<Seed> seed) implements Traffic {

    static final Duration SEED_TIMEOUT = Duration.ofSeconds(5);

    /** Requests sent before the load starts, each of which must be accepted with its write identifier. */
    record Seed(RequestSpec request, int count) {
    }

    FileTraffic {
        specs = List.copyOf(specs);
    }

    @Override
    public List<TrafficRequest> requests(WriteLedger ledger) {
        return specs.stream()
                .map(spec -> new TrafficRequest(spec.name(), spec.share(), () -> gatling(spec, ledger), spec.accept(),
                        spec.writeIdHeader()))
                .toList();
    }

    private static HttpRequestActionBuilder gatling(RequestSpec spec, WriteLedger ledger) {
        Supplier<String> write = recentWrite(ledger);
        HttpRequestActionBuilder request = http(spec.name()).httpRequest(spec.method(),
                session -> target(spec.path().render(write)));
        for (Map.Entry<String, Template> header : spec.headers().entrySet()) {
            Template value = header.getValue();
            request = request.header(header.getKey(), session -> value.render(write));
        }
        if (spec.body().isPresent()) {
            Template body = spec.body().get();
            request = request.body(StringBody(session -> body.render(write)));
        }
        return request;
    }

    private static Supplier<String> recentWrite(WriteLedger ledger) {
        return () -> ledger.recent().orElseThrow(() -> new IllegalStateException(
                "no acknowledged write yet for ${write}"));
    }

    @Override
    public void seed(URI baseUri, WriteLedger ledger) {
        if (seed.isEmpty()) {
            return;
        }
        RequestSpec spec = seed.get().request();
        HttpClient client = seedClient();
        Supplier<String> write = recentWrite(ledger);
        for (int i = 0; i < seed.get().count(); i++) {
            HttpRequest request = request(baseUri, spec, write, SEED_TIMEOUT);
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                Optional<String> id = spec.writeIdHeader().flatMap(name -> response.headers().firstValue(name));
                if (!spec.accept().contains(response.statusCode()) || id.isEmpty()) {
                    throw new ExperimentException("The system under test did not accept the seed request '"
                            + spec.name() + "' before the load started: " + request.method() + " " + request.uri()
                            + " answered " + response.statusCode() + " " + abbreviate(response.body()) + " (expected "
                            + spec.accept() + " with a " + spec.writeIdHeader().orElse("write id")
                            + " header). Check its logs; it must be healthy before the experiment starts.");
                }
                ledger.acknowledge(id.get());
            } catch (IOException e) {
                throw new ExperimentException("The system under test did not answer the seed request at "
                        + request.uri() + ": " + e.getMessage() + ". Is it running, and is this its address?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExperimentException("Interrupted while seeding", e);
            }
        }
    }

    /**
     * HTTP/1.1 only: the default client asks to upgrade to HTTP/2 in a header that some servers answer with 400.
     */
    static HttpClient seedClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(SEED_TIMEOUT).build();
    }

    /** The request as {@link java.net.http} sends it, placeholders rendered. */
    static HttpRequest request(URI baseUri, RequestSpec spec, Supplier<String> write, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        spec.headers().forEach((name, value) -> headers.put(name, value.render(write)));
        HttpRequest.BodyPublisher body = spec.body()
                .map(b -> HttpRequest.BodyPublishers.ofString(b.render(write)))
                .orElse(HttpRequest.BodyPublishers.noBody());
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUri.resolve(target(spec.path().render(write))))
                .timeout(timeout)
                .method(spec.method(), body);
        headers.forEach(builder::header);
        return builder.build();
    }

    /**
     * Where a rendered path points: an absolute URL or a path as it is, anything else (a bare write id such as
     * {@code 42} from {@code ${write}}) as a path from the root, which both Gatling and {@link URI#resolve} would
     * otherwise glue onto the port.
     */
    static String target(String rendered) {
        return rendered.startsWith("/") || rendered.startsWith("http://") || rendered.startsWith("https://")
                ? rendered : "/" + rendered;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
