package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sort"
	"strings"
	"sync"
	"time"
)

// reaperLabel marks reaper containers; a reaper never removes one, even when a filter matches it.
const reaperLabel = "org.testcontainers.ryuk"

var ackLine = []byte("ACK\n")

// errChangesDetected means a matching resource was created after the prune pass began: someone is
// still working, so the reaper waits another round instead of pulling resources from under them.
var errChangesDetected = errors.New("changes detected")

// reaper accepts filter registrations over TCP and, once every client has gone and none came back
// within the reconnection timeout, removes every resource matching any registered filter, then stops.
type reaper struct {
	cfg      config
	engine   engine
	listener net.Listener
	log      *slog.Logger

	connected    chan string
	disconnected chan string
	listenerDone chan struct{} // closed when the reaper stops accepting clients
	waitDone     chan struct{} // closed when the reaper stops counting clients

	closeListenerOnce sync.Once
	mu                sync.Mutex
	filters           map[string]filterSet
}

func newReaper(cfg config, eng engine, listener net.Listener, log *slog.Logger) *reaper {
	return &reaper{
		cfg:          cfg,
		engine:       eng,
		listener:     listener,
		log:          log,
		connected:    make(chan string), // unbuffered: a client counts before its filters are acknowledged
		disconnected: make(chan string),
		listenerDone: make(chan struct{}),
		waitDone:     make(chan struct{}),
		filters:      make(map[string]filterSet),
	}
}

// run blocks until the prune condition is met (or ctx is cancelled and the shutdown timeout passed),
// then removes the matching resources.
func (r *reaper) run(ctx context.Context) error {
	r.log.Info("Started", "address", r.listener.Addr().String())
	go r.accept()

	found, waitErr := r.awaitPrune(ctx)
	pruneErr := r.prune(found)
	r.log.Info("done")
	return errors.Join(waitErr, pruneErr)
}

func (r *reaper) accept() {
	for {
		conn, err := r.listener.Accept()
		if err != nil {
			select {
			case <-r.listenerDone:
				return
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			r.log.Error("accept", "error", err)
			continue
		}

		addr := conn.RemoteAddr().String()
		select {
		case r.connected <- addr:
			go r.handle(conn)
		case <-r.listenerDone:
			// Closing without an ACK makes the client retry and start a fresh reaper.
			r.log.Warn("shutting down, refusing client", "address", addr)
			conn.Close()
			return
		}
	}
}

func (r *reaper) handle(conn net.Conn) {
	addr := conn.RemoteAddr().String()
	log := r.log.With("address", addr)
	defer func() {
		conn.Close()
		select {
		case r.disconnected <- addr:
		case <-r.waitDone:
		}
	}()

	scanner := bufio.NewScanner(conn)
	for scanner.Scan() {
		line := scanner.Text()
		if err := r.register(line); err != nil {
			if errors.Is(err, errEmptyFilter) {
				log.Warn("empty filter line ignored")
				continue
			}
			// Acknowledged anyway, as Ryuk does: the protocol has no error answer, and a client that
			// got none would resend the same line forever. The filter is not registered.
			log.Error("filter rejected; nothing will be removed for it", "error", err)
		}
		if _, err := conn.Write(ackLine); err != nil {
			log.Error("write ACK", "error", err)
			return
		}
	}
	if err := scanner.Err(); err != nil {
		log.Warn("read", "error", err)
	}
}

func (r *reaper) register(line string) error {
	set, err := parseFilter(line)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.filters[set.key()]; !ok {
		r.filters[set.key()] = set
		r.log.Info("filter registered", "labels", set.String())
	}
	return nil
}

func (r *reaper) filterSets() []filterSet {
	r.mu.Lock()
	defer r.mu.Unlock()
	sets := make([]filterSet, 0, len(r.filters))
	for _, set := range r.filters {
		sets = append(sets, set)
	}
	sort.Slice(sets, func(i, j int) bool { return sets[i].key() < sets[j].key() })
	return sets
}

func (r *reaper) closeListener() {
	r.closeListenerOnce.Do(func() {
		close(r.listenerDone)
		r.listener.Close()
	})
}

// awaitPrune counts clients and returns what to remove once the prune condition holds:
// nobody connected within the connection timeout, the last client left and nobody came back within
// the reconnection timeout, or ctx was cancelled and then no client (or the shutdown timeout) remained.
func (r *reaper) awaitPrune(ctx context.Context) (map[kind][]string, error) {
	defer close(r.waitDone)
	defer r.closeListener()

	clients := 0
	shuttingDown := false
	timer := time.NewTimer(r.cfg.connectionTimeout)
	defer timer.Stop()
	done := ctx.Done()

	for {
		select {
		case addr := <-r.connected:
			clients++
			r.log.Info("client connected", "address", addr, "clients", clients)
			if clients == 1 && !shuttingDown {
				timer.Stop()
			}
		case addr := <-r.disconnected:
			clients--
			r.log.Info("client disconnected", "address", addr, "clients", clients)
			if clients == 0 {
				wait := r.cfg.reconnectionTimeout
				if shuttingDown {
					wait = 0
				}
				resetTimer(timer, wait)
			}
		case <-done:
			done = nil
			shuttingDown = true
			r.log.Info("signal received", "clients", clients, "shutdown_timeout", r.cfg.shutdownTimeout)
			r.closeListener()
			wait := r.cfg.shutdownTimeout
			if clients == 0 {
				wait = 0
			}
			resetTimer(timer, wait)
		case now := <-timer.C:
			if clients > 0 && !shuttingDown {
				// A timer that fired just as a client connected: that client keeps everything alive.
				continue
			}
			if clients > 0 {
				r.log.Warn("shutdown timeout passed with clients still connected", "clients", clients)
			}
			found, err := r.matching(now.Add(r.cfg.retryOffset))
			if errors.Is(err, errChangesDetected) {
				r.log.Warn("matching resources are still being created, waiting again", "error", err)
				resetTimer(timer, r.cfg.reconnectionTimeout)
				continue
			}
			return found, err
		}
	}
}

func resetTimer(t *time.Timer, d time.Duration) {
	if !t.Stop() {
		select {
		case <-t.C:
		default:
		}
	}
	t.Reset(d)
}

// matching lists the resources matching any registered filter. A match created after since means
// the session is still active, reported as errChangesDetected.
func (r *reaper) matching(since time.Time) (map[kind][]string, error) {
	found := make(map[kind][]string)
	seen := make(map[string]bool)
	var errs []error

	for _, set := range r.filterSets() {
		for _, k := range kinds {
			ctx, cancel := context.WithTimeout(context.Background(), r.cfg.requestTimeout)
			items, err := r.engine.list(ctx, k, set)
			cancel()
			if err != nil {
				errs = append(errs, fmt.Errorf("list %ss matching %s: %w", k, set, err))
				continue
			}
			for _, item := range items {
				if k == containers && r.isReaper(item) {
					r.log.Debug("skipping reaper container", "id", item.id)
					continue
				}
				if item.created.After(since) {
					return nil, fmt.Errorf("%s %s created at %s: %w", k, item.id, item.created.Format(time.RFC3339), errChangesDetected)
				}
				if !seen[string(k)+"/"+item.id] {
					seen[string(k)+"/"+item.id] = true
					found[k] = append(found[k], item.id)
				}
			}
		}
	}
	return found, errors.Join(errs...)
}

func (r *reaper) isReaper(c resource) bool {
	if c.labels[reaperLabel] == "true" {
		return true
	}
	return r.cfg.selfID != "" && strings.HasPrefix(c.id, r.cfg.selfID)
}

// prune removes containers, then networks, volumes and images, retrying what Docker refuses for now.
func (r *reaper) prune(found map[kind][]string) error {
	var errs []error
	removed := make(map[kind]int)
	for _, k := range kinds {
		n, err := r.removeAll(k, found[k])
		removed[k] = n
		if err != nil {
			errs = append(errs, err)
		}
	}
	r.log.Info("removed",
		"containers", removed[containers], "networks", removed[networks],
		"volumes", removed[volumes], "images", removed[images])
	return errors.Join(errs...)
}

func (r *reaper) removeAll(k kind, ids []string) (int, error) {
	todo := append([]string(nil), ids...)
	removed := 0
	for attempt := 1; len(todo) > 0 && attempt <= r.cfg.removeRetries; attempt++ {
		var again []string
		for _, id := range todo {
			ctx, cancel := context.WithTimeout(context.Background(), r.cfg.requestTimeout)
			err := r.engine.remove(ctx, k, id)
			cancel()
			switch {
			case err == nil:
				removed++
			case errors.Is(err, errNotFound):
				// Already gone: that is what we wanted.
			default:
				r.log.Warn("remove failed", "kind", string(k), "id", id, "attempt", attempt, "error", err)
				again = append(again, id)
			}
		}
		todo = again
		if len(todo) > 0 && attempt < r.cfg.removeRetries {
			time.Sleep(r.cfg.retryInterval)
		}
	}
	if len(todo) > 0 {
		return removed, fmt.Errorf("%d %s(s) left after %d attempts: %s", len(todo), k, r.cfg.removeRetries, strings.Join(todo, ", "))
	}
	return removed, nil
}
