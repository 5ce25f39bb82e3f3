package faults

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// outage is how long PostgreSQL stays out of reach.
const outage = 2500 * time.Millisecond

// TestPostgresOutageUnderLoad puts a TCP proxy between `settle serve` and PostgreSQL and,
// under a load of records, card charges, refunds and checkouts, cuts every proxied connection and refuses new
// ones for a few seconds: what a PostgreSQL restart looks like from Settle (the shared
// PostgreSQL server itself is not restarted; other test packages use it). Requests during
// the outage must fail cleanly — 503 with the documented error body — while /readyz says
// not ready; afterwards requests succeed again, and nothing is half-written: the ledger
// verifies and the database checks of TestKillUnderLoad pass.
func TestPostgresOutageUnderLoad(t *testing.T) {
	direct := dbtest.URL(t, config.Postgres)
	px := startProxy(t, hostOf(t, direct))
	srv := newServer(t, px.through(direct))
	srv.start()
	l := newLoad(t, srv.token(), srv.url())
	l.enableInvoices()
	var unavailable atomic.Int64
	l.onFailure = func(ans answer) { checkUnavailable(t, srv, ans, &unavailable) }
	ctx, cancel := context.WithCancel(context.Background())
	wait := l.run(ctx, 4)
	time.Sleep(1500 * time.Millisecond)
	px.cut()
	end := time.Now().Add(outage)
	notReady := waitStatus(srv.url()+"/readyz", http.StatusServiceUnavailable, outage)
	time.Sleep(time.Until(end))
	acked := l.ackCount()
	px.restore()
	readyAgain := waitStatus(srv.url()+"/readyz", http.StatusOK, 30*time.Second)
	time.Sleep(2 * time.Second)
	cancel()
	wait()
	t.Log(l.summary())
	checkOutage(t, l, notReady, readyAgain, acked, unavailable.Load())
	if t.Failed() {
		return
	}
	srv.verify()
	openStore(t, direct).checkAll(l)
}

// hostOf is the host:port of a database URL.
func hostOf(t *testing.T, dbURL string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Port() == "" {
		return u.Hostname() + ":5432"
	}
	return u.Host
}

// checkUnavailable fails t unless a failed attempt is a 503 with the documented error
// body, and counts it. A failure shows the server's log lines for the request.
func checkUnavailable(t *testing.T, srv *server, ans answer, n *atomic.Int64) {
	if ans.err != nil {
		t.Errorf("the server did not answer during the outage: %v", ans.err)
		return
	}
	var body struct {
		Status, Message, CorrelationID, Category string
		Errors                                   []json.RawMessage
	}
	err := json.Unmarshal(ans.body, &body)
	if ans.status != http.StatusServiceUnavailable || err != nil || body.Status != "error" || body.Message == "" ||
		body.CorrelationID == "" || body.Category != "SERVICE_UNAVAILABLE" || body.Errors == nil {
		t.Errorf("a request during the outage answered %d %s; want 503 with the error body", ans.status, ans.body)
		if body.CorrelationID != "" {
			t.Logf("the server's log for that request:\n%s", srv.logLinesWith(body.CorrelationID))
		}
		return
	}
	n.Add(1)
}

// waitStatus polls url until it answers want, for at most timeout, and reports whether it
// did.
func waitStatus(url string, want int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if status(url) == want {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// checkOutage checks what the load saw: not ready and 503s during the outage, ready and
// acknowledged writes after it.
func checkOutage(t *testing.T, l *load, notReady, readyAgain bool, ackedBefore int, unavailable int64) {
	t.Helper()
	if !notReady {
		t.Error("/readyz did not answer 503 during the outage")
	}
	if !readyAgain {
		t.Error("/readyz did not answer 200 again within 30 s of the outage's end")
	}
	if unavailable == 0 {
		t.Error("no request answered 503 during the outage: the load did not meet it")
	}
	if l.ackCount() == ackedBefore {
		t.Error("no write was acknowledged after the outage")
	}
}
