/**
 * The system under test as its team describes it, in its own {@code docker-compose.yml}, run with Docker Compose v2
 * and Toxiproxy slipped in front of the dependencies declared proxied, without changing the file.
 *
 * <pre>{@code
 * try (ComposeEnvironment system = ComposeEnvironment.builder(Path.of("docker-compose.yml"))
 *         .entryPoint("quotes", 8000).proxied("redis", Protocol.REDIS, 6379).readiness("/health").start()) {
 *     NetworkLink redis = system.target("redis").link().orElseThrow();
 * }
 * }</pre>
 *
 * <p>Compose v2 is installed by {@code scripts/install-compose.sh}; see
 * {@link dev.gameday.environments.compose.ComposeEnvironment} for how the derived model is made and cleaned up.
 */
package dev.gameday.environments.compose;
