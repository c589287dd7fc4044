package dev.gameday.demo.config;

/**
 * Where the API listens and how many request threads it may use.
 *
 * @param port the TCP port; 0 picks a free one (for in-process tests)
 * @param maxThreads the bound of the request thread pool
 */
public record HttpConfig(int port, int maxThreads) {

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_THREADS = 200;
}
