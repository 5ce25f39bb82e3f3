package dbtest

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/testenv"
)

// TestStaleTemplatesAreDropped: building a template drops the other templates made more
// than a day ago, and those without a date (a build cut short), and keeps the recent ones.
func TestStaleTemplatesAreDropped(t *testing.T) {
	base := os.Getenv("SETTLE_TEST_DATABASE_URL")
	testenv.Need(t, base != "", "SETTLE_TEST_DATABASE_URL is not set (a PostgreSQL URL)")
	admin, err := openAdmin(base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	suffix := randomHex(4)
	made := map[string]time.Duration{"old_" + suffix: 25 * time.Hour, "recent_" + suffix: time.Hour, "undated_" + suffix: -1}
	for name, age := range made {
		db := templatePrefix + name
		if _, err := admin.Exec("CREATE DATABASE " + db); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { drop(t, base, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)") })
		if age >= 0 {
			stamp := strconv.FormatInt(time.Now().Add(-age).Unix(), 10)
			if _, err := admin.Exec("COMMENT ON DATABASE " + db + " IS '" + stamp + "'"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := buildPostgresTemplate(base, "settle", migrate); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"old_" + suffix: false, "recent_" + suffix: true, "undated_" + suffix: false} {
		var n int
		if err := admin.QueryRowContext(context.Background(), `SELECT count(*) FROM pg_database WHERE datname = $1`, templatePrefix+name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if (n == 1) != want {
			t.Errorf("template %s: %d left, want kept = %v", name, n, want)
		}
	}
}
