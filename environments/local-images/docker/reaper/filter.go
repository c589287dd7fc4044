package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// labelKey is the only filter type the reaper accepts. Testcontainers clients send nothing else, and
// every other Docker filter type is valid for some resource kinds only, so honouring it for one kind
// and dropping it for another would widen what gets removed.
const labelKey = "label"

var errEmptyFilter = errors.New("empty filter line")

// filterSet is one registration from a client: a resource is reaped when it carries every label in
// the set. Several sets are independent: a resource matching any of them is reaped.
type filterSet struct {
	labels []string // sorted, without duplicates; "key=value" or a bare "key"
}

// parseFilter reads one line of the Ryuk protocol, e.g.
//
//	label=org.testcontainers%3Dtrue&label=org.testcontainers.sessionId%3D6a1f...
//
// which is what Testcontainers sends: URL-encoded key=value pairs joined with '&'.
func parseFilter(line string) (filterSet, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return filterSet{}, errEmptyFilter
	}

	query, err := url.ParseQuery(line)
	if err != nil {
		return filterSet{}, fmt.Errorf("filter %q is not URL query syntax (expected label=key%%3Dvalue&label=...): %w", line, err)
	}

	for key := range query {
		if key != labelKey {
			return filterSet{}, fmt.Errorf("filter %q: only %q filters are supported, but got %q; send label=key%%3Dvalue pairs", line, labelKey, key)
		}
	}

	seen := make(map[string]bool)
	var labels []string
	for _, label := range query[labelKey] {
		if strings.TrimSpace(label) == "" || strings.HasPrefix(label, "=") {
			return filterSet{}, fmt.Errorf("filter %q: a label must be key=value or key, but was %q", line, label)
		}
		if !seen[label] {
			seen[label] = true
			labels = append(labels, label)
		}
	}
	if len(labels) == 0 {
		return filterSet{}, fmt.Errorf("filter %q names no label; send at least one label=key%%3Dvalue", line)
	}

	sort.Strings(labels)
	return filterSet{labels: labels}, nil
}

// key identifies the set regardless of the order in which the client listed its labels.
func (f filterSet) key() string {
	return strings.Join(f.labels, "&")
}

// dockerFilters renders the set as the Docker Engine API's "filters" query parameter.
func (f filterSet) dockerFilters() string {
	values := make(map[string]bool, len(f.labels))
	for _, label := range f.labels {
		values[label] = true
	}
	encoded, err := json.Marshal(map[string]map[string]bool{labelKey: values})
	if err != nil {
		// A map of strings to booleans always marshals.
		panic(err)
	}
	return string(encoded)
}

func (f filterSet) String() string {
	return "{" + strings.Join(f.labels, ", ") + "}"
}
