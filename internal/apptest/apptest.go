// Package apptest starts a whole Settle — database, migrations, workers, HTTP — on a temp
// SQLite file or a fresh PostgreSQL schema, for tests that go through HTTP like a user would.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/telemetry"
)

// AdminPassword is the password of every test app's first super admin.
const AdminPassword = "apptest-admin-password"

// App is a running Settle for one test.
type App struct {
	*app.App
	// URL is where it answers, as http://127.0.0.1:port.
	URL string
	// Account and Admin are the first account and its super admin (email in Admin.Email,
	// password AdminPassword).
	Account auth.Account
	Admin   auth.User
	// Token is an API token of Admin with every scope.
	Token string
	// transport is the clients' connection pool, emptied before the server stops: a
	// connection a client dialed and never used would hold a graceful shutdown for seconds.
	transport *http.Transport
}

// New starts a Settle on engine and stops it when t ends. Logs go to the test log when
// SETTLE_TEST_LOGS=1, and are discarded otherwise.
func New(t testing.TB, engine config.Engine) *App {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, engine, ln.Addr().String())
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, testLogger(t), app.Options{JobPollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatalf("start %s app: %v", engine, err)
	}
	out := &App{App: a, URL: "http://" + ln.Addr().String(), transport: http.DefaultTransport.(*http.Transport).Clone()}
	out.bootstrap(t)
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		out.transport.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		a.Close()
	})
	return out
}

func testConfig(t testing.TB, engine config.Engine, addr string) config.Config {
	return config.Config{
		Addr: addr, DatabaseURL: dbtest.MigratedURL(t, engine, "app", migrate), DataDir: t.TempDir(), BaseURL: "http://" + addr,
		AdminEmail: "admin@acme.test", AdminPassword: AdminPassword, AccountCountry: "US",
		LogLevel: slog.LevelInfo, ShutdownTimeout: 5 * time.Second,
	}
}

// migrate brings a database to the schema app.Open expects, job tables included.
func migrate(ctx context.Context, d *db.DB) error {
	_, err := app.Migrate(ctx, d, clock.System{})
	return err
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("SETTLE_TEST_LOGS") == "1" {
		return telemetry.NewLogger(testWriter{t}, slog.LevelDebug)
	}
	return telemetry.NewLogger(io.Discard, slog.LevelError)
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func (a *App) bootstrap(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	first, err := a.Bootstrap(ctx)
	if err != nil || first == nil {
		t.Fatalf("bootstrap: %v (first run %v)", err, first)
	}
	a.Account, a.Admin = first.Account, first.Admin
	_, a.Token, err = a.Auth.CreateToken(ctx, a.Account.ID, a.Admin.ID, auth.NewToken{Name: "apptest"})
	if err != nil {
		t.Fatal(err)
	}
}

// UserWith adds a user holding perms to the app's account and returns it with an API token
// carrying every scope the permissions allow.
func (a *App) UserWith(t testing.TB, email string, perms ...auth.Permission) (auth.User, string) {
	t.Helper()
	ctx := context.Background()
	u, err := a.Auth.CreateUser(ctx, a.Account.ID, auth.NewUser{Email: email, Password: AdminPassword, Permissions: perms})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := a.Auth.CreateToken(ctx, a.Account.ID, u.ID, auth.NewToken{Name: "apptest"})
	if err != nil {
		t.Fatal(err)
	}
	return u, token
}

// OtherAccount creates a second account with its own super admin and returns the account,
// the admin and an API token of theirs: the neighbour that isolation tests try to reach.
func (a *App) OtherAccount(t testing.TB, email string) (auth.Account, auth.User, string) {
	t.Helper()
	ctx := context.Background()
	acct, admin, err := a.Auth.CreateAccount(ctx, auth.FirstRun{AccountName: "Neighbour", Country: "GB",
		Admin: auth.NewUser{Email: email, Password: AdminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := a.Auth.CreateToken(ctx, acct.ID, admin.ID, auth.NewToken{Name: "apptest"})
	if err != nil {
		t.Fatal(err)
	}
	return acct, admin, token
}

// Client returns an HTTP client that does not follow redirects, so tests see them.
func (a *App) Client() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: a.transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
