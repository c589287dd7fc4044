package dev.gameday.environments.internal;

import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.images.Images;
import dev.gameday.environments.images.LocalImageSubstitutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** What every container environment needs: pre-flight checks before anything starts, log capture, orderly stop. */
public final class Containers {

    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);

    private Containers() {
    }

    /** Fails before anything starts when no Docker engine answers, saying how to get one. */
    public static void requireDocker() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new EnvironmentUnavailableException("No Docker engine answers. On Debian as root, run"
                    + " scripts/ensure-docker.sh; elsewhere start Docker, or point DOCKER_HOST at an engine.");
        }
    }

    /** Fails before anything starts when an image this project builds itself is missing. */
    public static void requireLocalImage(DockerImageName image, String builder) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image.asCanonicalNameString()).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            throw new EnvironmentUnavailableException("Image " + image.asCanonicalNameString() + " is not in the local"
                    + " Docker engine; this project builds it itself. Run " + builder + " (it is cached: a second run"
                    + " takes seconds).", e);
        }
    }

    /**
     * Fails before anything starts when the image of a container is in the local Docker engine neither under its own
     * name nor under the {@code gameday.local/} name {@link LocalImageSubstitutor} swaps in, naming every missing image
     * and how to provide it. The containers are set never to pull: machines without a registry would wait minutes for
     * a pull that cannot succeed. With {@code GAMEDAY_LOCAL_IMAGES=off} (always pull the official images) nothing is
     * checked and Testcontainers pulls as usual.
     *
     * @param containers by the name used in the message, configured but not started
     */
    public static void requireLocalImages(Map<String, GenericContainer<?>> containers) {
        if (pullingRequested()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, GenericContainer<?>> entry : containers.entrySet()) {
            GenericContainer<?> container = entry.getValue();
            container.withImagePullPolicy(image -> false);
            String image = container.getDockerImageName(); // substituted, never pulled
            try {
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                missing.add(entry.getKey() + ": " + missingImageAdvice(image));
            }
        }
        if (!missing.isEmpty()) {
            throw new EnvironmentUnavailableException("Expected every image in the local Docker engine before anything"
                    + " starts (nothing is pulled), but " + missing.size() + (missing.size() == 1 ? " is" : " are")
                    + " missing:" + missing.stream().map(line -> "\n  - " + line).collect(Collectors.joining()));
        }
    }

    /** What to do about an image the engine does not have: this project's images are built by one script. */
    static String missingImageAdvice(String image) {
        String canonical = DockerImageName.parse(image).asCanonicalNameString();
        Set<String> ours = Stream.of(Images.REDIS, Images.POSTGRES, Images.TOXIPROXY, Images.WIREMOCK,
                Images.DEMO_TRADING_SYSTEM, Images.NETWORK_TOOLS).map(DockerImageName::asCanonicalNameString)
                .collect(Collectors.toSet());
        if (ours.contains(canonical) || canonical.startsWith(LocalImageSubstitutor.LOCAL_REGISTRY + "/")) {
            return "image " + canonical + " is not built; this project builds it itself. Run scripts/build-images.sh"
                    + " (cached: a second run takes seconds)";
        }
        return "image " + canonical + " is not in the local Docker engine, and scripts/build-images.sh does not provide"
                + " it. Build it (docker build -t " + canonical + " <dir>), load it (docker load -i <file>.tar), or"
                + " pull it where a registry is reachable (docker pull " + canonical + ")";
    }

    private static boolean pullingRequested() {
        String value = System.getProperty(LocalImageSubstitutor.SWITCH, System.getenv(LocalImageSubstitutor.SWITCH));
        return value != null && List.of("off", "false").contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /** Writes each container's output to {@code <directory>/<name>.log}; a container that never started is skipped. */
    public static void saveLogs(Path directory, Map<String, GenericContainer<?>> containers) {
        try {
            Files.createDirectories(directory);
            for (Map.Entry<String, GenericContainer<?>> entry : containers.entrySet()) {
                if (entry.getValue().getContainerId() != null) {
                    Files.writeString(directory.resolve(entry.getKey() + ".log"), entry.getValue().getLogs());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write container logs to " + directory, e);
        } catch (RuntimeException e) {
            LOG.warn("Could not read container logs: {}", e.getMessage());
        }
    }

    /**
     * Closes the resources in order (containers stop, a network is removed, a sidecar stops); a failure to close one
     * does not keep the others open. The first failure is thrown, the others attached to it as suppressed.
     */
    public static void closeAll(List<? extends AutoCloseable> resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                RuntimeException failure = e instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("Could not close " + resource + ": " + e.getMessage(), e);
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The innermost message of an exception chain, for one-line errors. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
