// Package testenv decides what a test does when something it needs is missing from the
// machine: skip with a clear message when run by hand, fail when SETTLE_REQUIRE_ALL=1 (as CI
// sets it), so that nothing is silently left untested there.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// RequireAll reports whether SETTLE_REQUIRE_ALL=1 is set.
func RequireAll() bool { return os.Getenv("SETTLE_REQUIRE_ALL") == "1" }

// Need skips t (or fails it under SETTLE_REQUIRE_ALL=1) when ok is false, saying what is
// missing and how to provide it.
func Need(t testing.TB, ok bool, missing string) {
	t.Helper()
	if ok {
		return
	}
	if RequireAll() {
		t.Fatalf("SETTLE_REQUIRE_ALL=1 but %s", missing)
	}
	t.Skipf("skipped: %s", missing)
}

// NeedCommand returns the path of the named program, skipping or failing t when it is not
// installed.
func NeedCommand(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	Need(t, err == nil, name+" is not installed ("+install+")")
	return path
}
