package payment

import (
	"context"
	"database/sql"
	"slices"

	"github.com/riverqueue/river"
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

// Followup is a job that acts on a payment event: a receipt, a notification, an invoice, the
// workflows and the webhooks. Each is inserted in the transaction that records the event, so
// a committed payment always has its follow-ups and a rolled-back one has none.
type Followup struct {
	AccountID int64  `json:"account_id"`
	PaymentID int64  `json:"payment_id"`
	Event     string `json:"event"`
}

// The follow-up jobs, one kind each.
type (
	// ReceiptArgs sends the buyer's receipt (SPEC F6).
	ReceiptArgs struct{ Followup }
	// NotifyArgs tells the merchant's users (SPEC F5).
	NotifyArgs struct{ Followup }
	// InvoiceArgs creates the invoice of a payment when the account asks for it (SPEC F7).
	InvoiceArgs struct{ Followup }
	// WorkflowArgs enrols the payment in matching workflows (SPEC F38).
	WorkflowArgs struct{ Followup }
	// WebhookArgs calls the account's webhook endpoints (B3).
	WebhookArgs struct{ Followup }
)

// Kind names the job in River's table.
func (ReceiptArgs) Kind() string { return "payment_receipt" }

// Kind names the job in River's table.
func (NotifyArgs) Kind() string { return "payment_notify" }

// Kind names the job in River's table.
func (InvoiceArgs) Kind() string { return "payment_invoice" }

// Kind names the job in River's table.
func (WorkflowArgs) Kind() string { return "payment_workflows" }

// Kind names the job in River's table.
func (WebhookArgs) Kind() string { return "payment_webhooks" }

// followupArgs is any of the follow-up jobs.
type followupArgs interface {
	ReceiptArgs | NotifyArgs | InvoiceArgs | WorkflowArgs | WebhookArgs
	river.JobArgs
	base() Followup
}

func (f Followup) base() Followup { return f }

// FollowupWorker works one kind of follow-up. Until emails, invoices, workflows and webhooks
// exist, it records that the follow-up ran, once per payment, kind and event.
type FollowupWorker[T followupArgs] struct {
	river.WorkerDefaults[T]
	Service *Service
}

// Work records the follow-up.
func (w *FollowupWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	f := job.Args.base()
	return w.Service.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO payment_followups (account_id, payment_id, kind, event, ran_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, f.AccountID, f.PaymentID, job.Kind, f.Event, w.Service.clocks.Base().Now())
		return err
	})
}

// followups inserts the jobs an event of p calls for.
func (s *Service) followups(ctx context.Context, tx *sql.Tx, p Payment, ev Event) error {
	f := Followup{AccountID: p.AccountID, PaymentID: p.ID, Event: string(ev)}
	jobs := []river.JobArgs{WorkflowArgs{f}, WebhookArgs{f}}
	if ev == EventSucceeded && !p.External() {
		jobs = append(jobs, ReceiptArgs{f})
		if p.Type != "recurring" { // a subscription notifies its first payment only (SPEC F5)
			jobs = append(jobs, NotifyArgs{f})
		}
		if s.wantsInvoice(ctx, p) {
			jobs = append(jobs, InvoiceArgs{f})
		}
	}
	for _, j := range jobs {
		if err := s.jobs.InsertTx(ctx, tx, j, nil); err != nil {
			return err
		}
	}
	return nil
}

// wantsInvoice reports whether the account creates invoices for payments like p (SPEC F7):
// those from payment links, quotes and subscriptions.
func (s *Service) wantsInvoice(ctx context.Context, p Payment) bool {
	acct, err := s.accounts.Account(ctx, p.AccountID)
	app := p.Record.Values["hs_payment_source_app"]
	return err == nil && acct.Settings.CreateInvoices && slices.Contains([]string{"SALES_CHECKOUT", "QUOTE", "SUBSCRIPTION"}, app)
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
