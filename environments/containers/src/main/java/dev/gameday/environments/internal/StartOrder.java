package dev.gameday.environments.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which services start: waves, each of services whose dependencies all started in earlier waves, in
 * declaration order within a wave. The services of one wave can start in parallel.
 *
 * <pre>{@code
 * StartOrder.waves(Map.of("api", Set.of("redis"), "redis", Set.of()))   // [[redis], [api]]
 * }</pre>
 */
public final class StartOrder {

    private StartOrder() {
    }

    /**
     * @param dependencies every service, in declaration order (iteration order of the map), with the names it depends
     *                     on; every such name must be a key
     * @throws IllegalArgumentException naming a cycle when there is one
     */
    public static List<List<String>> waves(Map<String, ? extends Set<String>> dependencies) {
        List<List<String>> waves = new ArrayList<>();
        Set<String> started = new LinkedHashSet<>();
        while (started.size() < dependencies.size()) {
            List<String> wave = new ArrayList<>();
            for (Map.Entry<String, ? extends Set<String>> service : dependencies.entrySet()) {
                if (!started.contains(service.getKey()) && started.containsAll(service.getValue())) {
                    wave.add(service.getKey());
                }
            }
            if (wave.isEmpty()) {
                throw new IllegalArgumentException("dependsOn forms a cycle: " + String.join(" -> ",
                        cycle(dependencies, started)) + ". Expected dependencies that lead back to no service; remove"
                        + " one dependsOn of this cycle.");
            }
            started.addAll(wave);
            waves.add(List.copyOf(wave));
        }
        return List.copyOf(waves);
    }

    /** A cycle among the services not started yet: each of them waits for another, so following them must loop. */
    private static List<String> cycle(Map<String, ? extends Set<String>> dependencies, Set<String> started) {
        Deque<String> path = new ArrayDeque<>();
        String current = dependencies.keySet().stream().filter(name -> !started.contains(name)).findFirst().orElseThrow();
        while (!path.contains(current)) {
            path.addLast(current);
            current = dependencies.get(current).stream().filter(name -> !started.contains(name)).sorted().findFirst()
                    .orElseThrow();
        }
        List<String> cycle = new ArrayList<>();
        boolean inCycle = false;
        for (String name : path) {
            inCycle |= name.equals(current);
            if (inCycle) {
                cycle.add(name);
            }
        }
        cycle.add(current);
        return cycle;
    }
}
