/**
 * Environments made of containers, defined in a few lines: {@link dev.gameday.environments.containers.ContainerSystem}
 * starts services on a private network, puts Toxiproxy in front of the ones network faults target without changing
 * the application's configuration, and hands them out as targets.
 *
 * <pre>{@code
 * Environment system = ContainerSystem.named("quotes")
 *         .service("redis", Images.REDIS).port(6379, Protocol.REDIS)
 *         .service("quotes", DockerImageName.parse("example/quotes:1")).port(8000, Protocol.HTTP).dependsOn("redis")
 *         .proxied("redis")
 *         .entryPoint("quotes", "/health")
 *         .start();
 * }</pre>
 */
package dev.gameday.environments.containers;
