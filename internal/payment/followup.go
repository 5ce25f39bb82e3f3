package payment

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/db"
)

// Event names what happened to a payment, for timelines, workflows and webhooks.
type Event string

// The events of a payment.
const (
	EventProcessing Event = "payment.processing"
	EventSucceeded  Event = "payment.succeeded"
	EventFailed     Event = "payment.failed"
	EventRefunded   Event = "payment.refunded"
	EventDisputed   Event = "dispute.opened"
	EventDisputeEnd Event = "dispute.closed"
)

// eventFor is the event of a payment that reached status s.
func eventFor(s Status) Event {
	switch s {
	case StatusSucceeded:
		return EventSucceeded
	case StatusFailed:
		return EventFailed
	case StatusProcessing:
		return EventProcessing
	case StatusDisputeNeeds:
		return EventDisputed
	case StatusDisputeWon, StatusDisputeLost:
		return EventDisputeEnd
	}
	return EventRefunded
}

// Followup names a payment event that calls for follow-ups.
type Followup struct {
	AccountID int64  `json:"account_id"`
	PaymentID int64  `json:"payment_id"`
	Event     string `json:"event"`
}

// The follow-ups a payment event can call for, by the name each is recorded under.
const (
	// KindReceipt sends the buyer's receipt (SPEC F6).
	KindReceipt = "payment_receipt"
	// KindNotify tells the merchant's users (SPEC F5).
	KindNotify = "payment_notify"
	// KindInvoice creates the invoice of a payment when the account asks for it (SPEC F7).
	KindInvoice = "payment_invoice"
	// KindWorkflows enrols the payment in matching workflows (SPEC F38).
	KindWorkflows = "payment_workflows"
	// KindWebhooks calls the account's webhook endpoints (B3).
	KindWebhooks = "payment_webhooks"
)

// EventArgs is the River job that carried out the follow-ups of one payment event before
// events were queued in payment_event_queue. Jobs of this kind still waiting in a database
// that was upgraded are worked as queued events are.
type EventArgs struct {
	Followup
	Kinds []string `json:"kinds"`
}

// Kind names the job in River's table.
func (EventArgs) Kind() string { return "payment_event" }

// EventWorker works the payment_event jobs left from before the queue (see EventArgs).
type EventWorker struct {
	river.WorkerDefaults[EventArgs]
	Service *Service
}

// Work carries out the event's follow-ups that have not run before.
func (w *EventWorker) Work(ctx context.Context, job *river.Job[EventArgs]) error {
	return w.Service.RunEvent(ctx, job.Args.Followup, job.Args.Kinds)
}

// RunEvent carries out, in one transaction, the follow-ups of kinds for f that have not run
// before: a duplicate delivery of an event does nothing a second time.
func (s *Service) RunEvent(ctx context.Context, f Followup, kinds []string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		return s.runEvents(ctx, tx, []queuedEvent{{Followup: f, kinds: kinds}})
	})
}

// runEvents records the follow-ups of events in payment_followups, in one statement, and
// carries out in tx, in order, those that have a handler and had not run before.
func (s *Service) runEvents(ctx context.Context, tx *sql.Tx, events []queuedEvent) error {
	fresh, err := s.recordFollowups(ctx, tx, events)
	if err != nil {
		return err
	}
	txCtx := s.db.WithTx(ctx, tx)
	for _, e := range events {
		for _, kind := range e.kinds {
			h := s.handlers[kind]
			if h == nil || !fresh[ranKey{e.PaymentID, kind, e.Event}] {
				continue // nothing more to do than record it, or done before
			}
			if err := h(txCtx, tx, e.Followup); err != nil {
				return fmt.Errorf("follow-up %s of payment %d: %w", kind, e.PaymentID, err)
			}
		}
	}
	return nil
}

// ranKey names one follow-up of one payment event.
type ranKey struct {
	payment     int64
	kind, event string
}

// recordFollowups records that the follow-ups of events ran and returns those that had not
// run before.
func (s *Service) recordFollowups(ctx context.Context, tx *sql.Tx, events []queuedEvent) (map[ranKey]bool, error) {
	const width = 5 // values per row
	var args []any
	now := s.clocks.Base().Now().UTC()
	for _, e := range events {
		for _, kind := range e.kinds {
			args = append(args, e.AccountID, e.PaymentID, kind, e.Event, now)
		}
	}
	if len(args) == 0 {
		return nil, nil
	}
	list, err := db.CollectRows[ranKey](tx.QueryContext(ctx, `INSERT INTO payment_followups (account_id, payment_id, kind, event, ran_at)
		VALUES `+db.ValueRows(len(args)/width, width)+` ON CONFLICT DO NOTHING RETURNING payment_id, kind, event`, args...))(
		func(r db.Scanner) (k ranKey, err error) { return k, r.Scan(&k.payment, &k.kind, &k.event) })
	fresh := make(map[ranKey]bool, len(list))
	for _, k := range list {
		fresh[k] = true
	}
	return fresh, err
}

// insertQueued queues a payment event for the follow-up runner.
const insertQueued = `INSERT INTO payment_event_queue (account_id, payment_id, event, kinds, created_at, run_after)`

// followups queues the follow-ups an event of p calls for, written with tx's other
// held-back writes (db.Later): they exist exactly when tx commits.
func (s *Service) followups(ctx context.Context, tx *sql.Tx, p Payment, ev Event) error {
	kinds := []string{KindWorkflows, KindWebhooks}
	if ev == EventSucceeded && !p.External() {
		kinds = append(kinds, KindReceipt)
		if p.Type != "recurring" { // a subscription notifies its first payment only (SPEC F5)
			kinds = append(kinds, KindNotify)
		}
		if s.wantsInvoice(ctx, p) {
			kinds = append(kinds, KindInvoice)
		}
	}
	now := s.clocks.Base().Now().UTC()
	s.db.Later(tx, insertQueued, p.AccountID, p.ID, string(ev), strings.Join(kinds, ","), now, now)
	return nil
}

// wantsInvoice reports whether the account creates invoices for payments like p (SPEC F7):
// those from payment links, quotes and subscriptions.
func (s *Service) wantsInvoice(ctx context.Context, p Payment) bool {
	if !slices.Contains([]string{"SALES_CHECKOUT", "QUOTE", "SUBSCRIPTION"}, p.Record.Values["hs_payment_source_app"]) {
		return false
	}
	acct, err := s.account(ctx, p.AccountID)
	return err == nil && acct.Settings.CreateInvoices
}

// Followups lists the follow-ups that ran for a payment, as kind:event, for tests and the
// dashboard.
func (s *Service) Followups(ctx context.Context, accountID, paymentID int64) ([]string, error) {
	rows, err := s.db.Reader(ctx).QueryContext(ctx, `SELECT kind, event FROM payment_followups WHERE account_id = $1 AND payment_id = $2
		ORDER BY kind, event`, accountID, paymentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, ev string
		if err := rows.Scan(&kind, &ev); err != nil {
			return nil, err
		}
		out = append(out, kind+":"+ev)
	}
	return out, rows.Err()
}
