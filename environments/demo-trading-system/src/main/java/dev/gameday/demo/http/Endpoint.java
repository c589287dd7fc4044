package dev.gameday.demo.http;

/** The routes of the API, as they appear in the {@code endpoint} tag of the latency metrics. */
enum Endpoint {
    PLACE_ORDER("POST /orders"),
    GET_ORDER("GET /orders/{id}"),
    LIVE("GET /health/live"),
    READY("GET /health/ready"),
    METRICS("GET /metrics"),
    OTHER("other");

    private final String tag;

    Endpoint(String tag) {
        this.tag = tag;
    }

    String tag() {
        return tag;
    }
}
