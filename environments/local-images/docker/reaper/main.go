// Command reaper is Gameday's stand-in for Testcontainers' Ryuk (testcontainers/ryuk), built from
// this source with the Go standard library only, because the original cannot be fetched on the
// air-gapped machines Gameday runs on.
//
// It speaks Ryuk's protocol: a client connects over TCP (port 8080), sends lines such as
//
//	label=org.testcontainers%3Dtrue&label=org.testcontainers.sessionId%3D6a1f...
//
// and gets "ACK" for each. When every client has disconnected and none reconnected within
// RYUK_RECONNECTION_TIMEOUT (or nobody connected within RYUK_CONNECTION_TIMEOUT), it removes every
// container (forced, with its volumes), network, volume and image carrying all the labels of any
// registered line, through the Docker Engine API on /var/run/docker.sock, and exits.
//
// Environment (same names and defaults as Ryuk): RYUK_PORT (8080), RYUK_CONNECTION_TIMEOUT (60s),
// RYUK_RECONNECTION_TIMEOUT (10s), RYUK_REQUEST_TIMEOUT (10s), RYUK_SHUTDOWN_TIMEOUT (10m),
// RYUK_REMOVE_RETRIES (10), RYUK_RETRY_OFFSET (-1s), RYUK_VERBOSE (false), and DOCKER_HOST
// (unix:///var/run/docker.sock).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type config struct {
	port                int
	connectionTimeout   time.Duration
	reconnectionTimeout time.Duration
	requestTimeout      time.Duration
	shutdownTimeout     time.Duration
	removeRetries       int
	retryOffset         time.Duration
	retryInterval       time.Duration
	verbose             bool
	dockerHost          string
	selfID              string // this container's ID prefix (its hostname), never removed
}

const defaultDockerHost = "unix:///var/run/docker.sock"

var containerIDPrefix = regexp.MustCompile(`^[0-9a-f]{12,64}$`)

// loadConfig reads the environment through getenv, so tests can pass a map.
func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{retryInterval: time.Second, dockerHost: defaultDockerHost}
	var err error
	if cfg.port, err = intSetting(getenv, "RYUK_PORT", 8080); err != nil {
		return cfg, err
	}
	if cfg.port < 1 || cfg.port > 65535 {
		return cfg, fmt.Errorf("RYUK_PORT must be between 1 and 65535, but was %d", cfg.port)
	}
	if cfg.connectionTimeout, err = durationSetting(getenv, "RYUK_CONNECTION_TIMEOUT", 60*time.Second); err != nil {
		return cfg, err
	}
	if cfg.reconnectionTimeout, err = durationSetting(getenv, "RYUK_RECONNECTION_TIMEOUT", 10*time.Second); err != nil {
		return cfg, err
	}
	if cfg.requestTimeout, err = durationSetting(getenv, "RYUK_REQUEST_TIMEOUT", 10*time.Second); err != nil {
		return cfg, err
	}
	if cfg.shutdownTimeout, err = durationSetting(getenv, "RYUK_SHUTDOWN_TIMEOUT", 10*time.Minute); err != nil {
		return cfg, err
	}
	if cfg.retryOffset, err = durationSetting(getenv, "RYUK_RETRY_OFFSET", -time.Second); err != nil {
		return cfg, err
	}
	if cfg.removeRetries, err = intSetting(getenv, "RYUK_REMOVE_RETRIES", 10); err != nil {
		return cfg, err
	}
	if cfg.removeRetries < 1 {
		return cfg, fmt.Errorf("RYUK_REMOVE_RETRIES must be at least 1, but was %d", cfg.removeRetries)
	}
	if v := strings.TrimSpace(getenv("RYUK_VERBOSE")); v != "" {
		if cfg.verbose, err = strconv.ParseBool(v); err != nil {
			return cfg, fmt.Errorf("RYUK_VERBOSE must be true or false, but was %q", v)
		}
	}
	if v := strings.TrimSpace(getenv("DOCKER_HOST")); v != "" {
		cfg.dockerHost = v
	}
	if h := strings.TrimSpace(getenv("HOSTNAME")); containerIDPrefix.MatchString(h) {
		cfg.selfID = h
	}
	return cfg, nil
}

func durationSetting(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s must be a Go duration such as 10s or 1m30s, but was %q", name, v)
	}
	return d, nil
}

func intSetting(getenv func(string) string, name string, def int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, but was %q", name, v)
	}
	return n, nil
}

func main() {
	os.Exit(runMain())
}

func runMain() int {
	level := new(slog.LevelVar)
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: level}))

	if os.Getenv("HOSTNAME") == "" {
		if h, err := os.Hostname(); err == nil {
			os.Setenv("HOSTNAME", h)
		}
	}
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		log.Error("invalid configuration", "error", err)
		return 2
	}
	if cfg.verbose {
		level.Set(slog.LevelDebug)
	}

	eng, err := newHTTPEngine(cfg.dockerHost)
	if err != nil {
		log.Error("invalid configuration", "error", err)
		return 2
	}
	pingCtx, cancel := context.WithTimeout(context.Background(), cfg.requestTimeout)
	err = eng.ping(pingCtx)
	cancel()
	if err != nil {
		log.Error("cannot reach the Docker engine; mount its socket (-v /var/run/docker.sock:/var/run/docker.sock) or set DOCKER_HOST",
			"docker_host", cfg.dockerHost, "error", err)
		return 1
	}

	listener, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.port))
	if err != nil {
		log.Error("cannot listen; choose another RYUK_PORT", "port", cfg.port, "error", err)
		return 1
	}
	log.Info("starting",
		"connection_timeout", cfg.connectionTimeout, "reconnection_timeout", cfg.reconnectionTimeout,
		"request_timeout", cfg.requestTimeout, "shutdown_timeout", cfg.shutdownTimeout,
		"remove_retries", cfg.removeRetries, "retry_offset", cfg.retryOffset, "docker_host", cfg.dockerHost)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if err := newReaper(cfg, eng, listener, log).run(ctx); err != nil {
		log.Error("prune incomplete", "error", err)
		return 1
	}
	return 0
}
