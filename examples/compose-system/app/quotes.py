"""Quotes: a tiny HTTP service that keeps quotes in Redis.

POST /quotes        store the JSON body, answer 201 with Location: /quotes/<id>
GET  /quotes/<id>   200 with the quote, or 404
GET  /health        200 when Redis answers PING, else 503

Settings (environment): REDIS_HOST (redis), REDIS_PORT (6379), REDIS_TIMEOUT_SECONDS (2),
PORT (8000), and CHATTY_ROUND_TRIPS: when set above 1, every request talks to Redis that many
times one command after another instead of once (the chatty-client bug: harmless while Redis
is a fraction of a millisecond away, slow as soon as the network to it is slow).
"""
import json
import os
import secrets
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis

REDIS = redis.Redis(
    connection_pool=redis.BlockingConnectionPool(
        host=os.environ.get("REDIS_HOST", "redis"),
        port=int(os.environ.get("REDIS_PORT", "6379")),
        socket_timeout=float(os.environ.get("REDIS_TIMEOUT_SECONDS", "2")),
        socket_connect_timeout=float(os.environ.get("REDIS_TIMEOUT_SECONDS", "2")),
        max_connections=32,
        timeout=5,  # seconds a request waits for a free pooled connection
    )
)
CHATTY_ROUND_TRIPS = max(1, int(os.environ.get("CHATTY_ROUND_TRIPS", "1")))
MAX_BODY = 64 * 1024


def store(quote):
    """Stores a quote in one Redis round trip (CHATTY_ROUND_TRIPS of them with the flaw); returns its id."""
    quote_id = secrets.token_hex(8)
    key = f"quotes:{quote_id}"
    for round_trip in range(CHATTY_ROUND_TRIPS - 1):
        # The flaw: a command per field, each waiting for its answer before the next is sent,
        # where one command (or a pipeline) would do.
        REDIS.hset(f"{key}:audit", f"step-{round_trip}", "stored")
    REDIS.set(key, json.dumps(quote))
    return quote_id


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: load generators reuse their connections
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

    def do_GET(self):
        if self.path == "/health":
            try:
                REDIS.ping()
                self.answer(200, {"status": "up"})
            except redis.RedisError as e:
                self.answer(503, {"status": "down", "redis": str(e)})
        elif self.path.startswith("/quotes/") and self.path[len("/quotes/"):].isalnum():
            try:
                body = REDIS.get(f"quotes:{self.path[len('/quotes/'):]}")
            except redis.RedisError as e:
                return self.answer(503, {"error": f"Redis: {e}"})
            if body is None:
                self.answer(404, {"error": "no such quote"})
            else:
                self.answer(200, json.loads(body))
        else:
            self.answer(404, {"error": "no such resource"})

    def do_POST(self):
        if self.path != "/quotes":
            return self.answer(404, {"error": "no such resource"})
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            return self.answer(400, {"error": f"expected a JSON body of 1 to {MAX_BODY} bytes"})
        try:
            quote = json.loads(self.rfile.read(length))
        except ValueError:
            return self.answer(400, {"error": "expected a JSON body"})
        if not isinstance(quote, dict):
            return self.answer(400, {"error": "expected a JSON object"})
        try:
            quote_id = store(quote)
        except redis.RedisError as e:
            return self.answer(503, {"error": f"Redis: {e}"})
        self.answer(201, {"id": quote_id}, {"Location": f"/quotes/{quote_id}"})

    def answer(self, status, document, headers=None):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # one line per request would drown the logs under load


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.daemon_threads = True
    # As PID 1 in its container the process gets no default SIGTERM handling: stop promptly on `docker stop`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"quotes: listening on {port}, Redis round trips per write: {CHATTY_ROUND_TRIPS}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
