package dev.gameday.environments.images;

import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Swaps an official image name for the same image built locally under {@code gameday.local/}, when the
 * Docker engine has it, so that code naming the official images runs on machines without registry access.
 *
 * <p>{@code scripts/build-images.sh} builds the local images. The mapping drops the registry (and Docker
 * Hub's {@code library/}) and keeps repository and tag:
 * <pre>
 * redis:7.0                         -&gt; gameday.local/redis:7.0
 * postgres:15                       -&gt; gameday.local/postgres:15
 * ghcr.io/shopify/toxiproxy:2.12.0  -&gt; gameday.local/shopify/toxiproxy:2.12.0
 * testcontainers/ryuk:0.14.0        -&gt; gameday.local/testcontainers/ryuk:0.14.0
 * </pre>
 * When the local image is absent, the name is returned unchanged and Testcontainers pulls the official
 * image as usual. A substitute is marked {@linkplain DockerImageName#asCompatibleSubstituteFor compatible}
 * with the original, so modules that check image names ({@code PostgreSQLContainer}, ...) accept it.
 *
 * <p>Wiring: the {@code gameday-environments} jar carries a {@code testcontainers.properties} with
 * {@code image.substitutor=dev.gameday.environments.images.LocalImageSubstitutor}, so every module that
 * depends on it gets the substitution without doing anything:
 * <pre>{@code
 * // bash scripts/build-images.sh   (once per machine, then whenever an image recipe changes)
 * try (GenericContainer<?> redis = new GenericContainer<>("redis:7.0").withExposedPorts(6379)) {
 *     redis.start(); // runs gameday.local/redis:7.0 when it was built, else pulls redis:7.0
 * }
 * }</pre>
 * Setting the environment variable or system property {@code GAMEDAY_LOCAL_IMAGES=off} turns the
 * substitution off (the official images are then always pulled).
 *
 * <p>Testcontainers asks for substitutes while it starts its reaper, that is inside
 * {@link DockerClientFactory#client()}, which holds the factory's lock. The question "does the engine have
 * this image?" therefore goes through that same client, re-entering the lock on the same thread, never
 * from the constructor (Testcontainers creates substitutors under a class lock of its own), and never while
 * this class holds a lock: answers are cached in a concurrent map, filled after the engine answered.
 */
public final class LocalImageSubstitutor extends ImageNameSubstitutor {

    /** Registry prefix of the images {@code scripts/build-images.sh} builds. */
    public static final String LOCAL_REGISTRY = "gameday.local";

    /** Environment variable or system property; {@code off} disables the substitution. */
    public static final String SWITCH = "GAMEDAY_LOCAL_IMAGES";

    private static final Logger LOG = LoggerFactory.getLogger(LocalImageSubstitutor.class);

    private static final String DOCKER_HUB_LIBRARY = "library/";

    private final boolean enabled;
    private final ImageLookup lookup;
    private final ConcurrentMap<String, Boolean> present = new ConcurrentHashMap<>();

    /** Used by Testcontainers (through {@code image.substitutor}): asks the Docker engine Testcontainers uses. */
    public LocalImageSubstitutor() {
        this(switchValue(), LocalImageSubstitutor::engineHasImage);
    }

    LocalImageSubstitutor(String switchValue, ImageLookup lookup) {
        this.enabled = parseSwitch(switchValue);
        this.lookup = lookup;
    }

    @Override
    public DockerImageName apply(DockerImageName original) {
        if (!enabled) {
            return original;
        }
        Optional<DockerImageName> local = localNameFor(original);
        if (local.isEmpty() || !isPresent(local.get().asCanonicalNameString(), original)) {
            return original;
        }
        return local.get().asCompatibleSubstituteFor(original);
    }

    @Override
    protected String getDescription() {
        return "Gameday local images (" + LOCAL_REGISTRY + "/..., built by scripts/build-images.sh; "
                + SWITCH + "=off disables)";
    }

    /**
     * The {@code gameday.local/} name under which {@code scripts/build-images.sh} provides an official image, whether
     * or not the engine has it, for code that runs images without Testcontainers (the Docker Compose environment):
     * <pre>{@code
     * LocalImageSubstitutor.localNameOf(DockerImageName.parse("redis:7.0")) // gameday.local/redis:7.0
     * }</pre>
     * Empty for names already local, for digest-pinned names, and when {@code GAMEDAY_LOCAL_IMAGES=off}.
     */
    public static Optional<DockerImageName> localNameOf(DockerImageName original) {
        return parseSwitch(switchValue()) ? localNameFor(original) : Optional.empty();
    }

    /**
     * The local name an image would be replaced with, whether or not it exists: empty for names already
     * local and for digest-pinned names (a local build cannot have the pinned digest).
     */
    static Optional<DockerImageName> localNameFor(DockerImageName original) {
        if (LOCAL_REGISTRY.equals(original.getRegistry()) || original.getVersionPart().startsWith("sha256:")) {
            return Optional.empty();
        }
        String repository = original.getRepository();
        if (isDockerHub(original.getRegistry()) && repository.startsWith(DOCKER_HUB_LIBRARY)) {
            repository = repository.substring(DOCKER_HUB_LIBRARY.length());
        }
        return Optional.of(DockerImageName.parse(
                LOCAL_REGISTRY + "/" + repository + ":" + original.getVersionPart()));
    }

    private static boolean isDockerHub(String registry) {
        return registry.isEmpty()
                || registry.equals("docker.io")
                || registry.equals("index.docker.io")
                || registry.equals("registry-1.docker.io");
    }

    private boolean isPresent(String localName, DockerImageName original) {
        Boolean known = present.get(localName);
        if (known != null) {
            return known;
        }
        boolean answer;
        try {
            answer = lookup.exists(localName);
        } catch (RuntimeException e) {
            // Not cached: without an engine Testcontainers fails anyway, with a message about the real cause.
            LOG.debug("Could not ask the Docker engine whether {} exists; using the name as given", localName, e);
            return false;
        }
        Boolean raced = present.putIfAbsent(localName, answer);
        if (raced == null && !answer && willBePulled(original)) {
            LOG.info("No local image {}, so Testcontainers will pull {}. On a machine without registry access,"
                    + " build the local images first: bash scripts/build-images.sh", localName,
                    original.asCanonicalNameString());
        }
        return raced != null ? raced : answer;
    }

    /** Whether Testcontainers will have to pull the original: said once, only when it is not local either. */
    private boolean willBePulled(DockerImageName original) {
        try {
            return !lookup.exists(original.asCanonicalNameString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean engineHasImage(String imageName) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(imageName).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String switchValue() {
        String property = System.getProperty(SWITCH);
        return property != null ? property : System.getenv(SWITCH);
    }

    static boolean parseSwitch(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on":
            case "true":
                return true;
            case "off":
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(SWITCH + " must be 'on' or 'off', but was '" + value
                        + "'. Unset it to use local images when they exist, or set " + SWITCH
                        + "=off to always pull the official images.");
        }
    }

    /** Whether the Docker engine has an image; may throw when the engine cannot be asked. */
    @FunctionalInterface
    interface ImageLookup {
        boolean exists(String imageName);
    }
}
