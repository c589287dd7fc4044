package dev.gameday.environments.kubernetes.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an experiment may touch in a cluster, checked before anything is created: the one context it was given, the
 * namespaces it was given, and in those only the namespaced kinds a system under test is made of. The cluster's own
 * namespaces ({@code kube-system}, {@code kube-public}, {@code kube-node-lease}) are refused unless listed by name
 * with {@code allowNamespace}, even when given as the namespace to work in.
 *
 * <pre>{@code
 * BlastRadius radius = BlastRadius.of("trading", Set.of());
 * radius.checkNamespace("trading");                       // fine
 * radius.checkObject("Deployment", "apps/v1", "kube-system", "api");   // throws, saying how to allow it
 * }</pre>
 */
public final class BlastRadius {

    /** The namespaces of the cluster's own components: refused unless listed by name. */
    public static final Set<String> PROTECTED = Set.of("kube-system", "kube-public", "kube-node-lease");

    /** The namespaced kinds a manifest may hold, by kind: their API groups. */
    public static final Map<String, Set<String>> KINDS = Map.ofEntries(
            Map.entry("Deployment", Set.of("apps")),
            Map.entry("StatefulSet", Set.of("apps")),
            Map.entry("DaemonSet", Set.of("apps")),
            Map.entry("ReplicaSet", Set.of("apps")),
            Map.entry("Pod", Set.of("")),
            Map.entry("Service", Set.of("")),
            Map.entry("ConfigMap", Set.of("")),
            Map.entry("Secret", Set.of("")),
            Map.entry("ServiceAccount", Set.of("")),
            Map.entry("PersistentVolumeClaim", Set.of("")),
            Map.entry("Job", Set.of("batch")),
            Map.entry("CronJob", Set.of("batch")),
            Map.entry("NetworkPolicy", Set.of("networking.k8s.io")),
            Map.entry("Ingress", Set.of("networking.k8s.io")),
            Map.entry("Role", Set.of("rbac.authorization.k8s.io")),
            Map.entry("RoleBinding", Set.of("rbac.authorization.k8s.io")),
            Map.entry("PodDisruptionBudget", Set.of("policy")),
            Map.entry("HorizontalPodAutoscaler", Set.of("autoscaling")));

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    private final String namespace;
    private final Set<String> allowed;

    private BlastRadius(String namespace, Set<String> allowed) {
        this.namespace = namespace;
        this.allowed = allowed;
    }

    /**
     * The scope of an experiment working in {@code namespace}, which may also touch the {@code alsoAllowed} ones.
     *
     * @throws IllegalArgumentException when a name is not a namespace name, or the namespace to work in is one of the
     *                                  cluster's own and not listed in {@code alsoAllowed}
     */
    public static BlastRadius of(String namespace, Set<String> alsoAllowed) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("Kubernetes environment: expected the namespace to work in, but none"
                    + " was given. Give one with namespace(\"<name>\") (the experiment file's 'namespace'); Gameday"
                    + " never assumes 'default'.");
        }
        Set<String> all = new LinkedHashSet<>();
        all.add(namespace);
        all.addAll(alsoAllowed);
        for (String name : all) {
            if (!name.matches(DNS_LABEL)) {
                throw new IllegalArgumentException("Kubernetes environment: '" + name + "' is not a namespace name:"
                        + " expected at most 63 lower-case letters, digits and dashes, starting and ending with a"
                        + " letter or digit.");
            }
        }
        BlastRadius radius = new BlastRadius(namespace, Set.copyOf(alsoAllowed));
        radius.checkNamespace(namespace);
        return radius;
    }

    /** The namespace the experiment works in. */
    public String namespace() {
        return namespace;
    }

    /** Every namespace it may touch, the one it works in first. */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>();
        all.add(namespace);
        allowed.stream().filter(n -> !n.equals(namespace)).sorted().forEach(all::add);
        return all;
    }

    /** Refuses a namespace outside the scope, or one of the cluster's own that was not listed by name. */
    public void checkNamespace(String candidate) {
        if (PROTECTED.contains(candidate) && !allowed.contains(candidate)) {
            throw new IllegalArgumentException("Kubernetes environment: namespace '" + candidate + "' holds the"
                    + " cluster's own components, and Gameday refuses to touch it unless it is listed by name. If an"
                    + " experiment really must reach into it, add allowNamespace(\"" + candidate + "\") (the"
                    + " experiment file's 'allowNamespaces')." );
        }
        if (!candidate.equals(namespace) && !allowed.contains(candidate)) {
            throw new IllegalArgumentException("Kubernetes environment: namespace '" + candidate + "' is outside"
                    + " this experiment's scope " + namespaces() + ". Gameday touches only the namespaces it was"
                    + " given: add allowNamespace(\"" + candidate + "\") (the experiment file's 'allowNamespaces') if"
                    + " the experiment is meant to touch it.");
        }
    }

    /**
     * Refuses an object of a manifest that is cluster-scoped or of a kind a system under test is not made of, or that
     * names a namespace outside the scope.
     *
     * @param kind       the object's kind, such as {@code Deployment}
     * @param apiVersion such as {@code apps/v1} or {@code v1}
     * @param objectNamespace its {@code metadata.namespace}, or null or empty when it has none (it goes to the
     *                   namespace the experiment works in)
     * @param name       its {@code metadata.name}, for the message
     */
    public void checkObject(String kind, String apiVersion, String objectNamespace, String name) {
        String where = kind + " '" + name + "'";
        Set<String> groups = KINDS.get(kind);
        String group = apiVersion == null || !apiVersion.contains("/") ? ""
                : apiVersion.substring(0, apiVersion.indexOf('/'));
        if (groups == null || !groups.contains(group)) {
            throw new IllegalArgumentException("Kubernetes environment: the manifests hold " + where + " ("
                    + apiVersion + "), which Gameday does not create: expected only namespaced objects a system"
                    + " under test is made of, " + KINDS.keySet().stream().sorted().toList() + ". Create anything"
                    + " else (namespaces, cluster roles, CRDs, nodes) yourself before the experiment.");
        }
        if (objectNamespace != null && !objectNamespace.isEmpty()) {
            try {
                checkNamespace(objectNamespace);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replace("Kubernetes environment: ",
                        "Kubernetes environment: the manifests put " + where + " in namespace '" + objectNamespace
                                + "': "), e);
            }
        }
    }
}
