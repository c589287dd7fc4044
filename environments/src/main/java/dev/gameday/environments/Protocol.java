package dev.gameday.environments;

/** What a target speaks, so that faults can check their effect with a real request (a Redis PING, an HTTP GET). */
public enum Protocol {
    HTTP, REDIS, POSTGRES, TCP
}
