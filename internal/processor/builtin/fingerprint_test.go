package builtin_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/processor/builtin"
)

// TestFingerprintKeySurvivesARolledBackFirstUse: the account's fingerprint key made in a
// transaction that rolls back is not the one later payment methods use; the key committed
// afterwards gives one card the same fingerprint every time, also in a processor started
// afterwards (another replica, a restart).
func TestFingerprintKeySurvivesARolledBackFirstUse(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		h := newHarness(t, engine)
		ctx := context.Background()
		acct := h.accounts["US"]
		params := card("4242424242424242")
		params.AccountID = acct
		err := h.db.InTx(ctx, func(tx *sql.Tx) error {
			inner := h.db.WithTx(ctx, tx)
			for range 2 { // the second use reads the key the first one made
				if _, err := h.proc.Tokenize(inner, params); err != nil {
					return err
				}
			}
			return errors.New("roll back")
		})
		if err == nil || err.Error() != "roll back" {
			t.Fatalf("first transaction: %v", err)
		}
		l, err := ledger.New(ctx, h.db)
		if err != nil {
			t.Fatal(err)
		}
		restarted := builtin.New(h.db, h.clocks, l, slog.New(slog.DiscardHandler))
		var prints []string
		for _, p := range []*builtin.Processor{h.proc, h.proc, restarted} {
			h.base.Advance(time.Minute)
			pm, err := p.Tokenize(ctx, params)
			if err != nil {
				t.Fatal(err)
			}
			prints = append(prints, pm.Fingerprint)
		}
		if prints[0] == "" || prints[0] != prints[1] || prints[1] != prints[2] {
			t.Fatalf("fingerprints of one card: %v", prints)
		}
		var stored string
		if err := h.db.Read.QueryRow(`SELECT fingerprint FROM payment_methods ORDER BY created_at DESC LIMIT 1`).Scan(&stored); err != nil || stored != prints[2] {
			t.Fatalf("stored fingerprint %q (%v), answered %q", stored, err, prints[2])
		}
	})
}
