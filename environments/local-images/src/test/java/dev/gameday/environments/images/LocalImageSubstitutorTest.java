package dev.gameday.environments.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

class LocalImageSubstitutorTest {

    /** An engine that has exactly the given images, and remembers what it was asked. */
    private static final class FakeEngine implements LocalImageSubstitutor.ImageLookup {
        private final Set<String> images;
        private final List<String> questions = new ArrayList<>();

        FakeEngine(String... images) {
            this.images = Set.of(images);
        }

        @Override
        public boolean exists(String imageName) {
            questions.add(imageName);
            return images.contains(imageName);
        }
    }

    private static DockerImageName substitute(LocalImageSubstitutor substitutor, String image) {
        return substitutor.apply(DockerImageName.parse(image));
    }

    @Test
    void mapsDockerHubImagesToTheLocalRegistryWhenBuilt() {
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null,
                new FakeEngine("gameday.local/redis:7.0", "gameday.local/postgres:15"));

        assertThat(substitute(substitutor, "redis:7.0").asCanonicalNameString()).isEqualTo("gameday.local/redis:7.0");
        assertThat(substitute(substitutor, "docker.io/library/postgres:15").asCanonicalNameString())
                .as("Docker Hub's registry and library/ prefix are dropped")
                .isEqualTo("gameday.local/postgres:15");
    }

    @Test
    void keepsTheOrganisationAndDropsOtherRegistries() {
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null, new FakeEngine(
                "gameday.local/shopify/toxiproxy:2.12.0", "gameday.local/testcontainers/ryuk:0.14.0"));

        assertThat(substitute(substitutor, "ghcr.io/shopify/toxiproxy:2.12.0").asCanonicalNameString())
                .isEqualTo("gameday.local/shopify/toxiproxy:2.12.0");
        assertThat(substitute(substitutor, "testcontainers/ryuk:0.14.0").asCanonicalNameString())
                .isEqualTo("gameday.local/testcontainers/ryuk:0.14.0");
    }

    @Test
    void marksTheSubstituteCompatibleWithTheOriginal() {
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null, new FakeEngine("gameday.local/postgres:15"));

        DockerImageName substitute = substitute(substitutor, "postgres:15");

        assertThat(substitute.isCompatibleWith(DockerImageName.parse("postgres")))
                .as("PostgreSQLContainer accepts the substitute as a postgres image")
                .isTrue();
    }

    @Test
    void returnsTheOriginalWhenTheLocalImageIsMissing() {
        FakeEngine engine = new FakeEngine();
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null, engine);

        DockerImageName original = DockerImageName.parse("redis:7.2");

        assertThat(substitutor.apply(original)).isSameAs(original);
        assertThat(engine.questions)
                .as("the local name, then the original (to say, once, that it will be pulled)")
                .containsExactly("gameday.local/redis:7.2", "redis:7.2");
    }

    @Test
    void treatsAnUntaggedNameAsLatest() {
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null, new FakeEngine("gameday.local/redis:latest"));

        assertThat(substitute(substitutor, "redis").asCanonicalNameString()).isEqualTo("gameday.local/redis:latest");
    }

    @Test
    void leavesLocalAndDigestPinnedNamesAloneWithoutAskingTheEngine() {
        FakeEngine engine = new FakeEngine("gameday.local/redis:7.0");
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null, engine);

        String pinned = "redis@sha256:" + "a".repeat(64);
        assertThat(substitute(substitutor, pinned).asCanonicalNameString()).isEqualTo(pinned);
        assertThat(substitute(substitutor, "gameday.local/redis:7.0").asCanonicalNameString())
                .isEqualTo("gameday.local/redis:7.0");
        assertThat(engine.questions).isEmpty();
    }

    @Test
    void asksTheEngineOncePerImage() {
        FakeEngine engine = new FakeEngine("gameday.local/redis:7.0");
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null, engine);

        for (int i = 0; i < 3; i++) {
            substitute(substitutor, "redis:7.0");
            substitute(substitutor, "postgres:15");
        }

        assertThat(engine.questions)
                .as("questions to the engine after three rounds")
                .containsExactly("gameday.local/redis:7.0", "gameday.local/postgres:15", "postgres:15");
    }

    @Test
    void asksAgainAfterTheEngineCouldNotAnswer() {
        List<String> questions = new ArrayList<>();
        boolean[] engineUp = {false};
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(null, name -> {
            questions.add(name);
            if (!engineUp[0]) {
                throw new IllegalStateException("Could not find a valid Docker environment");
            }
            return true;
        });

        assertThat(substitute(substitutor, "redis:7.0").asCanonicalNameString()).isEqualTo("redis:7.0");
        engineUp[0] = true;
        assertThat(substitute(substitutor, "redis:7.0").asCanonicalNameString()).isEqualTo("gameday.local/redis:7.0");
        assertThat(questions).hasSize(2);
    }

    @Test
    void doesNothingWhenSwitchedOff() {
        FakeEngine engine = new FakeEngine("gameday.local/redis:7.0");
        LocalImageSubstitutor substitutor = new LocalImageSubstitutor(" OFF ", engine);

        assertThat(substitute(substitutor, "redis:7.0").asCanonicalNameString()).isEqualTo("redis:7.0");
        assertThat(engine.questions).isEmpty();
    }

    @Test
    void acceptsOnAndOffSpellings() {
        assertThat(LocalImageSubstitutor.parseSwitch(null)).isTrue();
        assertThat(LocalImageSubstitutor.parseSwitch("")).isTrue();
        assertThat(LocalImageSubstitutor.parseSwitch("on")).isTrue();
        assertThat(LocalImageSubstitutor.parseSwitch("true")).isTrue();
        assertThat(LocalImageSubstitutor.parseSwitch("off")).isFalse();
        assertThat(LocalImageSubstitutor.parseSwitch("false")).isFalse();
    }

    @Test
    void rejectsAnUnknownSwitchValueSayingWhatToDo() {
        assertThatThrownBy(() -> new LocalImageSubstitutor("maybe", new FakeEngine()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GAMEDAY_LOCAL_IMAGES must be 'on' or 'off', but was 'maybe'. Unset it to use local"
                        + " images when they exist, or set GAMEDAY_LOCAL_IMAGES=off to always pull the official images.");
    }
}
