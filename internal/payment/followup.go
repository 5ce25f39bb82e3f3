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

// EventArgs is the job that carries out the follow-ups of one payment event. It is inserted
// in the transaction that records the event, so a committed payment always has its
// follow-ups and a rolled-back one has none; one job per event, not one per follow-up, keeps
// that transaction short. Each follow-up is recorded under its kind once done, so a retried
// job never does one twice.
type EventArgs struct {
	Followup
	Kinds []string `json:"kinds"`
}

// Kind names the job in River's table.
func (EventArgs) Kind() string { return "payment_event" }

// EventWorker works the follow-ups of payment events. Each follow-up is recorded under its
// kind in payment_followups, and a kind with a handler (HandleFollowup) is carried out in
// the transaction that records it: a retried or duplicated job finds the row and does it
// no second time. Kinds without a handler yet (emails, workflows, webhooks) are only
// recorded.
type EventWorker struct {
	river.WorkerDefaults[EventArgs]
	Service *Service
}

// Work carries out and records the event's follow-ups: those not recorded before run, in
// the order of the job's kinds.
func (w *EventWorker) Work(ctx context.Context, job *river.Job[EventArgs]) error {
	s, f := w.Service, job.Args.Followup
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		fresh, err := s.recordFollowups(ctx, tx, f, job.Args.Kinds)
		if err != nil {
			return err
		}
		for _, kind := range job.Args.Kinds {
			h := s.handlers[kind]
			if !fresh[kind] || h == nil {
				continue // done before, or nothing more to do than record it
			}
			if err := h(s.db.WithTx(ctx, tx), tx, f); err != nil {
				return fmt.Errorf("follow-up %s of payment %d: %w", kind, f.PaymentID, err)
			}
		}
		return nil
	})
}

// recordFollowups records that kinds of f ran, in one statement, and returns those that
// had not run before.
func (s *Service) recordFollowups(ctx context.Context, tx *sql.Tx, f Followup, kinds []string) (map[string]bool, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	rows := make([]string, len(kinds))
	args := []any{f.AccountID, f.PaymentID, f.Event, s.clocks.Base().Now()}
	for i, kind := range kinds {
		args = append(args, kind)
		rows[i] = fmt.Sprintf("($1, $2, $%d, $3, $4)", len(args))
	}
	fresh := map[string]bool{}
	list, err := db.CollectRows[string](tx.QueryContext(ctx, `INSERT INTO payment_followups (account_id, payment_id, kind, event, ran_at)
		VALUES `+strings.Join(rows, ", ")+` ON CONFLICT DO NOTHING RETURNING kind`, args...))(
		func(r db.Scanner) (kind string, err error) { return kind, r.Scan(&kind) })
	for _, kind := range list {
		fresh[kind] = true
	}
	return fresh, err
}

// followups inserts the job of the follow-ups an event of p calls for.
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
	args := EventArgs{Followup: Followup{AccountID: p.AccountID, PaymentID: p.ID, Event: string(ev)}, Kinds: kinds}
	return s.jobs.InsertTx(ctx, tx, args, nil)
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
