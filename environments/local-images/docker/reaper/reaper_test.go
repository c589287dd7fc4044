package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeEngine keeps resources in memory and applies label filters like Docker does.
type fakeEngine struct {
	mu        sync.Mutex
	resources map[kind][]resource
	removed   map[kind][]string
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{resources: make(map[kind][]resource), removed: make(map[kind][]string)}
}

func (f *fakeEngine) add(k kind, id string, created time.Time, labels map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resources[k] = append(f.resources[k], resource{id: id, created: created, labels: labels})
}

func (f *fakeEngine) ping(context.Context) error { return nil }

func (f *fakeEngine) list(_ context.Context, k kind, set filterSet) ([]resource, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []resource
	for _, r := range f.resources[k] {
		if carriesAll(r.labels, set.labels) {
			out = append(out, r)
		}
	}
	return out, nil
}

func carriesAll(labels map[string]string, wanted []string) bool {
	for _, w := range wanted {
		key, value, hasValue := strings.Cut(w, "=")
		got, ok := labels[key]
		if !ok || (hasValue && got != value) {
			return false
		}
	}
	return true
}

func (f *fakeEngine) remove(_ context.Context, k kind, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.resources[k] {
		if r.id == id {
			f.resources[k] = append(f.resources[k][:i], f.resources[k][i+1:]...)
			f.removed[k] = append(f.removed[k], id)
			return nil
		}
	}
	return errNotFound
}

func (f *fakeEngine) removedIDs(k kind) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := append([]string(nil), f.removed[k]...)
	sort.Strings(ids)
	return ids
}

func testConfig() config {
	return config{
		connectionTimeout:   5 * time.Second,
		reconnectionTimeout: 100 * time.Millisecond,
		requestTimeout:      time.Second,
		shutdownTimeout:     time.Second,
		removeRetries:       3,
		retryOffset:         -time.Second,
		retryInterval:       10 * time.Millisecond,
	}
}

func startReaper(t *testing.T, cfg config, eng engine) (addr string, result <-chan error) {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	done := make(chan error, 1)
	go func() { done <- newReaper(cfg, eng, listener, log).run(context.Background()) }()
	return listener.Addr().String(), done
}

func register(t *testing.T, conn net.Conn, line string) {
	t.Helper()
	if _, err := conn.Write([]byte(line + "\n")); err != nil {
		t.Fatalf("write filter: %v", err)
	}
	answer, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || answer != "ACK\n" {
		t.Fatalf("answer = %q, %v; want ACK", answer, err)
	}
}

func awaitResult(t *testing.T, result <-chan error) error {
	t.Helper()
	select {
	case err := <-result:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("reaper did not finish within 5s")
		return nil
	}
}

func TestRemovesOnlyWhatMatchesAfterTheLastClientLeaves(t *testing.T) {
	eng := newFakeEngine()
	old := time.Now().Add(-time.Minute)
	session := map[string]string{"org.testcontainers": "true", "org.testcontainers.sessionId": "s1"}
	eng.add(containers, "c-session", old, session)
	eng.add(containers, "c-other-session", old, map[string]string{"org.testcontainers": "true", "org.testcontainers.sessionId": "s2"})
	eng.add(containers, "c-reaper", old, map[string]string{"org.testcontainers.sessionId": "s1", reaperLabel: "true"})
	eng.add(networks, "n-session", old, session)
	eng.add(volumes, "v-session", old, session)
	eng.add(images, "i-session", old, session)

	addr, result := startReaper(t, testConfig(), eng)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	register(t, conn, "label=org.testcontainers%3Dtrue&label=org.testcontainers.sessionId%3Ds1")

	time.Sleep(300 * time.Millisecond) // longer than the reconnection timeout: a live client must keep everything
	if got := eng.removedIDs(containers); len(got) != 0 {
		t.Fatalf("removed %q while a client was connected", got)
	}

	conn.Close()
	if err := awaitResult(t, result); err != nil {
		t.Fatalf("run failed: %v", err)
	}

	for k, want := range map[kind][]string{
		containers: {"c-session"}, networks: {"n-session"}, volumes: {"v-session"}, images: {"i-session"},
	} {
		if got := eng.removedIDs(k); !reflect.DeepEqual(got, want) {
			t.Errorf("removed %ss = %q, want %q", k, got, want)
		}
	}
}

func TestWaitsForAClientThatReconnectsWithinTheTimeout(t *testing.T) {
	eng := newFakeEngine()
	eng.add(containers, "c1", time.Now().Add(-time.Minute), map[string]string{"s": "1"})
	cfg := testConfig()
	cfg.reconnectionTimeout = 400 * time.Millisecond

	addr, result := startReaper(t, cfg, eng)
	first, _ := net.Dial("tcp", addr)
	register(t, first, "label=s%3D1")
	first.Close()

	time.Sleep(100 * time.Millisecond)
	second, _ := net.Dial("tcp", addr)
	register(t, second, "label=s%3D1")
	time.Sleep(600 * time.Millisecond) // past the first disconnect's timeout
	if got := eng.removedIDs(containers); len(got) != 0 {
		t.Fatalf("removed %q although a client reconnected in time", got)
	}

	second.Close()
	if err := awaitResult(t, result); err != nil {
		t.Fatalf("run failed: %v", err)
	}
	if got := eng.removedIDs(containers); !reflect.DeepEqual(got, []string{"c1"}) {
		t.Errorf("removed = %q, want [c1]", got)
	}
}

func TestStopsWithoutRemovingAnythingWhenNobodyConnects(t *testing.T) {
	eng := newFakeEngine()
	eng.add(containers, "c1", time.Now().Add(-time.Minute), map[string]string{"s": "1"})
	cfg := testConfig()
	cfg.connectionTimeout = 100 * time.Millisecond

	_, result := startReaper(t, cfg, eng)
	if err := awaitResult(t, result); err != nil {
		t.Fatalf("run failed: %v", err)
	}
	if got := eng.removedIDs(containers); len(got) != 0 {
		t.Errorf("removed %q without any registered filter", got)
	}
}

func TestAcknowledgesButIgnoresARejectedFilter(t *testing.T) {
	eng := newFakeEngine()
	eng.add(containers, "c1", time.Now().Add(-time.Minute), map[string]string{"name": "redis"})

	addr, result := startReaper(t, testConfig(), eng)
	conn, _ := net.Dial("tcp", addr)
	register(t, conn, "name=redis")
	conn.Close()

	if err := awaitResult(t, result); err != nil {
		t.Fatalf("run failed: %v", err)
	}
	if got := eng.removedIDs(containers); len(got) != 0 {
		t.Errorf("removed %q for a rejected filter", got)
	}
}

func TestHTTPEngineSendsLabelFiltersAndForcedRemovals(t *testing.T) {
	var mu sync.Mutex
	var requests []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/containers/json":
			var filters map[string]map[string]bool
			if err := json.Unmarshal([]byte(r.URL.Query().Get("filters")), &filters); err != nil || !filters["label"]["s=1"] {
				http.Error(w, "bad filters", http.StatusBadRequest)
				return
			}
			io.WriteString(w, `[{"Id":"abc","Created":1700000000,"Labels":{"s":"1"}}]`)
		case r.Method == http.MethodGet && r.URL.Path == "/volumes":
			io.WriteString(w, `{"Volumes":[{"Name":"v1","CreatedAt":"2024-01-02T03:04:05Z","Labels":{"s":"1"}}]}`)
		case r.Method == http.MethodDelete && r.URL.Path == "/containers/gone":
			http.Error(w, "no such container", http.StatusNotFound)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			http.Error(w, "unexpected", http.StatusTeapot)
		}
	}))
	defer server.Close()

	eng, err := newHTTPEngine("tcp://" + strings.TrimPrefix(server.URL, "http://"))
	if err != nil {
		t.Fatalf("newHTTPEngine: %v", err)
	}
	set, _ := parseFilter("label=s%3D1")
	ctx := context.Background()

	found, err := eng.list(ctx, containers, set)
	if err != nil || len(found) != 1 || found[0].id != "abc" || found[0].created.Unix() != 1700000000 {
		t.Fatalf("list containers = %+v, %v", found, err)
	}
	vols, err := eng.list(ctx, volumes, set)
	if err != nil || len(vols) != 1 || vols[0].id != "v1" || vols[0].created.Year() != 2024 {
		t.Fatalf("list volumes = %+v, %v", vols, err)
	}
	if err := eng.remove(ctx, containers, "abc"); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if err := eng.remove(ctx, containers, "gone"); err != errNotFound {
		t.Fatalf("remove of a missing container = %v, want errNotFound", err)
	}

	mu.Lock()
	defer mu.Unlock()
	wantDelete := "DELETE /containers/abc?force=1&v=1"
	sawDelete := false
	for _, r := range requests {
		if r == wantDelete {
			sawDelete = true
		}
	}
	if !sawDelete {
		t.Errorf("requests = %q, want one %q", requests, wantDelete)
	}
	if _, err := url.ParseQuery(strings.SplitN(requests[0], "?", 2)[1]); err != nil {
		t.Errorf("list query is not valid: %v", err)
	}
}
