package cli_test

import (
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// TestDemoFillsAFreshDatabase runs `settle demo` on an empty database: it makes the first
// account as serve would, writes the payments, says what it wrote and proves the ledger;
// `settle verify` agrees afterwards.
func TestDemoFillsAFreshDatabase(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := env{"SETTLE_DATABASE_URL": dbtest.URL(t, engine), "SETTLE_ADMIN_EMAIL": "boss@acme.test"}
		code, out, errOut := run(t, e, "demo", "--payments", "120", "--batch", "40", "--progress=false")
		if code != 0 {
			t.Fatalf("demo: exit %d\n%s\n%s", code, out, errOut)
		}
		for _, want := range []string{"Created the first account", "boss@acme.test", "Wrote 120 payments", "The ledger adds up"} {
			if !strings.Contains(out, want) {
				t.Errorf("demo printed no %q:\n%s", want, out)
			}
		}
		if code, out, errOut := run(t, e, "verify"); code != 0 || !strings.Contains(out, "The ledger adds up") {
			t.Errorf("verify after demo: exit %d %s %s", code, out, errOut)
		}
	})
}

// TestDemoBadInput: out-of-range options are usage errors that write nothing.
func TestDemoBadInput(t *testing.T) {
	url := dbtest.URL(t, config.SQLite)
	for _, args := range [][]string{
		{"--payments", "0"}, {"--payments", "-5"}, {"--payments", "20000000"}, {"--days", "0"}, {"--batch", "0"},
		{"--workers", "65"}, {"--payments", "ten"},
	} {
		code, _, errOut := run(t, env{"SETTLE_DATABASE_URL": url}, append([]string{"demo"}, args...)...)
		if code != 2 || !strings.Contains(errOut, "--") {
			t.Errorf("demo %v: exit %d, %q", args, code, errOut)
		}
	}
	if code, _, errOut := run(t, env{"SETTLE_DATABASE_URL": url}, "verify"); code == 0 {
		t.Errorf("a refused demo left a database behind: %s", errOut)
	}
}
