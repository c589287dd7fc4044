package dev.gameday.scenarios.file;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.Evidence;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.environments.Protocol;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.Fault;
import dev.gameday.scenarios.DurabilityCheck;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.OpenLoad;
import dev.gameday.scenarios.catalogue.OrdersTable;
import dev.gameday.scenarios.file.Problems.Section;
import dev.gameday.scenarios.file.Yaml.Entry;
import dev.gameday.scenarios.file.Yaml.ListNode;
import dev.gameday.scenarios.file.Yaml.MapNode;
import dev.gameday.scenarios.file.Yaml.Node;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the tree of one experiment file into an {@link Experiment}, checking everything that can be checked before
 * anything starts; every problem is an {@link ExperimentFileException} located at the offending key or value.
 * The key names and their meaning are documented in {@code docs/experiment-file.md} and in the JSON Schema.
 *
 * <pre>{@code
 * Experiment experiment = new ExperimentParser(new Problems("x.yaml"), Path.of("."), Environments.DEFAULT)
 *         .experiment(Yaml.read(text, problems));
 * }</pre>
 */
final class ExperimentParser {

    static final List<String> TOP = List.of("name", "description", "environment", "traffic", "load", "fault",
            "schedule", "objectives", "durability");
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    /** Latency criteria by key, with the percentile each means; {@code maxBelow} is the 100th. */
    static final Map<String, Double> LATENCY_KEYS = latencyKeys();
    static final List<String> CRITERIA = criteriaKeys();
    /** What {@link java.net.http.HttpClient} refuses to set; the load generator sets them itself. */
    static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final double SHARE_TOLERANCE = 1e-6;
    private static final String ENVIRONMENT_EXAMPLE = "{demo: {flaws: []}}";

    private final Problems problems;
    private final Path baseDirectory;
    private final Environments environments;

    ExperimentParser(Problems problems, Path baseDirectory, Environments environments) {
        this.problems = problems;
        this.baseDirectory = baseDirectory;
        this.environments = environments;
    }

    private record Env(EnvironmentSource source, Map<String, TargetSpec> targets, boolean demo, String hint) {
    }

    Experiment experiment(Node root) {
        Section top = problems.section(root, "name: my-experiment", TOP.toArray(String[]::new));
        Node nameNode = top.require("name", "redis-timeouts");
        String name = problems.text(nameNode, "redis-timeouts");
        if (!NAME.matcher(name).matches()) {
            throw problems.at(nameNode, "expected lower-case letters, digits and dashes such as redis-timeouts, found '"
                    + name + "'.");
        }
        String description = problems.text(top.require("description", "Redis stops answering for 20 s"),
                "'Redis stops answering for 20 s'");
        Env env = environment(top.require("environment", ENVIRONMENT_EXAMPLE));
        FileTraffic traffic = traffic(top.require("traffic", "{requests: [...]}"));
        OpenLoad load = load(top.require("load", "{rate: 200, warmup: 30s}"));
        Node scheduleNode = top.require("schedule", "{baseline: 20s, fault: 20s, observe: 30s}");
        Section scheduleSection = problems.section(scheduleNode, "{baseline: 20s, fault: 20s, observe: 30s}",
                "baseline", "fault", "observe");
        FaultSchedule schedule = schedule(scheduleSection);
        NetworkFaultSource fault = fault(top.require("fault", "{type: timeout, target: redis}"), env, schedule,
                scheduleSection);
        Node objectivesNode = top.require("objectives", "{baseline: {p95Below: 100ms, successAbove: 99.5%}}");
        ObjectiveSet objectives = objectives(objectivesNode);
        Optional<DurabilityCheck> durability = top.optional("durability").map(node -> durability(node, env, traffic));
        boolean judged = objectives.objectives().stream().anyMatch(o -> o instanceof dev.gameday.assertions.DurabilityObjective);
        if (judged && durability.isEmpty()) {
            Section section = problems.section(objectivesNode, "", "baseline", "fault", "recovery", "after",
                    "acknowledgedWritesDurable", "evidence");
            throw problems.at(section.keyMark("acknowledgedWritesDurable"), section.child("acknowledgedWritesDurable"),
                    "nothing checks the acknowledged writes: add a durability section, for example durability: {http:"
                            + " {method: GET, path: '${write}', accept: [200]}}" + (env.demo()
                            ? " or durability: {ordersTable: true}" : "") + ".");
        }
        if (!judged && durability.isPresent()) {
            throw problems.at(top.keyMark("durability"), "durability", "the durability check is never judged: add"
                    + " acknowledgedWritesDurable: true to objectives, or remove durability.");
        }
        try {
            Experiment experiment = Experiment.named(name, description).given(env.source()).when(traffic, load)
                    .inject(fault, schedule).then(objectives);
            return durability.map(experiment::verifyingDurability).orElse(experiment);
        } catch (IllegalArgumentException | IllegalStateException e) {
            String message = String.valueOf(e.getMessage()).replace("observe()", "schedule.observe");
            String key = message.contains("baseline of") ? "baseline" : "observe";
            throw problems.at(scheduleSection.optional(key).orElseThrow(), message);
        }
    }

    // --- environment ---------------------------------------------------------------------------------------------

    private Env environment(Node node) {
        Section section = problems.section(node, ENVIRONMENT_EXAMPLE, "demo", "compose");
        if (section.has("demo") == section.has("compose")) {
            throw problems.at(node, "expected exactly one of demo (the bundled demo trading system) or compose (your"
                    + " own Docker Compose project), found " + (section.has("demo") ? "both" : "neither") + ".");
        }
        if (section.has("demo")) {
            Node demoNode = section.optional("demo").orElseThrow();
            Set<Flaw> flaws = EnumSet.noneOf(Flaw.class);
            if (!(demoNode instanceof Yaml.Scalar s && s.kind() == Yaml.Kind.NULL)) {
                Section demo = problems.section(demoNode, "{flaws: [no-redis-timeout]}", "flaws");
                Optional<Node> flawsNode = demo.optional("flaws");
                if (flawsNode.isPresent()) {
                    for (Node flawNode : problems.list(flawsNode.get(), "[no-redis-timeout]").items()) {
                        flaws.add(flaw(flawNode));
                    }
                }
            }
            return new Env(environments.demo(flaws), DemoEnvironment.TARGETS, true,
                    "the demo system's entry point api is reached directly; its redis, postgres and exchange go"
                            + " through Toxiproxy");
        }
        ComposeSection compose = compose(section.optional("compose").orElseThrow());
        return new Env(environments.compose(compose), compose.allTargets(), false,
                "declare the target under environment.compose.targets with proxied: true");
    }

    private Flaw flaw(Node node) {
        String name = problems.text(node, "no-redis-timeout");
        List<String> known = Arrays.stream(Flaw.values()).map(Flaw::id).toList();
        if (!known.contains(name)) {
            throw problems.at(node, "unknown flaw '" + name + "'" + Problems.suggestion(name, known) + " Known flaws: "
                    + String.join(", ", known) + ".");
        }
        return Flaw.fromId(name);
    }

    private ComposeSection compose(Node node) {
        String example = "{files: [docker-compose.yml], entryPoint: {service: api, port: 8080}}";
        Section section = problems.section(node, example, "files", "name", "entryPoint", "readiness",
                "startupTimeout", "targets");
        ListNode filesNode = problems.list(section.require("files", "[docker-compose.yml]"), "[docker-compose.yml]");
        if (filesNode.items().isEmpty()) {
            throw problems.at(filesNode, "expected at least one Compose file, such as [docker-compose.yml].");
        }
        List<Path> files = new ArrayList<>();
        for (Node fileNode : filesNode.items()) {
            String file = problems.text(fileNode, "docker-compose.yml");
            Path path;
            try {
                path = baseDirectory.resolve(file).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw problems.at(fileNode, "'" + file + "' is not a valid path: " + e.getReason() + ".");
            }
            if (!Files.isRegularFile(path)) {
                throw problems.at(fileNode, "the Compose file '" + file + "' does not exist (looked for " + path
                        + "). Paths are relative to the experiment file.");
            }
            files.add(path);
        }
        Optional<String> name = section.optional("name").map(n -> {
            String project = problems.text(n, "quotes");
            if (!PROJECT.matcher(project).matches()) {
                throw problems.at(n, "expected a Compose project name of lower-case letters, digits, dashes and"
                        + " underscores, such as quotes, found '" + project + "'.");
            }
            return project;
        });
        Section entry = problems.section(section.require("entryPoint", "{service: api, port: 8080}"),
                "{service: api, port: 8080}", "service", "port");
        String entryService = serviceName(entry.require("service", "api"));
        int entryPort = (int) problems.integer(entry.require("port", "8080"), 1, 65_535, "a port");
        Optional<String> readiness = section.optional("readiness").map(n -> {
            String path = problems.text(n, "/health");
            if (!path.startsWith("/")) {
                throw problems.at(n, "expected a path on the entry point such as /health, found '" + path + "'.");
            }
            return path;
        });
        Optional<Duration> startupTimeout = section.optional("startupTimeout").map(n -> {
            Duration timeout = problems.duration(n);
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw problems.at(n, "expected a startup timeout from 1s to 1h, found '" + ((Yaml.Scalar) n).text()
                        + "'.");
            }
            return timeout;
        });
        List<TargetSpec> targets = new ArrayList<>();
        Optional<Node> targetsNode = section.optional("targets");
        if (targetsNode.isPresent()) {
            if (!(targetsNode.get() instanceof MapNode map)) {
                throw problems.at(targetsNode.get(), "expected a mapping of service names to targets, such as {redis:"
                        + " {port: 6379, protocol: redis, proxied: true}}, found " + Problems.describe(targetsNode.get())
                        + ".");
            }
            for (Entry target : map.entries().values()) {
                String targetName = target.key();
                String path = map.path() + "." + targetName;
                if (!NAME.matcher(targetName).matches()) {
                    throw problems.at(target.keyMark(), path, "a target is named after its Compose service, in"
                            + " lower-case letters, digits and dashes, such as redis; found '" + targetName + "'.");
                }
                if (targetName.equals(entryService)) {
                    throw problems.at(target.keyMark(), path, "'" + targetName + "' is already the entry point; declare"
                            + " each service once.");
                }
                targets.add(target(targetName, target.value()));
            }
        }
        return new ComposeSection(files, name, entryService, entryPort, readiness, startupTimeout, targets);
    }

    private String serviceName(Node node) {
        String service = problems.text(node, "api");
        if (!NAME.matcher(service).matches()) {
            throw problems.at(node, "expected a Compose service name of lower-case letters, digits and dashes (it"
                    + " becomes the target's name), such as api, found '" + service + "'.");
        }
        return service;
    }

    private TargetSpec target(String name, Node node) {
        String example = "{port: 6379, protocol: redis, proxied: true}";
        Section section = problems.section(node, example, "port", "protocol", "proxied");
        int port = (int) problems.integer(section.require("port", "6379"), 1, 65_535, "a port");
        Node protocolNode = section.require("protocol", "redis");
        String protocolName = problems.text(protocolNode, "redis");
        List<String> protocols = Arrays.stream(Protocol.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList();
        if (!protocols.contains(protocolName)) {
            throw problems.at(protocolNode, "expected one of " + String.join(", ", protocols) + ", found '"
                    + protocolName + "'" + Problems.suggestion(protocolName, protocols));
        }
        boolean proxied = section.optional("proxied").map(problems::bool).orElse(false);
        return new TargetSpec(name, Protocol.valueOf(protocolName.toUpperCase(Locale.ROOT)), port, proxied);
    }

    // --- traffic ---------------------------------------------------------------------------------------------------

    private FileTraffic traffic(Node node) {
        Section section = problems.section(node, "{requests: [...], seed: {request: place order, count: 20}}",
                "requests", "seed");
        ListNode list = problems.list(section.require("requests", "[{name: health, share: 1, method: GET, path: /health,"
                + " accept: [200]}]"), "[{name: health, share: 1, method: GET, path: /health, accept: [200]}]");
        if (list.items().isEmpty()) {
            throw problems.at(list, "expected at least one request, such as {name: health, share: 1, method: GET,"
                    + " path: /health, accept: [200]}.");
        }
        Map<String, RequestSpec> byName = new LinkedHashMap<>();
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Node item : list.items()) {
            RequestSpec spec = request(item);
            if (byName.containsKey(spec.name())) {
                throw problems.at(problems.section(item, "", "name", "share", "method", "path", "headers", "body",
                        "accept", "writeId").require("name", ""), "the name '" + spec.name() + "' is already used by "
                        + nodes.get(spec.name()).path() + "; each request needs its own name (it names its figures in"
                        + " the report).");
            }
            byName.put(spec.name(), spec);
            nodes.put(spec.name(), item);
        }
        double total = byName.values().stream().mapToDouble(RequestSpec::share).sum();
        if (Math.abs(total - 1) > SHARE_TOLERANCE) {
            throw problems.at(list, "the shares add up to " + round(total) + ", but they must add up to 1 (each is the"
                    + " request's part of the rate): " + byName.values().stream()
                    .map(r -> r.name() + " " + round(r.share())).toList() + ".");
        }
        boolean writes = byName.values().stream().anyMatch(r -> r.writeIdHeader().isPresent());
        Optional<FileTraffic.Seed> seed = section.optional("seed").map(n -> seed(n, byName));
        for (RequestSpec spec : byName.values()) {
            if (spec.usesWrite() && !writes) {
                throw problems.at(nodes.get(spec.name()), "'" + spec.name() + "' uses ${write}, but no request records"
                        + " writes. Give the request that writes a writeId, such as writeId: {header: Location}.");
            }
            if (spec.usesWrite() && seed.isEmpty()) {
                throw problems.at(section.map().mark(), section.map().path(), "'" + spec.name() + "' reads ${write},"
                        + " which needs a write acknowledged before the load starts. Add seed: {request: <the request"
                        + " with writeId>, count: 20}.");
            }
        }
        return new FileTraffic(List.copyOf(byName.values()), seed);
    }

    private static String round(double value) {
        return String.format(Locale.ROOT, "%.6f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private RequestSpec request(Node node) {
        String example = "{name: health, share: 1, method: GET, path: /health, accept: [200]}";
        Section section = problems.section(node, example, "name", "share", "method", "path", "headers", "body",
                "accept", "writeId");
        Node nameNode = section.require("name", "place order");
        String name = problems.text(nameNode, "place order");
        if (name.isBlank() || name.length() > 100) {
            throw problems.at(nameNode, "expected a name of 1 to 100 characters, such as place order.");
        }
        Node shareNode = section.require("share", "0.5");
        double share = problems.number(shareNode, "the request's share of the rate");
        if (!(share > 0 && share <= 1)) {
            throw problems.at(shareNode, "expected a share above 0 and at most 1, such as 0.5, found "
                    + ((Yaml.Scalar) shareNode).text() + ".");
        }
        String method = method(section.require("method", "GET"));
        Template path = path(section.require("path", "/orders"));
        Map<String, Template> headers = section.optional("headers").map(this::headers).orElse(Map.of());
        Optional<Template> body = section.optional("body").map(n -> {
            if (method.equals("GET") || method.equals("HEAD")) {
                throw problems.at(n, "a " + method + " request has no body. Remove body, or use POST or PUT.");
            }
            return template(n, "'{\"quantity\":${random:1-100}}'");
        });
        Set<Integer> accept = accept(section.require("accept", "[200]"));
        Optional<String> writeId = section.optional("writeId").map(n -> {
            Section write = problems.section(n, "{header: Location}", "header");
            return headerName(write.require("header", "Location"));
        });
        return new RequestSpec(name, share, method, path, headers, body, accept, writeId);
    }

    private String method(Node node) {
        String method = problems.text(node, "GET");
        if (!METHODS.contains(method)) {
            String upper = method.toUpperCase(Locale.ROOT);
            throw problems.at(node, "expected one of " + String.join(", ", METHODS) + ", found '" + method + "'."
                    + (METHODS.contains(upper) ? " Write " + upper + "." : ""));
        }
        return method;
    }

    private Template path(Node node) {
        Template path = template(node, "/orders");
        if (!(path.source().startsWith("/") || path.source().startsWith("${write}"))) {
            throw problems.at(node, "expected a path on the entry point starting with /, such as /orders, or"
                    + " ${write} for a recently acknowledged write; found '" + path.source() + "'.");
        }
        if (path.source().chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw problems.at(node, "the path contains a space or control character; encode it, for example %20.");
        }
        return path;
    }

    private Template template(Node node, String example) {
        String text = problems.text(node, example);
        try {
            return Template.parse(text);
        } catch (IllegalArgumentException e) {
            throw problems.at(node, e.getMessage());
        }
    }

    private Map<String, Template> headers(Node node) {
        if (!(node instanceof MapNode map)) {
            throw problems.at(node, "expected a mapping of header names to values, such as {Content-Type:"
                    + " application/json}, found " + Problems.describe(node) + ".");
        }
        Map<String, Template> headers = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Entry entry : map.entries().values()) {
            String path = map.path() + "." + entry.key();
            if (!HEADER.matcher(entry.key()).matches()) {
                throw problems.at(entry.keyMark(), path, "'" + entry.key() + "' is not a valid HTTP header name.");
            }
            String lower = entry.key().toLowerCase(Locale.ROOT);
            if (RESTRICTED_HEADERS.contains(lower)) {
                throw problems.at(entry.keyMark(), path, "the header " + entry.key() + " is set by the load generator"
                        + " itself and cannot be given. Remove it.");
            }
            if (!seen.add(lower)) {
                throw problems.at(entry.keyMark(), path, "the header " + entry.key() + " is given twice (header names"
                        + " ignore case). Keep one.");
            }
            Template value = template(entry.value(), "application/json");
            if (value.source().chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw problems.at(entry.value(), "a header value cannot contain a line break.");
            }
            headers.put(entry.key(), value);
        }
        return headers;
    }

    private String headerName(Node node) {
        String header = problems.text(node, "Location");
        if (!HEADER.matcher(header).matches()) {
            throw problems.at(node, "'" + header + "' is not a valid HTTP header name; expected one such as Location.");
        }
        return header;
    }

    private Set<Integer> accept(Node node) {
        ListNode list = problems.list(node, "[200]");
        if (list.items().isEmpty()) {
            throw problems.at(list, "expected at least one status that counts as success, such as [200].");
        }
        Set<Integer> statuses = new LinkedHashSet<>();
        for (Node item : list.items()) {
            statuses.add((int) problems.integer(item, 100, 599, "an HTTP status"));
        }
        return statuses;
    }

    private FileTraffic.Seed seed(Node node, Map<String, RequestSpec> requests) {
        Section section = problems.section(node, "{request: place order, count: 20}", "request", "count");
        Node requestNode = section.require("request", "place order");
        String name = problems.text(requestNode, "place order");
        RequestSpec request = requests.get(name);
        if (request == null) {
            throw problems.at(requestNode, "there is no request named '" + name + "'"
                    + Problems.suggestion(name, List.copyOf(requests.keySet())) + " The requests are: "
                    + String.join(", ", requests.keySet()) + ".");
        }
        if (request.writeIdHeader().isEmpty()) {
            throw problems.at(requestNode, "the seed must be a write, but '" + name + "' has no writeId. Seed with the"
                    + " request that writes, or give it writeId: {header: Location}.");
        }
        if (request.usesWrite()) {
            throw problems.at(requestNode, "the seed request '" + name + "' uses ${write}, but no write exists before"
                    + " the seed. Seed with a request that does not use ${write}.");
        }
        int count = (int) problems.integer(section.require("count", "20"), 1, 10_000, "the number of seed requests");
        return new FileTraffic.Seed(request, count);
    }

    // --- load and schedule ----------------------------------------------------------------------------------------

    private OpenLoad load(Node node) {
        Section section = problems.section(node, "{rate: 200, warmup: 30s, requestTimeout: 5s}", "rate", "warmup",
                "requestTimeout");
        Node rateNode = section.require("rate", "200");
        double rate = problems.number(rateNode, "requests per second");
        if (!(rate > 0 && rate <= OpenLoad.MAX_RATE_PER_SECOND)) {
            throw problems.at(rateNode, "expected requests per second above 0 and at most "
                    + (long) OpenLoad.MAX_RATE_PER_SECOND + ", found " + ((Yaml.Scalar) rateNode).text() + ".");
        }
        OpenLoad load = OpenLoad.ratePerSecond(rate);
        Optional<Node> warmup = section.optional("warmup");
        if (warmup.isPresent()) {
            Duration value = problems.duration(warmup.get());
            load = checked(warmup.get(), () -> OpenLoad.ratePerSecond(rate).withWarmup(value));
        }
        Optional<Node> timeout = section.optional("requestTimeout");
        if (timeout.isPresent()) {
            Duration value = problems.duration(timeout.get());
            if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofMinutes(2)) > 0) {
                throw problems.at(timeout.get(), "expected a request timeout from 100ms to 2m, found '"
                        + ((Yaml.Scalar) timeout.get()).text() + "'.");
            }
            OpenLoad base = load;
            load = checked(timeout.get(), () -> base.withRequestTimeout(value));
        }
        return load;
    }

    private FaultSchedule schedule(Section section) {
        Node baselineNode = section.require("baseline", "20s");
        Node faultNode = section.require("fault", "20s");
        Node observeNode = section.require("observe", "30s");
        Duration baseline = problems.duration(baselineNode);
        Duration fault = problems.duration(faultNode);
        Duration observe = problems.duration(observeNode);
        FaultSchedule.FaultStep step = checked(baselineNode, () -> FaultSchedule.baseline(baseline));
        FaultSchedule.ObserveStep observeStep = checked(faultNode, () -> step.fault(fault));
        return checked(observeNode, () -> observeStep.observe(observe));
    }

    /** Runs one of the Java API's own checks, turning its complaint into a located error. */
    private <T> T checked(Node node, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            String message = String.valueOf(e.getMessage());
            int example = message.indexOf(" Use for example");
            if (example < 0) {
                example = message.indexOf(" Use ");
            }
            throw problems.at(node, (example < 0 ? message : message.substring(0, example)).strip());
        }
    }

    // --- fault -----------------------------------------------------------------------------------------------------

    private NetworkFaultSource fault(Node node, Env env, FaultSchedule schedule, Section scheduleSection) {
        Section section = problems.section(node, "{type: timeout, target: redis}", "type", "target", "latency");
        Node typeNode = section.require("type", "timeout");
        String typeName = problems.text(typeNode, "timeout");
        List<String> types = Arrays.stream(NetworkFaultSource.Type.values()).map(NetworkFaultSource.Type::fileName)
                .toList();
        if (!types.contains(typeName)) {
            throw problems.at(typeNode, "expected one of " + String.join(", ", types) + ", found '" + typeName + "'"
                    + Problems.suggestion(typeName, types));
        }
        NetworkFaultSource.Type type = NetworkFaultSource.Type.fromFileName(typeName);
        Optional<Duration> latency = Optional.empty();
        if (type == NetworkFaultSource.Type.LATENCY) {
            Node latencyNode = section.require("latency", "250ms");
            Duration value = problems.duration(latencyNode);
            if (value.isZero()) {
                throw problems.at(latencyNode, "expected a latency above 0, such as 250ms.");
            }
            latency = Optional.of(value);
        } else if (section.has("latency")) {
            throw problems.at(section.keyMark("latency"), section.child("latency"), "latency applies only to type:"
                    + " latency; remove it, or change the type.");
        }
        Node targetNode = section.require("target", "redis");
        String targetName = problems.text(targetNode, "redis");
        TargetSpec target = env.targets().get(targetName);
        if (target == null) {
            List<String> names = List.copyOf(env.targets().keySet());
            throw problems.at(targetNode, "the environment has no target '" + targetName + "'"
                    + Problems.suggestion(targetName, names) + " Its targets: " + String.join(", ", names) + ".");
        }
        if (!target.proxied()) {
            throw problems.at(targetNode, "target '" + targetName + "' is not reached through Toxiproxy, so a network"
                    + " fault cannot be injected on it (" + env.hint() + ").");
        }
        if (target.protocol() == Protocol.TCP && type != NetworkFaultSource.Type.PROXY_DOWN) {
            throw problems.at(typeNode, "a " + typeName + " on target '" + targetName + "' could never be verified:"
                    + " it speaks plain tcp, and connections still open at once under a " + typeName + ". Use type:"
                    + " proxy-down, or give the target its real protocol (http, redis or postgres).");
        }
        NetworkFaultSource source = new NetworkFaultSource(type, targetName, latency);
        Fault fault = checked(typeNode, () -> source.on(target.standIn()));
        Duration minimum = fault.minimumDuration();
        if (schedule.fault().compareTo(minimum) < 0) {
            throw problems.at(scheduleSection.keyMark("fault"), scheduleSection.child("fault"), "the fault lasts "
                    + schedule.fault().toMillis() + " ms, but verifying that a " + typeName + " took effect needs at"
                    + " least " + minimum.toMillis() + " ms. Lengthen it.");
        }
        return source;
    }

    // --- objectives ------------------------------------------------------------------------------------------------

    private ObjectiveSet objectives(Node node) {
        String example = "{baseline: {p95Below: 100ms, successAbove: 99.5%}}";
        Section section = problems.section(node, example, "baseline", "fault", "recovery", "after",
                "acknowledgedWritesDurable", "evidence");
        ObjectiveSet.Builder builder = ObjectiveSet.builder();
        boolean any = false;
        for (Entry entry : section.map().entries().values()) {
            Node value = entry.value();
            switch (entry.key()) {
                case "baseline", "fault", "after" -> {
                    Phase phase = Phase.valueOf(entry.key().toUpperCase(Locale.ROOT));
                    List<Criterion> criteria = criteria(problems.section(value, "{p95Below: 100ms, successAbove:"
                            + " 99.5%}", CRITERIA.toArray(String[]::new)), value);
                    checked(value, () -> builder.during(phase, criteria.toArray(Criterion[]::new)));
                    any = true;
                }
                case "recovery" -> {
                    List<String> keys = new ArrayList<>(List.of("within", "holdFor"));
                    keys.addAll(CRITERIA);
                    Section recovery = problems.section(value, "{within: 15s, p95Below: 100ms}",
                            keys.toArray(String[]::new));
                    Node withinNode = recovery.require("within", "15s");
                    Duration within = problems.duration(withinNode);
                    Optional<Node> holdNode = recovery.optional("holdFor");
                    Duration hold = holdNode.map(problems::duration)
                            .orElse(dev.gameday.assertions.RecoveryObjective.DEFAULT_HOLD);
                    List<Criterion> criteria = criteria(recovery, value);
                    checked(holdNode.orElse(withinNode), () -> builder.recoversWithin(within, hold,
                            criteria.toArray(Criterion[]::new)));
                    any = true;
                }
                case "acknowledgedWritesDurable" -> {
                    if (problems.bool(value)) {
                        builder.acknowledgedWritesDurable();
                        any = true;
                    }
                }
                default -> { // evidence
                    Section evidence = problems.section(value, "{requests: 100, length: 3s}", "requests", "length");
                    long requests = problems.integer(evidence.require("requests", "100"), 1, Integer.MAX_VALUE,
                            "the fewest requests a phase must hold");
                    Node lengthNode = evidence.require("length", "3s");
                    Duration length = problems.duration(lengthNode);
                    Evidence minimum = checked(lengthNode, () -> Evidence.atLeast(requests, length));
                    builder.requiring(minimum);
                }
            }
        }
        if (!any) {
            throw problems.at(node, "expected at least one objective; a run that asserts nothing cannot fail. Add for"
                    + " example baseline: {p95Below: 100ms, successAbove: 99.5%}.");
        }
        return builder.build();
    }

    private List<Criterion> criteria(Section section, Node node) {
        List<Criterion> criteria = new ArrayList<>();
        for (Entry entry : section.map().entries().values()) {
            Node value = entry.value();
            Double percentile = LATENCY_KEYS.get(entry.key());
            if (percentile != null) {
                Duration threshold = problems.duration(value);
                criteria.add(checked(value, () -> Criteria.latency().percentile(percentile).below(threshold)));
            } else if (entry.key().equals("successAbove")) {
                double percent = problems.percent(value);
                if (percent >= 100) {
                    throw problems.at(value, "expected a percentage below 100% (no run can exceed 100%), found '"
                            + ((Yaml.Scalar) value).text() + "'. Write for example 99.9%.");
                }
                criteria.add(checked(value, () -> Criteria.successRate().above(percent)));
            } else if (entry.key().equals("throughputAtLeast")) {
                double rate = problems.number(value, "successful requests per second");
                if (!(rate > 0)) {
                    throw problems.at(value, "expected successful requests per second above 0, such as 1000.");
                }
                criteria.add(checked(value, () -> Criteria.throughput().atLeast(rate)));
            }
        }
        if (criteria.isEmpty()) {
            throw problems.at(node, "expected at least one criterion, such as p95Below: 100ms or successAbove: 99.5%."
                    + " Criteria: " + String.join(", ", CRITERIA) + ".");
        }
        return criteria;
    }

    private static Map<String, Double> latencyKeys() {
        Map<String, Double> keys = new LinkedHashMap<>();
        keys.put("p50Below", 50.0);
        keys.put("p90Below", 90.0);
        keys.put("p95Below", 95.0);
        keys.put("p99Below", 99.0);
        keys.put("p999Below", 99.9);
        keys.put("maxBelow", 100.0);
        return java.util.Collections.unmodifiableMap(keys);
    }

    private static List<String> criteriaKeys() {
        List<String> keys = new ArrayList<>(latencyKeys().keySet());
        keys.add("successAbove");
        keys.add("throughputAtLeast");
        return List.copyOf(keys);
    }

    // --- durability ------------------------------------------------------------------------------------------------

    private DurabilityCheck durability(Node node, Env env, FileTraffic traffic) {
        Section section = problems.section(node, "{http: {method: GET, path: '${write}', accept: [200]}}", "http",
                "ordersTable");
        if (section.has("http") == section.has("ordersTable")) {
            throw problems.at(node, "expected exactly one of http (read each write back through the entry point) or"
                    + " ordersTable (the demo system's database), found " + (section.has("http") ? "both" : "neither")
                    + ".");
        }
        if (traffic.specs().stream().noneMatch(r -> r.writeIdHeader().isPresent())) {
            throw problems.at(node, "there are no writes to check: no request has a writeId. Give the request that"
                    + " writes writeId: {header: Location}, or remove durability.");
        }
        if (section.has("ordersTable")) {
            Node value = section.optional("ordersTable").orElseThrow();
            if (!problems.bool(value)) {
                throw problems.at(value, "write ordersTable: true to check the demo system's orders table, or remove"
                        + " durability.");
            }
            if (!env.demo()) {
                throw problems.at(value, "the orders table is the demo system's database; against a compose"
                        + " environment, read writes back with http: {method: GET, path: '${write}', accept: [200]}.");
            }
            return new OrdersTable();
        }
        Node httpNode = section.optional("http").orElseThrow();
        Section http = problems.section(httpNode, "{method: GET, path: '${write}', accept: [200]}", "method", "path",
                "headers", "accept", "concurrency", "timeout");
        String method = method(http.require("method", "GET"));
        Node pathNode = http.require("path", "'${write}'");
        Template path = path(pathNode);
        if (!path.usesWrite()) {
            throw problems.at(pathNode, "the read-back path must name the write with ${write}, such as '${write}' or"
                    + " /orders/${write}; found '" + path.source() + "'.");
        }
        Map<String, Template> headers = http.optional("headers").map(this::headers).orElse(Map.of());
        Set<Integer> accept = accept(http.require("accept", "[200]"));
        int concurrency = http.optional("concurrency")
                .map(n -> (int) problems.integer(n, 1, 64, "reads in flight at once"))
                .orElse(HttpReadBack.DEFAULT_CONCURRENCY);
        Duration timeout = http.optional("timeout").map(n -> {
            Duration value = problems.duration(n);
            if (value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(Duration.ofMinutes(2)) > 0) {
                throw problems.at(n, "expected a timeout from 100ms to 2m, found '" + ((Yaml.Scalar) n).text() + "'.");
            }
            return value;
        }).orElse(FileTraffic.SEED_TIMEOUT);
        return new HttpReadBack(new RequestSpec("durability read", 1, method, path, headers, Optional.empty(), accept,
                Optional.empty()), concurrency, timeout);
    }
}
