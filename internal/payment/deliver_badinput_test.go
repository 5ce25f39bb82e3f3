package payment

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// storedEvents counts the processor events stored.
func (e *deliverEnv) storedEvents(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.s.db.Read.QueryRow(`SELECT count(*) FROM processor_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDeliverUnknownCharge refuses an event about a charge no payment records, storing
// nothing; delivered again once the payment is recorded, it applies, and a third delivery is
// a duplicate that changes nothing.
func TestDeliverUnknownCharge(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newDeliverEnv(t, engine)
		early := made{charge: "ch_not_yet"}
		ev := e.charged(early, processor.EventChargeSucceeded, 72, 80)
		before := e.storedEvents(t)
		_, err := e.s.Deliver(context.Background(), ev)
		if !errors.Is(err, ErrUnknownCharge) || !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("deliver for an unknown charge: %v; want ErrUnknownCharge, a not-found error", err)
		}
		if n := e.storedEvents(t); n != before {
			t.Fatalf("a refused event left %d events stored; want %d", n, before)
		}
		e.proc.nextCharge = early.charge
		m := e.pay(t, "ach")
		if got := e.deliver(t, ev); got.Duplicate || !slices.Equal(got.Applied, []string{ev.ID}) {
			t.Fatalf("delivered again once recorded: %+v; want it applied", got)
		}
		if got := e.deliver(t, ev); !got.Duplicate || len(got.Applied) != 0 {
			t.Fatalf("delivered a third time: %+v; want a duplicate that applies nothing", got)
		}
		if o := e.outcomeOf(t, m); o.props["hs_latest_status"] != string(StatusSucceeded) || o.timeline[string(EventSucceeded)] != 1 {
			t.Fatalf("payment after its charge succeeded: %s; want succeeded once", o)
		}
	})
}

// TestDeliverHoldsWhatComesEarly delivers a bank debit's dispute before its charge
// succeeds: the dispute waits, and the charge's event applies it, with the charge's fee.
func TestDeliverHoldsWhatComesEarly(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newDeliverEnv(t, engine)
		m := e.pay(t, "ach")
		opened := e.disputed(m, processor.EventDisputeOpened, 96, 10000, "needs_response")
		if got := e.deliver(t, opened); len(got.Applied) != 0 || !slices.Equal(got.Held, []string{opened.ID}) {
			t.Fatalf("dispute before the debit settled: %+v; want it held", got)
		}
		settled := e.charged(m, processor.EventChargeSucceeded, 72, 80)
		if got := e.deliver(t, settled); !slices.Equal(got.Applied, []string{settled.ID, opened.ID}) || len(got.Held) != 0 {
			t.Fatalf("the debit's settlement: %+v; want it and the dispute applied in that order", got)
		}
		o := e.outcomeOf(t, m)
		if o.props["hs_latest_status"] != string(StatusDisputeNeeds) || o.props["hs_fees_amount"] != "0.8" ||
			o.props["hs_dispute_amount"] != "100" {
			t.Fatalf("payment: %s; want disputed with the debit's fee 0.80 and 100.00 disputed", o)
		}
	})
}

// TestDeliverMalformed refuses events Settle cannot read with a clear *problem.InvalidError
// naming the field, and writes nothing: no event, no change to the payment.
func TestDeliverMalformed(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newDeliverEnv(t, engine)
		m := e.pay(t, "ach")
		good := e.charged(m, processor.EventChargeSucceeded, 72, 80)
		with := func(change func(ev *processor.NewEvent)) processor.NewEvent {
			ev := good
			change(&ev)
			return ev
		}
		cases := []struct {
			name  string
			event processor.NewEvent
			field string
		}{
			{"data not JSON", with(func(ev *processor.NewEvent) { ev.Data = json.RawMessage(`{"fee": 80`) }), "data"},
			{"fee not a number", with(func(ev *processor.NewEvent) { ev.Data = json.RawMessage(`{"fee": "eighty"}`) }), "data"},
			{"no settlement currency", with(func(ev *processor.NewEvent) { ev.Data = map[string]any{"fee": 80} }), "data.settlement_currency"},
			{"negative fee", with(func(ev *processor.NewEvent) {
				ev.Data = map[string]any{"fee": -1, "settlement_currency": "USD"}
			}), "data.fee"},
			{"no id", with(func(ev *processor.NewEvent) { ev.ID = "" }), "id"},
			{"no time", with(func(ev *processor.NewEvent) { ev.CreatedAt = time.Time{} }), "created_at"},
			{"payout event", with(func(ev *processor.NewEvent) { ev.Type = processor.EventPayoutPaid }), "type"},
			{"refund without its charge", with(func(ev *processor.NewEvent) {
				ev.Type, ev.Data = processor.EventRefundSucceeded, map[string]any{"id": "re_1"}
			}), "data.charge_id"},
			{"dispute closed neither won nor lost", e.disputed(m, processor.EventDisputeClosed, 200, 10000, "maybe"), "data.status"},
		}
		before, want := e.storedEvents(t), e.outcomeOf(t, m)
		for _, c := range cases {
			_, err := e.s.Deliver(context.Background(), c.event)
			var inv *problem.InvalidError
			if !errors.As(err, &inv) || inv.Fields[0].Field != c.field {
				t.Errorf("%s: %v; want an invalid-input error about %q", c.name, err, c.field)
			}
		}
		if n, got := e.storedEvents(t), e.outcomeOf(t, m); n != before || !got.equal(want) {
			t.Fatalf("refused events left %d events stored (want %d) and the payment %s (want %s)", n, before, got, want)
		}
	})
}
