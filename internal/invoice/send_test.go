package invoice_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
)

func TestSend(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		draft := e.draft(t, nil, line("Audit", "100", "1"))
		e.withContact(t, draft.ID, map[string]string{"email": "client@example.com"})
		if _, err := e.invoices.Send(ctx, e.accountID, draft.ID); err == nil {
			t.Fatal("a draft was sent")
		} else {
			assertCode(t, err, "INVOICE_NOT_OPEN")
		}
		nobody := e.draft(t, nil, line("Audit", "100", "1"))
		if err := e.act(nobody.ID, "finalize"); err != nil {
			t.Fatal(err)
		}
		_, err := e.invoices.Send(ctx, e.accountID, nobody.ID)
		assertCode(t, err, "NO_RECIPIENT")
		if err := e.act(draft.ID, "finalize"); err != nil {
			t.Fatal(err)
		}
		d, err := e.invoices.Send(ctx, e.accountID, draft.ID)
		if err != nil || d.Recipient != "client@example.com" || d.EmailedAt != nil {
			t.Fatalf("send: %+v, %v", d, err)
		}
		want := invoice.SendArgs{AccountID: e.accountID, InvoiceID: draft.ID, DeliveryID: d.ID}
		if jobs := e.jobs.all(); len(jobs) != 1 || jobs[0] != want {
			t.Fatalf("jobs %+v, want one %+v", jobs, want)
		}
		w := &invoice.SendWorker{Service: e.invoices}
		job := &river.Job[invoice.SendArgs]{Args: want}
		for range 2 { // a retried job changes nothing
			if err := w.Work(ctx, job); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Hour)
		}
		got, err := e.invoices.Deliveries(ctx, e.accountID, draft.ID)
		if err != nil || len(got) != 1 || got[0].EmailedAt == nil || !got[0].EmailedAt.Equal(now) {
			t.Errorf("deliveries %+v, %v; want one, emailed once at %s", got, err, now)
		}
	})
}

// withContact creates a contact with props and associates it with an invoice.
func (e *env) withContact(t *testing.T, invoiceID int64, props map[string]string) crm.Record {
	t.Helper()
	ctx := context.Background()
	c, err := e.crm.Create(ctx, e.accountID, "contacts", crm.Input{Properties: props}, api)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.crm.Associate(ctx, e.accountID, invoice.Type, itoa(invoiceID), "contacts", c.IDString(), nil, api); err != nil {
		t.Fatal(err)
	}
	return c
}
