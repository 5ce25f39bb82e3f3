package config

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEListsEverySetting keeps the README's configuration table true.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, s := range Settings {
		row := "| `" + s.Env + "` | `--" + s.Flag + "` |"
		if !strings.Contains(readme, row) {
			t.Errorf("README.md has no configuration row starting %q", row)
		}
		if s.Secret && !strings.Contains(readme[strings.Index(readme, row):], "secret (`_FILE`)") {
			t.Errorf("README.md does not say %s may come from a file", s.Env)
		}
	}
	for _, cmd := range []string{"go run ./cmd/settle serve", "go test ./..."} {
		if !strings.Contains(readme, cmd) {
			t.Errorf("README.md lacks the command %q", cmd)
		}
	}
}
