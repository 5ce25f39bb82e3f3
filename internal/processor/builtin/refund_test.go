package builtin_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
	"github.com/settlehq/settle/internal/processor/builtin"
)

func usd(n int64) money.Amount { return money.Amount{Minor: n, Currency: "USD"} }

func TestRefunds(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		h := newHarness(t, engine)
		acct := h.accounts["US"]
		c := h.pay(t, instrumentCase{method: card("4242424242424242"), amount: "100.00", currency: "USD"})
		refund := func(amount money.Amount) (processor.Refund, error) {
			return h.proc.Refund(ctx, processor.RefundParams{AccountID: acct, ChargeID: c.ID, Amount: amount,
				Reason: processor.ReasonRequestedByCustomer})
		}
		r, err := refund(usd(4000))
		if err != nil || r.Status != processor.RefundSucceeded {
			t.Fatalf("refund = %+v, %v", r, err)
		}
		cases := []struct {
			name   string
			amount money.Amount
			code   string
		}{
			{"more than is left", usd(6001), "REFUND_TOO_LARGE"},
			{"another currency", money.Amount{Minor: 100, Currency: "EUR"}, "CURRENCY_MISMATCH"},
			{"zero", usd(0), "INVALID_AMOUNT"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var inv *problem.InvalidError
				if _, err := refund(tc.amount); !errors.As(err, &inv) || inv.Fields[0].Code != tc.code {
					t.Fatalf("refund %s: %v, want %s", tc.amount, err, tc.code)
				}
			})
		}
		if _, err := refund(usd(6000)); err != nil {
			t.Fatalf("refunding the rest: %v", err)
		}
		txs, _ := ledger.List(ctx, h.db.Read, ledger.ListParams{AccountID: acct})
		if len(txs) != 3 || txs[1].Type != ledger.TypeRefund || txs[1].Fee != 0 || txs[1].Net != -4000 {
			t.Fatalf("transactions = %+v", txs)
		}
	})
}

// TestConcurrentRefundsCannotExceedTheCharge refunds one charge from several goroutines at
// once: the charge's row lock lets exactly as many through as the charge can pay back.
func TestConcurrentRefundsCannotExceedTheCharge(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		h := newHarness(t, engine)
		acct := h.accounts["US"]
		c := h.pay(t, instrumentCase{method: card("4242424242424242"), amount: "100.00", currency: "USD"})
		var wg sync.WaitGroup
		results := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				_, err := h.proc.Refund(ctx, processor.RefundParams{AccountID: acct, ChargeID: c.ID, Amount: usd(3000),
					Reason: processor.ReasonDuplicate})
				results <- err
			})
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			var inv *problem.InvalidError
			switch {
			case err == nil:
				ok++
			case !errors.As(err, &inv) && !errors.Is(err, problem.ErrConflict) && !errors.Is(err, problem.ErrUnavailable):
				t.Errorf("unexpected refund error: %v", err)
			}
		}
		var refunded int64
		_ = h.db.Read.QueryRow(`SELECT COALESCE(SUM(amount), 0) FROM processor_refunds`).Scan(&refunded)
		if ok != 3 || refunded != 9000 {
			t.Fatalf("%d refunds went through for %d, want 3 for 90.00", ok, refunded)
		}
	})
}

func TestBankRefundSettlesLater(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		h := newHarness(t, engine)
		acct := h.accounts["US"]
		c := h.pay(t, instrumentCase{method: ach("000123456789"), amount: "100.00", currency: "USD"})
		refund := processor.RefundParams{AccountID: acct, ChargeID: c.ID, Amount: usd(1000), Reason: processor.ReasonOther}
		var inv *problem.InvalidError
		if _, err := h.proc.Refund(ctx, refund); !errors.As(err, &inv) || inv.Fields[0].Code != "NOT_REFUNDABLE" {
			t.Fatalf("refunding a processing debit: %v", err)
		}
		if _, err := h.sched.Advance(ctx, acct, clock.Advance{By: 7 * 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		r, err := h.proc.Refund(ctx, refund)
		if err != nil || r.Status != processor.RefundProcessing {
			t.Fatalf("bank refund = %+v, %v; want processing", r, err)
		}
		if _, err := h.sched.Advance(ctx, acct, clock.Advance{By: 10 * 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		events, _ := h.proc.Events(ctx, processor.EventsParams{AccountID: acct})
		if last := events[len(events)-1]; last.Type != processor.EventRefundSucceeded || last.ObjectID != r.ID {
			t.Fatalf("last event %+v, want refund.succeeded for %s", last, r.ID)
		}
	})
}

func TestDisputeClosesWonOrLost(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		h := newHarness(t, engine)
		acct := h.accounts["US"]
		for range 2 {
			h.pay(t, instrumentCase{method: card("4000000000000259"), amount: "50.00", currency: "USD"})
		}
		if _, err := h.sched.Advance(ctx, acct, clock.Advance{By: 4 * 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		ds, _ := h.proc.Disputes(ctx, acct)
		if len(ds) != 2 {
			t.Fatalf("%d disputes, want 2", len(ds))
		}
		won, err := h.proc.CloseDispute(ctx, builtin.CloseDisputeParams{AccountID: acct, DisputeID: ds[0].ID, Won: true})
		if err != nil || won.Status != "won" {
			t.Fatalf("close won: %+v, %v", won, err)
		}
		if _, err := h.proc.CloseDispute(ctx, builtin.CloseDisputeParams{AccountID: acct, DisputeID: ds[1].ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.proc.CloseDispute(ctx, builtin.CloseDisputeParams{AccountID: acct, DisputeID: ds[1].ID}); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("closing twice: %v", err)
		}
		lines, _ := ledger.Balance(ctx, h.db.Read, acct)
		// Two charges of 50.00 less 1.75 fees; one withdrawn for good; two dispute fees of 15.00.
		if want := int64(2*(5000-175) - 5000 - 2*1500); lines[0].Available+lines[0].Pending != want {
			t.Fatalf("balance %+v, want %d in all", lines, want)
		}
		if _, err := ledger.Verify(ctx, h.db); err != nil {
			t.Fatal(err)
		}
	})
}

// TestEventsApplyOnce applies each event twice, as a consumer receiving duplicates would:
// only the first takes effect.
func TestEventsApplyOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		h := newHarness(t, engine)
		acct := h.accounts["US"]
		h.pay(t, instrumentCase{method: card("4000000000002685"), amount: "20.00", currency: "USD"})
		h.pay(t, instrumentCase{method: ach("000111111116"), amount: "20.00", currency: "USD"})
		if _, err := h.sched.Advance(ctx, acct, clock.Advance{By: 30 * 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		events, err := h.proc.Events(ctx, processor.EventsParams{AccountID: acct})
		if err != nil {
			t.Fatal(err)
		}
		var types []processor.EventType
		for _, e := range events {
			types = append(types, e.Type)
			for i, want := range []bool{true, false} {
				var applied bool
				err := h.db.InTx(ctx, func(tx *sql.Tx) error {
					var err error
					applied, err = processor.MarkApplied(ctx, tx, acct, e.ID, thursdayBeforeChristmas)
					return err
				})
				if err != nil || applied != want {
					t.Fatalf("applying %s a %d time: %v, %v", e.ID, i+1, applied, err)
				}
			}
		}
		want := []processor.EventType{processor.EventChargeSucceeded, processor.EventChargePending,
			processor.EventDisputeOpened, processor.EventChargeFailed}
		if len(types) != len(want) {
			t.Fatalf("events %v, want %v", types, want)
		}
		for i := range want {
			if types[i] != want[i] {
				t.Fatalf("events %v, want %v", types, want)
			}
		}
	})
}
