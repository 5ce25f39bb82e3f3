package invoice

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Delivery is one request to email an invoice to its contact.
type Delivery struct {
	ID        int64
	InvoiceID int64
	// Recipient is the email address it goes to: the invoice's contact's.
	Recipient   string
	RequestedAt time.Time
	// EmailedAt is when the job that emails it ran; nil until then.
	EmailedAt *time.Time
}

// Send asks for an open invoice to be emailed to its contact: it records the request and
// inserts the job that emails it in one transaction, so a committed request is always
// worked and a rolled-back one never. Only an open invoice can be sent, and only to a
// contact with an email address.
func (s *Service) Send(ctx context.Context, accountID, id int64) (Delivery, error) {
	var out Delivery
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := s.crm.LockRecord(ctx, tx, accountID, Type, id)
		if err != nil {
			return err
		}
		if st := statusOf(inv); st != StatusOpen {
			return problem.Invalid("status", "INVOICE_NOT_OPEN", describe(inv)+" is "+string(st)+": only an open invoice can be sent.")
		}
		to, err := s.recipient(ctx, accountID, inv)
		if err != nil {
			return err
		}
		out, err = s.requestDelivery(ctx, tx, accountID, inv.ID, to)
		return err
	})
	return out, err
}

// recipient is the email address of an invoice's contact.
func (s *Service) recipient(ctx context.Context, accountID int64, inv crm.Record) (string, error) {
	contact, err := s.associated(ctx, accountID, inv.ID, "contacts")
	if err != nil {
		return "", err
	}
	if contact.Values["email"] == "" {
		return "", problem.Invalid("contacts", "NO_RECIPIENT",
			describe(inv)+" has no contact with an email address: associate one to send it.")
	}
	return contact.Values["email"], nil
}

// requestDelivery records a delivery, its timeline entry and the job that works it.
func (s *Service) requestDelivery(ctx context.Context, tx *sql.Tx, accountID, invoiceID int64, to string) (Delivery, error) {
	d := Delivery{InvoiceID: invoiceID, Recipient: to, RequestedAt: s.clocks.Base().Now()}
	if err := tx.QueryRowContext(ctx, `INSERT INTO invoice_sends (account_id, invoice_id, recipient, requested_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, accountID, invoiceID, to, d.RequestedAt).Scan(&d.ID); err != nil {
		return Delivery{}, err
	}
	act := crm.Activity{AccountID: accountID, ObjectType: Type, ObjectID: invoiceID, Kind: "invoice.sent",
		OccurredAt: d.RequestedAt, Source: source(), Data: map[string]any{"to": to, "delivery_id": idString(d.ID)}}
	if err := s.crm.AppendActivity(ctx, tx, act); err != nil {
		return Delivery{}, err
	}
	return d, s.jobs.InsertTx(ctx, tx, SendArgs{AccountID: accountID, InvoiceID: invoiceID, DeliveryID: d.ID}, nil)
}

// Deliveries lists the requests to email an invoice, oldest first.
func (s *Service) Deliveries(ctx context.Context, accountID, invoiceID int64) ([]Delivery, error) {
	return db.CollectRows[Delivery](s.db.Reader(ctx).QueryContext(ctx, `SELECT id, invoice_id, recipient, requested_at, emailed_at
		FROM invoice_sends WHERE account_id = $1 AND invoice_id = $2 ORDER BY id`, accountID, invoiceID))(func(r db.Scanner) (Delivery, error) {
		var d Delivery
		var emailed sql.NullTime
		err := r.Scan(&d.ID, &d.InvoiceID, &d.Recipient, &d.RequestedAt, &emailed)
		if emailed.Valid {
			d.EmailedAt = &emailed.Time
		}
		return d, err
	})
}

// SendArgs is the job that emails an invoice once it was asked to be sent.
type SendArgs struct {
	AccountID  int64 `json:"account_id"`
	InvoiceID  int64 `json:"invoice_id"`
	DeliveryID int64 `json:"delivery_id"`
}

// Kind names the job in River's table.
func (SendArgs) Kind() string { return "invoice_send" }

// SendWorker works invoice deliveries. Until emails exist, it records that the delivery
// ran, once: a retried job finds it done and changes nothing.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	Service *Service
}

// Work records the delivery as emailed.
func (w *SendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	a := job.Args
	return w.Service.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE invoice_sends SET emailed_at = $3
			WHERE account_id = $1 AND id = $2 AND emailed_at IS NULL`, a.AccountID, a.DeliveryID, w.Service.clocks.Base().Now())
		return err
	})
}
