package dev.gameday.environments;

/**
 * What can be done to a {@link Target}, and so which faults it can take. A fault that needs a capability its target
 * lacks is refused before anything starts, with {@link #howToProvide()} in the message.
 *
 * <pre>{@code
 * if (!redis.capabilities().contains(Capability.DATASTORE)) {
 *     System.out.println(Capability.DATASTORE.howToProvide());
 * }
 * redis.require(Capability.PROXIED_LINK, "a latency fault");   // throws, naming the capability, if it is missing
 * }</pre>
 */
public enum Capability {

    /** It runs in a container the harness reaches through the Docker API: kill, pause, OOM kill, CPU and memory. */
    CONTAINER("a container the harness controls through the Docker API",
            "Run it in a container of an environment Gameday starts or attaches to (ContainerSystem, a compose"
                    + " file), so that the target carries its container id."),

    /** The system under test reaches it through a Toxiproxy proxy: network faults. */
    PROXIED_LINK("a Toxiproxy proxy between the system under test and it",
            "Declare it proxied in the environment (ContainerSystem.proxied(..), or 'proxied' in the experiment file's"
                    + " compose section), so that the system reaches it through Toxiproxy."),

    /**
     * The harness can speak its datastore protocol to it with enough rights: Redis ({@link Protocol#REDIS}, credentials
     * optional) or PostgreSQL ({@link Protocol#POSTGRES} with {@link Credentials}).
     */
    DATASTORE("a Redis or PostgreSQL server the harness can log in to",
            "Declare its protocol (REDIS or POSTGRES) and, for PostgreSQL, a user, password and database"
                    + " (Target.withCredentials(..), or 'credentials' in the experiment file)."),

    /** An HTTP simulator whose behaviour the harness changes through its admin API (WireMock's {@code /__admin}). */
    HTTP_SIMULATOR("an HTTP simulator with WireMock's admin API",
            "Run the upstream as a WireMock simulator and declare it one (Target.asHttpSimulator(), or"
                    + " 'simulator: wiremock' in the experiment file).");

    private final String meaning;
    private final String howToProvide;

    Capability(String meaning, String howToProvide) {
        this.meaning = meaning;
        this.howToProvide = howToProvide;
    }

    /** What the capability is, for messages: {@code a Toxiproxy proxy between the system under test and it}. */
    public String meaning() {
        return meaning;
    }

    /** What a user does to give a target this capability. */
    public String howToProvide() {
        return howToProvide;
    }
}
