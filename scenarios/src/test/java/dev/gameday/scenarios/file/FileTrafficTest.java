package dev.gameday.scenarios.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.scenarios.ExperimentException;
import dev.gameday.scenarios.WriteLedger;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seeding and reading back over HTTP/1.1 against a server on the loopback address; placeholders. */
class FileTrafficTest {

    private HttpServer server;
    private URI base;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger created = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " upgrade="
                    + exchange.getRequestHeaders().getFirst("Upgrade") + " type="
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST") && path.equals("/orders")) {
                exchange.getResponseHeaders().add("Location", "/orders/" + created.incrementAndGet());
                exchange.sendResponseHeaders(201, -1);
            } else if (path.startsWith("/orders/") && Integer.parseInt(path.substring(8)) <= created.get()) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static RequestSpec placeOrder(String path) {
        return new RequestSpec("place order", 0.5, "POST", Template.parse(path),
                Map.of("Content-Type", Template.parse("application/json")),
                Optional.of(Template.parse("{\"quantity\":${random:1-100}}")), Set.of(201), Optional.of("Location"));
    }

    @Test
    void seedsOverHttp11AndRecordsEachWrite() {
        WriteLedger ledger = new WriteLedger();
        new FileTraffic(List.of(placeOrder("/orders")), Optional.of(new FileTraffic.Seed(placeOrder("/orders"), 3)))
                .seed(base, ledger);

        assertThat(ledger.all()).containsExactly("/orders/1", "/orders/2", "/orders/3");
        assertThat(requests).hasSize(3).allSatisfy(r -> assertThat(r)
                .matches("POST /orders upgrade=null type=application/json \\{\"quantity\":([1-9][0-9]?|100)}"));
    }

    @Test
    void aSeedThatIsRefusedStopsTheExperimentSayingWhy() {
        assertThatThrownBy(() -> new FileTraffic(List.of(), Optional.of(new FileTraffic.Seed(placeOrder("/nowhere"), 1)))
                .seed(base, new WriteLedger()))
                .isInstanceOf(ExperimentException.class)
                .hasMessageStartingWith("The system under test did not accept the seed request 'place order' before"
                        + " the load started: POST " + base + "/nowhere answered 404");
    }

    @Test
    void readsEachWriteBackAndReportsTheMissingOnes() {
        created.set(2);
        RequestSpec read = new RequestSpec("durability read", 1, "GET", Template.parse("${write}"), Map.of(),
                Optional.empty(), Set.of(200), Optional.empty());
        DurabilityEvidence evidence = new HttpReadBack(read, 4, Duration.ofSeconds(5))
                .check(base, List.of("/orders/1", "/orders/2", "/orders/3", "/orders/9"));

        assertThat(evidence.acknowledged()).isEqualTo(4);
        assertThat(evidence.missing()).isEqualTo(2);
        assertThat(evidence.missingSample()).containsExactly("/orders/3", "/orders/9");
        assertThat(evidence.store()).isEqualTo("writes read back with GET ${write} through the entry point");
        assertThat(requests).allSatisfy(r -> assertThat(r).contains("upgrade=null"));
    }

    @Test
    void aReadBackWithoutAnAnswerFailsTheCheckInsteadOfCountingAWriteMissing() {
        server.stop(0);
        RequestSpec read = new RequestSpec("durability read", 1, "GET", Template.parse("${write}"), Map.of(),
                Optional.empty(), Set.of(200), Optional.empty());
        assertThatThrownBy(() -> new HttpReadBack(read, 2, Duration.ofSeconds(1)).check(base, List.of("/orders/1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Could not read an acknowledged write back through " + base);
    }

    @Test
    void aBareWriteIdIsAPathFromTheRoot() {
        assertThat(FileTraffic.target("42")).isEqualTo("/42");
        assertThat(FileTraffic.target("/orders/42")).isEqualTo("/orders/42");
        assertThat(FileTraffic.target("http://localhost:1/orders/42")).isEqualTo("http://localhost:1/orders/42");
        RequestSpec read = new RequestSpec("durability read", 1, "GET", Template.parse("${write}"), Map.of(),
                Optional.empty(), Set.of(200), Optional.empty());
        assertThat(FileTraffic.request(base, read, () -> "orders/1", Duration.ofSeconds(1)).uri())
                .isEqualTo(URI.create(base + "/orders/1"));
    }

    @Test
    void rendersPlaceholders() {
        Template template = Template.parse("/a/${random:5-5}/${uuid}/${write}?n=${random:1-3}");
        String rendered = template.render(() -> "w");
        assertThat(rendered).matches("/a/5/[0-9a-f-]{36}/w\\?n=[123]");
        assertThat(template.usesWrite()).isTrue();
        assertThat(Template.parse("plain").isConstant()).isTrue();
        assertThatThrownBy(() -> Template.parse("${random:1-}")).hasMessage("${random:1-}: expected a range of whole"
                + " numbers such as ${random:1-100}.");
        assertThatThrownBy(() -> Template.parse("x${write")).hasMessage("the placeholder starting '${write' has no"
                + " closing '}'. Placeholders are ${random:1-100}, ${uuid} or ${write}.");
    }
}
