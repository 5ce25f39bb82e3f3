package faults

import (
	"context"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// killRounds is how many times the server is killed under load.
const killRounds = 10

// TestKillUnderLoad sends SIGKILL to `settle serve` at a random moment of a load of CRM
// payment records, card charges, refunds and payment-link checkouts, ten times, starting it
// again on the same database each time; clients send the write they had in flight again,
// under the same Idempotency-Key, until it is acknowledged. Afterwards the ledger verifies,
// every acknowledged payment and refund is there exactly once, no charge gave back more
// than it took, every charge and refund has its balance transaction, and once the
// follow-up queue drains every payment's follow-ups have run — the receipt of each card
// payment recorded once, and one invoice, no more, for each checkout.
func TestKillUnderLoad(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		url := dbtest.URL(t, engine)
		srv := newServer(t, url)
		srv.start()
		l := newLoad(t, srv.token(), srv.url())
		l.enableInvoices()
		ctx, cancel := context.WithCancel(context.Background())
		wait := l.run(ctx, 6)
		for round := range killRounds {
			time.Sleep(300*time.Millisecond + mrand.N(1200*time.Millisecond))
			srv.kill()
			srv.start()
			t.Logf("round %d: killed and restarted; %s", round+1, l.summary())
		}
		time.Sleep(500 * time.Millisecond)
		cancel()
		wait()
		t.Log(l.summary())
		if t.Failed() {
			return
		}
		start := time.Now()
		srv.verify()
		t.Logf("verified in %s", time.Since(start))
		openStore(t, url).checkAll(l)
	})
}
