package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// kind is a type of Docker resource the reaper removes, in the order it must remove them:
// containers first (they hold networks, volumes and images), images last.
type kind string

const (
	containers kind = "container"
	networks   kind = "network"
	volumes    kind = "volume"
	images     kind = "image"
)

var kinds = []kind{containers, networks, volumes, images}

// resource is one Docker object found by a filter.
type resource struct {
	id      string
	created time.Time
	labels  map[string]string
}

// errNotFound is returned by remove when the resource is already gone.
var errNotFound = errors.New("not found")

// errConflict is returned by remove when Docker refuses for now (in use, removal in progress).
var errConflict = errors.New("conflict")

// engine is the part of the Docker Engine API the reaper needs.
type engine interface {
	ping(ctx context.Context) error
	list(ctx context.Context, k kind, f filterSet) ([]resource, error)
	remove(ctx context.Context, k kind, id string) error
}

// httpEngine speaks the Docker Engine HTTP API over a unix socket or TCP, with the standard library only.
type httpEngine struct {
	client *http.Client
	base   string
}

// newHTTPEngine connects to dockerHost, which is "unix:///path/to/docker.sock" or "tcp://host:port".
func newHTTPEngine(dockerHost string) (*httpEngine, error) {
	u, err := url.Parse(dockerHost)
	if err != nil {
		return nil, fmt.Errorf("DOCKER_HOST %q is not a URL (expected unix:///var/run/docker.sock or tcp://host:2375): %w", dockerHost, err)
	}
	switch u.Scheme {
	case "unix":
		socket := u.Path
		dialer := &net.Dialer{}
		transport := &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return dialer.DialContext(ctx, "unix", socket)
			},
		}
		return &httpEngine{client: &http.Client{Transport: transport}, base: "http://docker"}, nil
	case "tcp", "http":
		return &httpEngine{client: &http.Client{}, base: "http://" + u.Host}, nil
	default:
		return nil, fmt.Errorf("DOCKER_HOST %q: scheme %q is not supported; use unix:// or tcp://", dockerHost, u.Scheme)
	}
}

func (e *httpEngine) ping(ctx context.Context) error {
	status, body, err := e.do(ctx, http.MethodGet, "/_ping")
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET /_ping answered %d: %s", status, body)
	}
	return nil
}

func (e *httpEngine) list(ctx context.Context, k kind, f filterSet) ([]resource, error) {
	filters := url.QueryEscape(f.dockerFilters())
	var path string
	switch k {
	case containers:
		path = "/containers/json?all=1&filters=" + filters
	case networks:
		path = "/networks?filters=" + filters
	case volumes:
		path = "/volumes?filters=" + filters
	case images:
		path = "/images/json?filters=" + filters
	default:
		return nil, fmt.Errorf("unknown resource kind %q", k)
	}

	status, body, err := e.do(ctx, http.MethodGet, path)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET %s answered %d: %s", path, status, body)
	}
	return decodeList(k, body)
}

// decodeList reads the list answers, whose shapes differ per kind (unix seconds for containers and
// images, RFC 3339 for networks and volumes; volumes come wrapped in an object).
func decodeList(k kind, body []byte) ([]resource, error) {
	var out []resource
	switch k {
	case containers, images:
		var items []struct {
			ID      string            `json:"Id"`
			Created int64             `json:"Created"`
			Labels  map[string]string `json:"Labels"`
		}
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, fmt.Errorf("decode %s list: %w", k, err)
		}
		for _, item := range items {
			out = append(out, resource{id: item.ID, created: time.Unix(item.Created, 0), labels: item.Labels})
		}
	case networks:
		var items []struct {
			ID      string            `json:"Id"`
			Created time.Time         `json:"Created"`
			Labels  map[string]string `json:"Labels"`
		}
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, fmt.Errorf("decode %s list: %w", k, err)
		}
		for _, item := range items {
			out = append(out, resource{id: item.ID, created: item.Created, labels: item.Labels})
		}
	case volumes:
		var answer struct {
			Volumes []struct {
				Name      string            `json:"Name"`
				CreatedAt string            `json:"CreatedAt"`
				Labels    map[string]string `json:"Labels"`
			} `json:"Volumes"`
		}
		if err := json.Unmarshal(body, &answer); err != nil {
			return nil, fmt.Errorf("decode %s list: %w", k, err)
		}
		for _, item := range answer.Volumes {
			// An unreadable creation time counts as "long ago": the label match is what decides.
			created, _ := time.Parse(time.RFC3339, item.CreatedAt)
			out = append(out, resource{id: item.Name, created: created, labels: item.Labels})
		}
	}
	return out, nil
}

func (e *httpEngine) remove(ctx context.Context, k kind, id string) error {
	escaped := url.PathEscape(id)
	var path string
	switch k {
	case containers:
		path = "/containers/" + escaped + "?force=1&v=1"
	case networks:
		path = "/networks/" + escaped
	case volumes:
		path = "/volumes/" + escaped + "?force=1"
	case images:
		path = "/images/" + escaped
	default:
		return fmt.Errorf("unknown resource kind %q", k)
	}

	status, body, err := e.do(ctx, http.MethodDelete, path)
	if err != nil {
		return err
	}
	switch {
	case status >= 200 && status < 300:
		return nil
	case status == http.StatusNotFound:
		return errNotFound
	case status == http.StatusConflict:
		return fmt.Errorf("%w: DELETE %s: %s", errConflict, path, body)
	default:
		return fmt.Errorf("DELETE %s answered %d: %s", path, status, body)
	}
}

func (e *httpEngine) do(ctx context.Context, method, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	return resp.StatusCode, []byte(strings.TrimSpace(string(body))), nil
}
