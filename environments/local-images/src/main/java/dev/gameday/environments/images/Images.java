package dev.gameday.environments.images;

import org.testcontainers.utility.DockerImageName;

/**
 * The images the bundled environments run, by their ordinary names. On a machine without a registry,
 * {@code scripts/build-images.sh} builds local equivalents and {@link LocalImageSubstitutor} swaps them in.
 *
 *
 * <pre>{@code
 * GenericContainer<?> redis = new GenericContainer<>(Images.REDIS);   // runs gameday.local/redis:7.0 offline
 * }</pre>
 */
public final class Images {

    public static final DockerImageName REDIS = DockerImageName.parse("redis:7.0");
    public static final DockerImageName POSTGRES = DockerImageName.parse("postgres:15");
    public static final DockerImageName TOXIPROXY = DockerImageName.parse("ghcr.io/shopify/toxiproxy:2.12.0");
    public static final DockerImageName WIREMOCK = DockerImageName.parse("wiremock/wiremock:3.13.2");
    /** The demo trading system; never in a registry, always built by {@code scripts/build-images.sh}. */
    public static final DockerImageName DEMO_TRADING_SYSTEM =
            DockerImageName.parse("gameday/demo-trading-system:" + ProjectVersion.VALUE);
    /**
     * Runs {@code ss} next to Toxiproxy, whose image has no shell, to read its open connections
     * (the containers module's {@code ProxyConnectionsSidecar}). Always this project's own image, never
     * substituted and never pulled: the official {@code alpine:3.17} has BusyBox but not iproute2's {@code ss}, whereas
     * {@code gameday.local/alpine:3.17}, which {@code scripts/build-images.sh} builds as Testcontainers' helper image,
     * is Debian with iproute2 ({@code ss} at {@code /usr/bin/ss}). A user who turned the local images off still gets
     * this one, since nothing official would do.
     */
    public static final DockerImageName NETWORK_TOOLS = DockerImageName.parse("gameday.local/alpine:3.17");

    private Images() {
    }
}
