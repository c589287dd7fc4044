package dev.gameday.environments.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Protocol;
import dev.gameday.environments.kubernetes.internal.BlastRadius;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarded blast radius: every refusal comes before anything is created, and says what was expected, what was
 * found and how to allow it. The kubeconfig here names a server at 127.0.0.1:1, which nothing answers: a refusal
 * that reached the cluster would fail differently.
 */
class BlastRadiusTest {

    @TempDir
    Path dir;

    @Test
    void theClustersOwnNamespacesAreRefusedUnlessListedByName() {
        assertThatThrownBy(() -> BlastRadius.of("kube-system", Set.of()))
                .hasMessageContaining("namespace 'kube-system' holds the cluster's own components")
                .hasMessageContaining("allowNamespace(\"kube-system\")");
        assertThat(BlastRadius.of("kube-system", Set.of("kube-system")).namespaces()).containsExactly("kube-system");
        BlastRadius radius = BlastRadius.of("trading", Set.of());
        assertThatThrownBy(() -> radius.checkNamespace("kube-public")).hasMessageContaining("kube-public");
        assertThatThrownBy(() -> radius.checkNamespace("payments"))
                .hasMessageContaining("namespace 'payments' is outside this experiment's scope [trading]")
                .hasMessageContaining("allowNamespace(\"payments\")");
        BlastRadius wider = BlastRadius.of("trading", Set.of("payments"));
        wider.checkNamespace("payments");
        assertThat(wider.namespaces()).containsExactly("trading", "payments");
    }

    @Test
    void aNamespaceIsRequiredAndMustBeAName() {
        assertThatThrownBy(() -> BlastRadius.of(null, Set.of())).hasMessageContaining("expected the namespace to work"
                + " in, but none was given").hasMessageContaining("never assumes 'default'");
        assertThatThrownBy(() -> BlastRadius.of("Trading_1", Set.of())).hasMessageContaining("'Trading_1' is not a"
                + " namespace name");
    }

    @Test
    void manifestsHoldOnlyNamespacedKindsOfASystemInTheScope() {
        BlastRadius radius = BlastRadius.of("trading", Set.of());
        radius.checkObject("Deployment", "apps/v1", null, "api");
        radius.checkObject("Service", "v1", "trading", "api");
        radius.checkObject("NetworkPolicy", "networking.k8s.io/v1", "", "deny");
        assertThatThrownBy(() -> radius.checkObject("ClusterRoleBinding", "rbac.authorization.k8s.io/v1", null,
                "admin")).hasMessageContaining("ClusterRoleBinding 'admin'").hasMessageContaining("does not create")
                .hasMessageContaining("Create anything else (namespaces, cluster roles, CRDs, nodes) yourself");
        assertThatThrownBy(() -> radius.checkObject("Namespace", "v1", null, "x")).hasMessageContaining("Namespace");
        assertThatThrownBy(() -> radius.checkObject("Deployment", "extensions/v1beta1", null, "old"))
                .hasMessageContaining("Deployment 'old' (extensions/v1beta1)");
        assertThatThrownBy(() -> radius.checkObject("Deployment", "apps/v1", "kube-system", "sneaky"))
                .hasMessageContaining("the manifests put Deployment 'sneaky' in namespace 'kube-system'")
                .hasMessageContaining("allowNamespace(\"kube-system\")");
    }

    @Test
    void theEnvironmentRefusesBeforeItConnects() throws IOException {
        Path kubeconfig = kubeconfig();
        Path manifests = Files.createDirectories(dir.resolve("k8s"));
        Files.writeString(manifests.resolve("app.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: api}
                spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}},
                  spec: {containers: [{name: api, image: example/api:1}]}}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: kube-system}
                spec: {selector: {app: api}, ports: [{port: 80}]}
                """);
        assertThatThrownBy(() -> KubernetesEnvironment.builder().kubeconfig(kubeconfig).namespace("trading")
                .manifests(manifests).service("api", 80, Protocol.HTTP).entryPoint("api", "/").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the manifests put Service 'api' in namespace 'kube-system'");
        assertThatThrownBy(() -> KubernetesEnvironment.builder().kubeconfig(kubeconfig).namespace("trading")
                .context("production").service("api", 80, Protocol.HTTP).entryPoint("api", "/").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("production");
        assertThatThrownBy(() -> KubernetesEnvironment.builder().kubeconfig(dir.resolve("missing")).namespace("trading")
                .service("api", 80, Protocol.HTTP).entryPoint("api", "/").start())
                .hasMessageContaining("expected a kubeconfig at " + dir.resolve("missing"))
                .hasMessageContaining("scripts/cluster/cluster.sh start");
        assertThatThrownBy(() -> KubernetesEnvironment.builder().kubeconfig(kubeconfig).namespace("trading")
                .service("api", 80, Protocol.HTTP).entryPoint("web", "/").start())
                .hasMessageContaining("expected the entry point to be one of the declared services [api], but found"
                        + " 'web'");
        assertThatThrownBy(() -> KubernetesEnvironment.builder().kubeconfig(kubeconfig).namespace("kube-system")
                .service("api", 80, Protocol.HTTP).entryPoint("api", "/").start())
                .hasMessageContaining("holds the cluster's own components");
    }

    private Path kubeconfig() throws IOException {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: nowhere
                  cluster: {server: "https://127.0.0.1:1"}
                users:
                - name: nobody
                  user: {token: not-a-secret}
                contexts:
                - name: staging
                  context: {cluster: nowhere, user: nobody}
                current-context: staging
                """);
    }
}
