package main

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParsesTheLineTestcontainersJavaSends(t *testing.T) {
	line := "label=org.testcontainers%3Dtrue&label=org.testcontainers.lang%3Djava" +
		"&label=org.testcontainers.version%3D2.0.5&label=org.testcontainers.sessionId%3D6a1f-42\n"

	set, err := parseFilter(line)
	if err != nil {
		t.Fatalf("parseFilter(%q) failed: %v", line, err)
	}

	want := []string{
		"org.testcontainers.lang=java",
		"org.testcontainers.sessionId=6a1f-42",
		"org.testcontainers.version=2.0.5",
		"org.testcontainers=true",
	}
	if !reflect.DeepEqual(set.labels, want) {
		t.Errorf("labels = %q, want %q", set.labels, want)
	}
}

func TestIdentifiesASetRegardlessOfLabelOrderAndDuplicates(t *testing.T) {
	a, errA := parseFilter("label=a%3D1&label=b%3D2")
	b, errB := parseFilter("label=b%3D2&label=a%3D1&label=a%3D1\r")
	if errA != nil || errB != nil {
		t.Fatalf("parse failed: %v, %v", errA, errB)
	}
	if a.key() != b.key() {
		t.Errorf("keys differ: %q vs %q", a.key(), b.key())
	}
}

func TestAcceptsABareLabelKey(t *testing.T) {
	set, err := parseFilter("label=gameday.owned")
	if err != nil {
		t.Fatalf("parse failed: %v", err)
	}
	if !reflect.DeepEqual(set.labels, []string{"gameday.owned"}) {
		t.Errorf("labels = %q", set.labels)
	}
}

func TestRejectsLinesThatWouldWidenOrBlurWhatIsRemoved(t *testing.T) {
	cases := map[string]struct {
		line    string
		message string
	}{
		"empty":            {"  \r\n", "empty filter line"},
		"other filter key": {"label=a%3D1&name=redis", `only "label" filters are supported, but got "name"`},
		"no label":         {"foo", `only "label" filters are supported, but got "foo"`},
		"empty label":      {"label=", `a label must be key=value or key, but was ""`},
		"value only":       {"label=%3Dvalue", `a label must be key=value or key, but was "=value"`},
		"bad escape":       {"label=a%zz", "is not URL query syntax"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseFilter(tc.line)
			if err == nil {
				t.Fatalf("parseFilter(%q) succeeded, want an error containing %q", tc.line, tc.message)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error = %q, want it to contain %q", err, tc.message)
			}
		})
	}
	if _, err := parseFilter(""); !errors.Is(err, errEmptyFilter) {
		t.Errorf("empty line error = %v, want errEmptyFilter", err)
	}
}

func TestRendersDockerFiltersWithEveryLabel(t *testing.T) {
	set, err := parseFilter("label=a%3D1&label=b")
	if err != nil {
		t.Fatalf("parse failed: %v", err)
	}

	var decoded map[string]map[string]bool
	if err := json.Unmarshal([]byte(set.dockerFilters()), &decoded); err != nil {
		t.Fatalf("dockerFilters() = %q is not JSON: %v", set.dockerFilters(), err)
	}
	want := map[string]map[string]bool{"label": {"a=1": true, "b": true}}
	if !reflect.DeepEqual(decoded, want) {
		t.Errorf("dockerFilters() = %v, want %v", decoded, want)
	}
}

func TestReadsConfigurationWithRyuksNamesAndDefaults(t *testing.T) {
	cfg, err := loadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatalf("loadConfig with empty environment failed: %v", err)
	}
	if cfg.port != 8080 || cfg.reconnectionTimeout.String() != "10s" || cfg.connectionTimeout.String() != "1m0s" ||
		cfg.dockerHost != defaultDockerHost || cfg.removeRetries != 10 {
		t.Errorf("defaults = %+v", cfg)
	}

	env := map[string]string{"RYUK_RECONNECTION_TIMEOUT": "ten seconds"}
	_, err = loadConfig(func(k string) string { return env[k] })
	want := `RYUK_RECONNECTION_TIMEOUT must be a Go duration such as 10s or 1m30s, but was "ten seconds"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}
