package dev.gameday.scenarios.file;

import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.environments.Environment;
import dev.gameday.scenarios.DurabilityCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads each acknowledged write back through the entry point after the load: a write whose read is not accepted is
 * missing. At most {@code concurrency} reads are in flight, over HTTP/1.1, each with its own timeout; a read that
 * gets no answer at all proves nothing either way, so the check then fails as a whole instead of counting it.
 *
 * <pre>{@code
 * DurabilityCheck check = new HttpReadBack(readOrder, 8, Duration.ofSeconds(5));
 * }</pre>
 */
record HttpReadBack(RequestSpec read, int concurrency, Duration timeout) implements DurabilityCheck {

    static final int DEFAULT_CONCURRENCY = 8;
    private static final int SAMPLE = 5;

    @Override
    public String store() {
        return "writes read back with " + read.method() + " " + read.path().source() + " through the entry point";
    }

    @Override
    public DurabilityEvidence check(Environment environment, List<String> acknowledged) {
        return check(environment.entryPoint().endpoint().uri("http"), acknowledged);
    }

    DurabilityEvidence check(URI baseUri, List<String> acknowledged) {
        HttpClient client = FileTraffic.seedClient();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, acknowledged.size())),
                runnable -> {
                    Thread thread = new Thread(runnable, "gameday-durability-read");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<Boolean>> reads = new ArrayList<>(acknowledged.size());
            for (String id : acknowledged) {
                reads.add(pool.submit(() -> {
                    HttpRequest request = FileTraffic.request(baseUri, read, () -> id, timeout);
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    return read.accept().contains(response.statusCode());
                }));
            }
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                if (!reads.get(i).get()) {
                    missing.add(acknowledged.get(i));
                }
            }
            return new DurabilityEvidence(store(), acknowledged.size(), missing.size(),
                    missing.subList(0, Math.min(SAMPLE, missing.size())));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IOException ? e.getCause() : e;
            throw new IllegalStateException("Could not read an acknowledged write back through " + baseUri + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading acknowledged writes back", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
