package dev.gameday.environments.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainersTest {

    @Test
    void anImageThisProjectBuildsIsProvidedByTheBuildScript() {
        assertThat(Containers.missingImageAdvice("redis:7.0"))
                .isEqualTo("image redis:7.0 is not built; this project builds it itself. Run scripts/build-images.sh"
                        + " (cached: a second run takes seconds)");
        assertThat(Containers.missingImageAdvice("gameday.local/alpine:3.17")).contains("Run scripts/build-images.sh");
    }

    @Test
    void anyOtherImageIsTheUsersToProvide() {
        assertThat(Containers.missingImageAdvice("example/quotes:1"))
                .isEqualTo("image example/quotes:1 is not in the local Docker engine, and scripts/build-images.sh does"
                        + " not provide it. Build it (docker build -t example/quotes:1 <dir>), load it (docker load -i"
                        + " <file>.tar), or pull it where a registry is reachable (docker pull example/quotes:1)");
    }
}
