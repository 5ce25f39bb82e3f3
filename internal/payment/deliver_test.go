package payment

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/processor"
)

// at is a time hours after the env's start.
func (e *deliverEnv) at(hours int) time.Time { return e.start.Add(time.Duration(hours) * time.Hour) }

// charged is the charge event typ of m, fee being the processor's fee in minor units.
func (e *deliverEnv) charged(m made, typ processor.EventType, hours int, fee int64) processor.NewEvent {
	data := map[string]any{"id": m.charge, "status": "failed", "failure_code": "insufficient_funds"}
	if typ == processor.EventChargeSucceeded {
		data = map[string]any{"id": m.charge, "status": "succeeded", "fee": fee, "settlement_amount": 10000, "settlement_currency": "USD"}
	}
	return processor.NewEvent{ID: "evt_" + m.charge + "_" + string(typ), AccountID: e.account, Type: typ, ObjectID: m.charge,
		Data: data, CreatedAt: e.at(hours)}
}

// refunded is the refund event typ of m's refund i.
func (e *deliverEnv) refunded(m made, i int, typ processor.EventType, hours int) processor.NewEvent {
	id := m.refunds[i]
	return processor.NewEvent{ID: "evt_" + id + "_" + string(typ), AccountID: e.account, Type: typ, ObjectID: id,
		Data: map[string]any{"id": id, "charge_id": m.charge}, CreatedAt: e.at(hours)}
}

// disputed is the dispute event typ of m's dispute of amount; status is won or lost once it
// closes.
func (e *deliverEnv) disputed(m made, typ processor.EventType, hours int, amount int64, status string) processor.NewEvent {
	id := "dp_" + m.charge
	return processor.NewEvent{ID: "evt_" + id + "_" + string(typ), AccountID: e.account, Type: typ, ObjectID: id,
		Data: disputeData{ChargeID: m.charge, Amount: amount, Currency: "USD", Reason: "fraudulent", Status: status}, CreatedAt: e.at(hours)}
}

// deliveryCase is a payment, the refunds recorded on it, the events its processor sends
// about it in the order it made them, and the status they leave it in. When later is set, a
// refund of that amount is made as soon as a delivery leaves the payment refundable again;
// its id is known beforehand (the last of the payment's refunds), so that its event can
// arrive before Settle records it.
type deliveryCase struct {
	name    string
	method  string
	refunds []int64
	later   int64
	events  func(e *deliverEnv, m made) []processor.NewEvent
	status  Status
}

var deliveryCases = []deliveryCase{
	{name: "bank debit settles", method: "ach", status: StatusSucceeded,
		events: func(e *deliverEnv, m made) []processor.NewEvent {
			return []processor.NewEvent{e.charged(m, processor.EventChargeSucceeded, 72, 80)}
		}},
	{name: "bank debit fails", method: "ach", status: StatusFailed,
		events: func(e *deliverEnv, m made) []processor.NewEvent {
			return []processor.NewEvent{e.charged(m, processor.EventChargeFailed, 72, 0)}
		}},
	{name: "bank debit settles, is disputed and won", method: "ach", status: StatusDisputeWon,
		events: func(e *deliverEnv, m made) []processor.NewEvent {
			return []processor.NewEvent{e.charged(m, processor.EventChargeSucceeded, 72, 80),
				e.disputed(m, processor.EventDisputeOpened, 96, 10000, "needs_response"),
				e.disputed(m, processor.EventDisputeClosed, 240, 10000, "won")}
		}},
	{name: "card refunded partly then fully", method: "card", refunds: []int64{3000}, later: 7000, status: StatusRefunded,
		events: func(e *deliverEnv, m made) []processor.NewEvent {
			return []processor.NewEvent{e.charged(m, processor.EventChargeSucceeded, 0, 350),
				e.refunded(m, 0, processor.EventRefundSucceeded, 2), e.refunded(m, 1, processor.EventRefundSucceeded, 2)}
		}},
	{name: "card refund fails, then a dispute is lost", method: "card", refunds: []int64{5000}, status: StatusDisputeLost,
		events: func(e *deliverEnv, m made) []processor.NewEvent {
			return []processor.NewEvent{e.refunded(m, 0, processor.EventRefundFailed, 2),
				e.disputed(m, processor.EventDisputeOpened, 24, 10000, "needs_response"),
				e.disputed(m, processor.EventDisputeClosed, 200, 10000, "lost")}
		}},
	{name: "card refunded partly, then a dispute is won", method: "card", refunds: []int64{3000}, status: StatusDisputeWon,
		events: func(e *deliverEnv, m made) []processor.NewEvent {
			return []processor.NewEvent{e.charged(m, processor.EventChargeSucceeded, 0, 350),
				e.refunded(m, 0, processor.EventRefundSucceeded, 2),
				e.disputed(m, processor.EventDisputeOpened, 24, 7000, "needs_response"),
				e.disputed(m, processor.EventDisputeClosed, 200, 7000, "won")}
		}},
}

// TestDeliverAnyOrderEqualsInOrder delivers each case's events in order to one payment and,
// for every permutation with random duplicates, to an identical payment: each ends exactly
// as the first — status, amounts, dispute, refunds, timeline, follow-ups — with nothing left
// waiting, and no delivery touches the ledger, which still verifies.
func TestDeliverAnyOrderEqualsInOrder(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		e := newDeliverEnv(t, engine)
		rng := rand.New(rand.NewPCG(7, 26))
		for _, c := range deliveryCases {
			t.Run(c.name, func(t *testing.T) {
				ref := e.payFor(t, c)
				e.deliverAll(t, c, ref, inOrder(len(c.events(e, ref))))
				want := e.outcomeOf(t, ref)
				if want.props["hs_latest_status"] != string(c.status) || want.waiting != 0 {
					t.Fatalf("in order: status %s with %d events waiting; want %s and none", want.props["hs_latest_status"], want.waiting, c.status)
				}
				for _, order := range withDuplicates(rng, permutations(len(c.events(e, ref)))) {
					e.checkOrder(t, c, order, want)
				}
			})
		}
		if _, err := ledger.Verify(context.Background(), e.s.db); err != nil {
			t.Fatal(err)
		}
	})
}

// checkOrder delivers c's events to a new payment in order (indexes into them) and compares
// the outcome with want.
func (e *deliverEnv) checkOrder(t *testing.T, c deliveryCase, order []int, want outcome) {
	t.Helper()
	m := e.payFor(t, c)
	before := e.balanceTransactions(t)
	later := e.deliverAll(t, c, m, order)
	if got := e.outcomeOf(t, m); !got.equal(want) {
		t.Fatalf("order %v:\n%s\nwant (in order):\n%s", order, got, want)
	}
	if after := e.balanceTransactions(t) - later; after != before {
		t.Fatalf("order %v: delivering events wrote %d balance transactions; want none", order, after-before)
	}
}

// payFor records c's payment and refunds, and names the refund it makes later.
func (e *deliverEnv) payFor(t *testing.T, c deliveryCase) made {
	t.Helper()
	m := e.pay(t, c.method, c.refunds...)
	if c.later > 0 {
		m.refunds = append(m.refunds, "re_later_"+m.charge)
	}
	return m
}

// deliverAll delivers c's events to m in order (indexes into them), making c's later
// refund as soon as the payment is refundable again, and returns the balance transactions
// that refund wrote.
func (e *deliverEnv) deliverAll(t *testing.T, c deliveryCase, m made, order []int) int {
	t.Helper()
	events, later := c.events(e, m), c.later
	for _, i := range order {
		e.deliver(t, events[i])
		p, err := e.s.Get(context.Background(), e.account, m.payment)
		if err != nil {
			t.Fatal(err)
		}
		if later > 0 && refundable(p.Status) {
			e.proc.nextRefund = m.refunds[len(m.refunds)-1]
			if _, err := e.s.Refund(context.Background(), e.account, m.payment, RefundInput{Amount: later, Reason: "other"}); err != nil {
				t.Fatal(err)
			}
			later = 0
		}
	}
	if later > 0 {
		t.Fatalf("order %v never left payment %d refundable for its later refund", order, m.payment)
	}
	return int(min(c.later, 1))
}

func (e *deliverEnv) balanceTransactions(t *testing.T) int {
	t.Helper()
	list, err := ledger.List(context.Background(), e.s.db.Read, ledger.ListParams{AccountID: e.account})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// inOrder is 0…n-1.
func inOrder(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// permutations returns every order of 0…n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, rest := range permutations(n - 1) {
		for at := 0; at <= len(rest); at++ {
			p := append(append(append([]int{}, rest[:at]...), n-1), rest[at:]...)
			out = append(out, p)
		}
	}
	return out
}

// withDuplicates delivers, in each order, about half the events a second time at a random
// place.
func withDuplicates(rng *rand.Rand, orders [][]int) [][]int {
	for k, order := range orders {
		for _, i := range append([]int{}, order...) {
			if rng.IntN(2) == 0 {
				at := rng.IntN(len(order) + 1)
				order = append(order[:at], append([]int{i}, order[at:]...)...)
			}
		}
		orders[k] = order
	}
	return orders
}

// TestPermutationsWithDuplicates checks the orders the property test delivers: every
// permutation once, each event at least once.
func TestPermutationsWithDuplicates(t *testing.T) {
	perms := permutations(4)
	seen := map[string]bool{}
	for _, p := range perms {
		seen[fmt.Sprint(p)] = true
	}
	if len(perms) != 24 || len(seen) != 24 {
		t.Fatalf("%d permutations of 4, %d distinct; want 24", len(perms), len(seen))
	}
	dups := 0
	for _, order := range withDuplicates(rand.New(rand.NewPCG(1, 2)), perms) {
		count := map[int]int{}
		for _, i := range order {
			count[i]++
		}
		if len(count) != 4 {
			t.Fatalf("order %v leaves an event out", order)
		}
		dups += len(order) - 4
	}
	if dups == 0 {
		t.Fatal("no order delivers an event twice")
	}
}
