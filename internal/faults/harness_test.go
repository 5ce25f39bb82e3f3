package faults

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// settleBin is the settle binary TestMain builds once for every test of the package.
var settleBin string

// adminEmail and adminPassword are the first super admin every test's server creates.
const (
	adminEmail    = "admin@faults.example"
	adminPassword = "fault-tests-password"
)

// TestMain builds the settle binary (without the race detector: it is the process under
// test, not the test) into a temp dir, runs the tests and removes it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "settle-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	settleBin = filepath.Join(dir, "settle")
	build := exec.Command("go", "build", "-o", settleBin, "github.com/settlehq/settle/cmd/settle")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build settle:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is one `settle serve` process on a fixed address, which can be killed and started
// again on the same database.
type server struct {
	t       *testing.T
	dbURL   string
	dataDir string
	addr    string
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{}
}

// newServer prepares a server on dbURL at a free local port; start runs it. The end of its
// log is shown when t fails, or always under SETTLE_TEST_LOGS=1.
func newServer(t *testing.T, dbURL string) *server {
	t.Helper()
	dir := t.TempDir()
	s := &server{t: t, dbURL: dbURL, dataDir: filepath.Join(dir, "data"), addr: freeAddr(t),
		logPath: filepath.Join(dir, "serve.log")}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() || os.Getenv("SETTLE_TEST_LOGS") == "1" {
			t.Logf("the end of settle serve's log:\n%s", s.logTail())
		}
	})
	return s
}

// freeAddr returns a local address no one listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// url is where the server answers.
func (s *server) url() string { return "http://" + s.addr }

// env is the configuration every settle command of this server runs with.
func (s *server) env() []string {
	return append(os.Environ(), "SETTLE_DATABASE_URL="+s.dbURL, "SETTLE_ADDR="+s.addr,
		"SETTLE_DATA_DIR="+s.dataDir, "SETTLE_ADMIN_EMAIL="+adminEmail, "SETTLE_ADMIN_PASSWORD="+adminPassword,
		"SETTLE_LOG_LEVEL=warn", "SETTLE_SMTP_URL=")
}

// start runs `settle serve` and waits until it answers /healthz.
func (s *server) start() {
	s.t.Helper()
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	s.cmd = exec.Command(settleBin, "serve")
	s.cmd.Env, s.cmd.Stdout, s.cmd.Stderr = s.env(), logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		s.t.Fatalf("start settle serve: %v", err)
	}
	s.exited = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		_ = cmd.Wait()
		logf.Close()
		close(done)
	}(s.cmd, s.exited)
	s.waitHealthy(30 * time.Second)
}

// waitHealthy polls /healthz until it answers 200, failing the test after timeout or when
// the process exits first.
func (s *server) waitHealthy(timeout time.Duration) {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			s.t.Fatalf("settle serve exited before answering:\n%s", s.logTail())
		default:
		}
		if status(s.url()+"/healthz") == http.StatusOK {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("settle serve did not answer /healthz within %s:\n%s", timeout, s.logTail())
}

// status is the status of a GET of url, 0 when there is no answer.
func status(url string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	s.t.Helper()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
}

// stop ends the process with SIGTERM, or SIGKILL when it does not exit within 20 s.
func (s *server) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		<-s.exited
	}
	s.cmd = nil
}

// logTail is the end of the server's log, for failure messages.
func (s *server) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	if len(b) > 16000 {
		b = b[len(b)-16000:]
	}
	return string(b)
}

// logLinesWith is every line of the server's log that holds s, such as a request's
// correlation id.
func (s *server) logLinesWith(sub string) string {
	b, _ := os.ReadFile(s.logPath)
	var lines []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, sub) {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// run runs a settle command with the server's configuration and returns its stdout.
func (s *server) run(args ...string) (string, error) {
	cmd := exec.Command(settleBin, args...)
	cmd.Env = s.env()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("settle %s: %w\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// token creates an API token for the first super admin, which serve has created.
func (s *server) token() string {
	s.t.Helper()
	out, err := s.run("token", "create", "--user", adminEmail, "--name", "fault tests")
	if err != nil {
		s.t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

// verify runs `settle verify` on the server's database and fails the test when the ledger
// does not add up.
func (s *server) verify() {
	s.t.Helper()
	out, err := s.run("verify")
	if err != nil {
		s.t.Fatalf("ledger verification failed: %v", err)
	}
	s.t.Log(strings.TrimSpace(out))
}
