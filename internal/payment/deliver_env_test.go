package payment

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/processor"
)

// connected is a fake connected processor, the way Stripe behaves: a card charge succeeds
// at once, a bank debit is processing, a refund is pending until its event says how it
// ended. Money it moves is recorded in the ledger when it moves, not when Settle applies
// the events that tell of it.
type connected struct {
	db     *db.DB
	ledger *ledger.Ledger
	clock  clock.Clock
	mu     sync.Mutex
	n      int
	// nextCharge and nextRefund, when set, are the ids the next charge or refund gets.
	nextCharge, nextRefund string
}

func (c *connected) id(prefix string, next *string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	id := fmt.Sprintf("%s_%04d", prefix, c.n)
	if *next != "" {
		id, *next = *next, ""
	}
	return id
}

func (c *connected) Pay(ctx context.Context, p processor.PayParams) (processor.Charge, error) {
	amount, err := money.ParseDecimal(p.Amount, p.Currency)
	if err != nil {
		return processor.Charge{}, err
	}
	ch := processor.Charge{ID: c.id("ch", &c.nextCharge), AccountID: p.AccountID, Method: processor.MethodACH, Amount: amount,
		Status: processor.ChargeProcessing, Settlement: amount, Fee: money.Amount{Currency: amount.Currency}, CreatedAt: c.clock.Now()}
	if p.Method.Card == nil {
		return ch, nil
	}
	ch.Method, ch.Status, ch.Fee.Minor = processor.MethodCard, processor.ChargeSucceeded, 320
	return ch, c.record(ctx, p.AccountID, ledger.TypeCharge, ch.ID, amount, ch.Fee.Minor)
}

func (c *connected) Refund(ctx context.Context, p processor.RefundParams) (processor.Refund, error) {
	r := processor.Refund{ID: c.id("re", &c.nextRefund), AccountID: p.AccountID, ChargeID: p.ChargeID, Amount: p.Amount,
		Reason: p.Reason, Status: processor.RefundProcessing, CreatedAt: c.clock.Now()}
	back, _ := p.Amount.Neg()
	return r, c.record(ctx, p.AccountID, ledger.TypeRefund, r.ID, back, 0)
}

// record writes a balance transaction in the transaction ctx carries.
func (c *connected) record(ctx context.Context, accountID int64, typ ledger.Type, source string, amount money.Amount, fee int64) error {
	return c.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := c.ledger.Record(ctx, tx, ledger.NewTransaction{AccountID: accountID, Type: typ, SourceID: source, Amount: amount,
			SettlementFee: fee, AvailableOn: c.clock.Now(), CreatedAt: c.clock.Now()})
		return err
	})
}

// deliverEnv is a Service over a fresh database whose one account uses the connected fake.
type deliverEnv struct {
	s       *Service
	proc    *connected
	account int64
	start   time.Time
}

func newDeliverEnv(t *testing.T, engine config.Engine) *deliverEnv {
	t.Helper()
	d := dbtest.Open(t, engine)
	c := &clock.Fixed{T: time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC)}
	accounts := auth.NewService(d, c)
	acct, _, err := accounts.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Atelier", Country: "US",
		Admin: auth.NewUser{Email: "owner@atelier.test", Password: "a long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.New(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	e := &deliverEnv{proc: &connected{db: d, ledger: l, clock: c}, account: acct.ID, start: c.T}
	e.s = New(Deps{DB: d, Clocks: clock.NewAccounts(c, d.Dialect), CRM: crm.NewService(d, c, crm.NewRegistry()),
		Accounts: accounts, Processor: e.proc})
	return e
}

// made is a payment of 100.00 USD and the refunds recorded on it, as a case sets it up.
type made struct {
	payment int64
	charge  string
	refunds []string
}

// pay records a payment by card or bank debit (ach) and the refunds of amounts, each
// pending at the processor.
func (e *deliverEnv) pay(t *testing.T, method string, refunds ...int64) made {
	t.Helper()
	in := ChargeInput{Amount: money.Amount{Minor: 10000, Currency: "USD"}, Buyer: Buyer{Email: "ada@example.test"}}
	in.Method.ACH = &processor.ACHDetails{RoutingNumber: "110000000", AccountNumber: "000123456789", AccountHolder: "Ada"}
	if method == "card" {
		in.Method = processor.TokenizeParams{Card: &processor.CardDetails{Number: "4242424242424242", ExpMonth: 12, ExpYear: 2030, CVC: "123"}}
	}
	p, err := e.s.Charge(context.Background(), e.account, in)
	if err != nil {
		t.Fatal(err)
	}
	m := made{payment: p.ID, charge: p.ChargeID}
	for _, amount := range refunds {
		r, err := e.s.Refund(context.Background(), e.account, p.ID, RefundInput{Amount: amount, Reason: "requested_by_customer"})
		if err != nil {
			t.Fatal(err)
		}
		m.refunds = append(m.refunds, r.ProcessorRefundID)
	}
	return m
}

// deliver delivers ev, failing the test on an error.
func (e *deliverEnv) deliver(t *testing.T, ev processor.NewEvent) Delivery {
	t.Helper()
	out, err := e.s.Deliver(context.Background(), ev)
	if err != nil {
		t.Fatalf("deliver %s: %v", ev.ID, err)
	}
	return out
}

// eventProps are the payment properties that processor events set.
var eventProps = []string{"hs_latest_status", "hs_fees_amount", "hs_fees_amount_in_settlement_currency",
	"hs_net_amount_in_settlement_currency", "hs_net_amount", "hs_net_amount_after_refunds",
	"hs_max_refundable_amount_in_portal_currency", "hs_refunds_amount", "hs_processed_date", "hs_dispute_status",
	"hs_dispute_reason", "hs_dispute_amount", "hs_dispute_created_date", "hs_dispute_closed_date"}

// outcome is what a user can see of a payment after its events: the properties events set,
// each refund's status and settlement date, its timeline entries and follow-ups counted by
// kind, and the delivered events still waiting.
type outcome struct {
	props     map[string]string
	refunds   string
	timeline  map[string]int
	followups string
	waiting   int
}

func (o outcome) String() string {
	return fmt.Sprintf("props %v\nrefunds %s\ntimeline %v\nfollow-ups %s\nwaiting %d", o.props, o.refunds, o.timeline, o.followups, o.waiting)
}

func (o outcome) equal(p outcome) bool {
	return maps.Equal(o.props, p.props) && o.refunds == p.refunds && maps.Equal(o.timeline, p.timeline) &&
		o.followups == p.followups && o.waiting == p.waiting
}

// outcomeOf reads m's outcome, after running the follow-ups its events queued.
func (e *deliverEnv) outcomeOf(t *testing.T, m made) outcome {
	t.Helper()
	ctx := context.Background()
	for n := 1; n > 0; {
		var err error
		if n, err = e.s.DrainFollowups(ctx); err != nil {
			t.Fatal(err)
		}
	}
	p, err := e.s.Get(ctx, e.account, m.payment)
	if err != nil {
		t.Fatal(err)
	}
	o := outcome{props: map[string]string{}, timeline: map[string]int{}}
	for _, k := range eventProps {
		o.props[k] = p.Record.Values[k]
	}
	refunds, err := e.s.RefundsOf(ctx, p)
	for _, r := range refunds {
		settled := "-"
		if r.SettledAt != nil {
			settled = r.SettledAt.UTC().Format(time.RFC3339)
		}
		o.refunds += fmt.Sprintf("%s %s %s; ", r.Amount, r.Status, settled)
	}
	acts, err2 := e.s.crm.Timeline(ctx, e.account, Type, idString(m.payment))
	for _, a := range acts {
		o.timeline[a.Kind]++
	}
	f, err3 := e.s.Followups(ctx, e.account, m.payment)
	o.followups = strings.Join(f, " ")
	waiting, err4 := processor.Pending(ctx, e.s.db.Read, e.account, m.charge)
	o.waiting = len(waiting)
	for _, err := range []error{err, err2, err3, err4} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return o
}
