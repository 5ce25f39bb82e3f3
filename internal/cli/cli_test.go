package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/cli"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/telemetry"
)

// env is a test environment: SETTLE_* variables without touching the process's own.
type env map[string]string

func (e env) lookup(k string) (string, bool) { v, ok := e[k]; return v, ok }

// syncBuffer is a bytes.Buffer safe to read while a command writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func run(t *testing.T, e env, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut syncBuffer
	code = cli.Run(context.Background(), args, cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Env: e.lookup})
	return code, out.String(), errOut.String()
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		env  env
		args []string
		code int
		want string
	}{
		{"unknown command", env{}, []string{"fly"}, 1, `unknown command "fly"`},
		{"unknown flag", env{}, []string{"serve", "--colour=blue"}, 2, "unknown flag: --colour"},
		{"malformed database URL", env{"SETTLE_DATABASE_URL": "sqlite:/nowhere"}, []string{"migrate"}, 1, "no scheme"},
		{"unsupported engine", env{}, []string{"migrate", "--database-url", "mysql://db/settle"}, 1, `scheme "mysql" is not supported`},
		{"unreachable PostgreSQL", env{"SETTLE_DATABASE_URL": "postgres://postgres:hunter2@127.0.0.1:1/test"}, []string{"migrate"}, 1, "cannot reach PostgreSQL"},
		{"address without port", env{"SETTLE_ADDR": "localhost"}, []string{"serve", "--data-dir", dir}, 1, "is not host:port"},
		{"bad country", env{"SETTLE_ACCOUNT_COUNTRY": "Narnia"}, []string{"serve", "--data-dir", dir}, 1, "SETTLE_ACCOUNT_COUNTRY"},
		{"bad log level", env{"SETTLE_LOG_LEVEL": "loud"}, []string{"serve", "--data-dir", dir}, 1, "not one of debug, info, warn, error"},
		{"bad base URL", env{"SETTLE_BASE_URL": "example.com"}, []string{"serve", "--data-dir", dir}, 1, "absolute http:// or https:// URL"},
		{"short admin password", env{"SETTLE_ADMIN_PASSWORD": "short"}, []string{"serve", "--data-dir", dir}, 1, "at least 10 characters"},
		{"user create without email", env{}, []string{"user", "create", "--data-dir", dir}, 1, `"email" not set`},
		{"token with a bad lifetime", env{}, []string{"token", "create", "--user", "a@b.test", "--expires-in", "soon", "--data-dir", dir}, 2, "not a lifetime"},
		{"token for nobody", env{}, []string{"token", "create", "--user", "nobody@acme.test", "--data-dir", dir}, 1, "no user has the email"},
		{"secret file missing", env{"SETTLE_ADMIN_PASSWORD_FILE": filepath.Join(dir, "absent")}, []string{"serve", "--data-dir", dir}, 1, "SETTLE_ADMIN_PASSWORD_FILE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.env, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d, want %d; output lacks %q:\n%s%s", code, tc.code, tc.want, out, errOut)
			}
			if strings.Contains(errOut, "hunter2") {
				t.Errorf("the password shows in %q", errOut)
			}
		})
	}
}

func TestTokenCreatePrintsOnlyTheToken(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		url := dbtest.URL(t, engine)
		bootstrap(t, url)
		e := env{"SETTLE_DATABASE_URL": url}
		code, out, errOut := run(t, e, "token", "create", "--user", "Boss@Acme.test", "--scopes", "settle.account.read", "--name", "ci")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !regexp.MustCompile(`^stl_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
			t.Fatalf("stdout %q is not one token and a newline", out)
		}
		code, _, errOut = run(t, e, "token", "create", "--user", "boss@acme.test", "--scopes", "crm.everything")
		if code == 0 || !strings.Contains(errOut, "is not a scope") {
			t.Fatalf("unknown scope: exit %d, %s", code, errOut)
		}
		code, out, errOut = run(t, e, "user", "create", "--email", "clerk@acme.test", "--permissions", "view_payments")
		if code != 0 || !strings.Contains(out, "Password: ") {
			t.Fatalf("user create: exit %d, %s%s", code, out, errOut)
		}
	})
}

func bootstrap(t *testing.T, url string) {
	t.Helper()
	cfg := config.Config{DatabaseURL: url, AdminEmail: "boss@acme.test", AdminPassword: "a long password", AccountCountry: "US"}
	a, err := app.Open(context.Background(), cfg, telemetry.NewLogger(io.Discard, slog.LevelError), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Bootstrap(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestServeStartsAnswersAndStops(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := env{"SETTLE_DATABASE_URL": dbtest.URL(t, engine), "SETTLE_ADDR": "127.0.0.1:0", "SETTLE_DATA_DIR": t.TempDir()}
		ctx, cancel := context.WithCancel(context.Background())
		var out, errOut syncBuffer
		done := make(chan int, 1)
		go func() {
			done <- cli.Run(ctx, []string{"serve"}, cli.IO{Stdout: &out, Stderr: &errOut, Env: e.lookup})
		}()
		url := waitListening(t, &out, &errOut)
		for _, want := range []string{"Created the first account (US, test mode)", "Email:    admin@settle.localhost", "Password: "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("first-run output lacks %q:\n%s", want, out.String())
			}
		}
		res, err := http.Get(url + "/healthz")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("healthz: %v %v", res, err)
		}
		res.Body.Close()
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("serve exited %d after cancel: %s", code, errOut.String())
		}
		if !strings.Contains(errOut.String(), `"msg":"shutting down"`) {
			t.Errorf("no shutdown log line: %s", errOut.String())
		}
	})
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

func waitListening(t *testing.T, out, errOut *syncBuffer) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("serve did not start: %s%s", out.String(), errOut.String())
	return ""
}
