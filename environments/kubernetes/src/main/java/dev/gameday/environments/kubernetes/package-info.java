/**
 * Environments in a Kubernetes cluster: {@link dev.gameday.environments.kubernetes.KubernetesEnvironment} deploys a
 * system from plain manifests into a namespace (or attaches to one running there), reaches its Services through
 * ports on loopback, and refuses any namespace, context or kind of object it was not given.
 *
 * <pre>{@code
 * try (KubernetesEnvironment demo = KubernetesEnvironment.demoTradingSystem().namespace("gameday-demo").start()) {
 *     URI api = demo.entryPoint().endpoint().uri("http");
 * }
 * }</pre>
 */
package dev.gameday.environments.kubernetes;
