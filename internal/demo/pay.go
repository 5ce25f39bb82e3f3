package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// unpaidEvery is how many payments go by for each invoice that is sent and never paid.
const unpaidEvery = 50

// pay makes the payments of plans, each at its time, counts them in got and returns the
// succeeded card payments that are to be refunded.
func (f *filler) pay(ctx context.Context, plans []plan, got *Result) ([]paid, error) {
	var refundable []paid
	for i := range plans {
		p := &plans[i]
		f.Clock.Set(p.at)
		made, err := f.makeOne(ctx, p)
		if err != nil {
			return nil, err
		}
		got.Payments++
		switch {
		case p.disputed:
			got.Disputed++
		case p.failing:
			got.Failed++
		case made.Status == payment.StatusSucceeded && p.method.Card != nil && p.refund != nil:
			refundable = append(refundable, paid{made, *p.refund})
		}
	}
	return refundable, nil
}

// paid is a payment made and the refund it is to get.
type paid struct {
	payment.Payment
	refund refundPlan
}

// makeOne makes one payment.
func (f *filler) makeOne(ctx context.Context, p *plan) (payment.Payment, error) {
	b := payment.Buyer{Email: p.buyer.email, FirstName: p.buyer.first, LastName: p.buyer.last, Language: p.buyer.language}
	switch p.way {
	case byLink:
		r, err := f.Checkout.Checkout(ctx, checkout.Input{SourceType: checkout.SourcePaymentLink, SourceID: p.offer.link.Slug,
			Buyer: b, Quantity: p.quantity, Method: p.method, Billing: p.billing})
		return r.Payment, err
	case byInvoice:
		r, err := f.Checkout.Checkout(ctx, checkout.Input{SourceType: checkout.SourceInvoice, SourceID: p.invoiceToken,
			Buyer: b, Method: p.method, Billing: p.billing})
		return r.Payment, err
	case byIntegration:
		return f.recordIntegration(ctx, p)
	}
	return f.Payments.Charge(ctx, f.account, payment.ChargeInput{Amount: p.amount, Buyer: b, Method: p.method,
		Description: fmt.Sprintf("Order %s-%d", strings.ToUpper(f.tag), p.at.Unix()), Source: payment.Source{Type: "api"}, Billing: p.billing})
}

// recordIntegration records a payment an accounting integration reports.
func (f *filler) recordIntegration(ctx context.Context, p *plan) (payment.Payment, error) {
	status := payment.StatusSucceeded
	if p.failed {
		status = payment.StatusFailed
	}
	_, err := f.CRM.Create(ctx, f.account, payment.Type, crm.Input{Properties: map[string]string{
		"hs_initial_amount": p.amount.Decimal(), "hs_currency_code": p.amount.Currency, "hs_processor_type": p.integration,
		"hs_initiated_date": crm.FormatDatetime(p.at), "hs_latest_status": string(status), "hs_customer_email": p.buyer.email,
	}}, source)
	return payment.Payment{Status: status}, err
}

// refund gives back the payments of refundable, ten minutes after the batch's last payment
// but never later than the end of the history: the clock is shared by the workers, so each
// time set on it comes from the batch itself, and whatever is dated by it is due when the
// demo catches up at the end.
func (f *filler) refund(ctx context.Context, b batch, refundable []paid, got *Result) error {
	at := b.plans[len(b.plans)-1].at.Add(10 * time.Minute)
	if at.After(f.end) {
		at = f.end
	}
	f.Clock.Set(at)
	for _, p := range refundable {
		if _, err := f.Payments.Refund(ctx, f.account, p.ID, p.refund.of(p.Payment)); err != nil {
			return fmt.Errorf("refund of payment %d: %w", p.ID, err)
		}
		got.Refunds++
	}
	return nil
}

// openInvoices issues, at the time of the batch's first payment, the invoices its plans
// pay, and those that stay open (and go overdue).
func (f *filler) openInvoices(ctx context.Context, b batch, got *Result) error {
	f.Clock.Set(b.plans[0].at)
	for _, list := range [][]plan{b.plans, b.unpaid} {
		for i := range list {
			p := &list[i]
			if p.way != byInvoice {
				continue
			}
			token, err := f.invoice(ctx, p)
			if err != nil {
				return err
			}
			p.invoiceToken = token
			got.Invoices++
		}
	}
	return nil
}

// invoice issues p's invoice, its lines a service and sometimes expenses, and returns the
// token of its pay page.
func (f *filler) invoice(ctx context.Context, p *plan) (string, error) {
	contact, err := f.contact(ctx, p.buyer)
	if err != nil {
		return "", err
	}
	inv, err := f.CRM.Create(ctx, f.account, invoice.Type, crm.Input{Properties: map[string]string{"hs_currency": p.amount.Currency},
		Associations: []crm.AssociationInput{{ToType: "contacts", ToID: contact.IDString()}}}, source)
	if err != nil {
		return "", err
	}
	on := []crm.AssociationInput{{ToType: invoice.Type, ToID: inv.IDString()}}
	lines := []map[string]string{{"name": "Consulting services", "price": p.amount.Decimal(), "quantity": "1"}}
	if p.expenses {
		lines = append(lines, map[string]string{"name": "Travel expenses", "price": "85.00", "quantity": "1"})
	}
	for _, l := range lines {
		if _, err := f.CRM.Create(ctx, f.account, "line_items", crm.Input{Properties: l, Associations: on}, source); err != nil {
			return "", err
		}
	}
	if _, err := f.Invoices.Finalize(ctx, f.account, inv.ID, invoice.FinalizeInput{}); err != nil {
		return "", err
	}
	url, err := f.Checkout.InvoicePayURL(ctx, f.account, inv.ID)
	return url[strings.LastIndex(url, "/")+1:], err
}

// contact finds b's contact or writes it.
func (f *filler) contact(ctx context.Context, b buyer) (crm.Record, error) {
	got, err := f.CRM.Get(ctx, f.account, "contacts", b.email, "email", crm.ReadOptions{})
	if err == nil {
		return got.Record, nil
	}
	if !errors.Is(err, problem.ErrNotFound) {
		return crm.Record{}, err
	}
	return f.CRM.Create(ctx, f.account, "contacts", crm.Input{Properties: map[string]string{
		"email": b.email, "firstname": b.first, "lastname": b.last, "hs_language": b.language}}, source)
}
