package checkout

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
)

// writeSubscriptions creates a subscription per group of recurring items (SPEC F13), each
// associated with the buyer's contact, the deal and its own line items, and keeps each one's
// schedule. The payment is associated with the subscription only when there is exactly one:
// a payment has at most one subscription (SPEC F25), and of several none is more the
// payment's than the others, so each reaches it through its line items and the deal instead.
// It returns the subscriptions' ids in the order of their groups, empty when nothing recurs.
func (s *Service) writeSubscriptions(ctx context.Context, tx *sql.Tx, o order, pay payment.Payment, rel related, lines []int64) ([]int64, error) {
	ids := []int64{}
	if len(o.groups) == 0 {
		return ids, nil
	}
	inputs := make([]crm.Input, len(o.groups))
	for i, g := range o.groups {
		props, err := subscriptionProperties(g, pay.InitiatedAt)
		if err != nil {
			return nil, err
		}
		inputs[i] = crm.Input{Properties: props, System: true}
	}
	recs, err := s.crm.BatchCreate(ctx, o.accountID, "subscriptions", inputs, settle())
	if err != nil {
		return nil, err
	}
	for i, r := range recs {
		links := subscriptionLinks(o.groups[i], lines, rel)
		if len(recs) == 1 {
			links = append(links, crm.Link{Type: payment.Type, ID: pay.ID})
		}
		if err := s.crm.LinkNew(ctx, tx, o.accountID, "subscriptions", r.ID, links, settle()); err != nil {
			return nil, err
		}
		ids = append(ids, r.ID)
	}
	return ids, insertSchedules(ctx, tx, o, pay, ids)
}

// subscriptionLinks are the records a group's subscription is associated with: the contact,
// the deal and the group's line items.
func subscriptionLinks(g lineitem.Group, lines []int64, rel related) []crm.Link {
	var links []crm.Link
	for _, l := range []crm.Link{{Type: "contacts", ID: rel.contact}, {Type: "deals", ID: rel.deal}} {
		if l.ID != 0 {
			links = append(links, l)
		}
	}
	for _, i := range g.Indexes {
		links = append(links, crm.Link{Type: "line_items", ID: lines[i]})
	}
	return links
}

// subscriptionProperties are the CRM subscription of a group whose first payment was made at
// anchor. A term of one payment is complete at once: it expires with no next payment date.
func subscriptionProperties(g lineitem.Group, anchor time.Time) (map[string]string, error) {
	props := map[string]string{
		"hs_name": itemNames(g.Items), "hs_status": "active", "hs_currency_code": g.Currency,
		"hs_recurring_billing_frequency":  crmFrequency(g.Billing.Frequency),
		"hs_recurring_billing_start_date": dateOf(anchor), "hs_last_payment_date": crm.FormatDatetime(anchor),
		"hs_last_payment_amount": money.Amount{Minor: g.Amount, Currency: g.Currency}.Decimal(),
	}
	term := g.Billing.Term
	if !term.IsUntilCancelled() {
		props["hs_recurring_billing_number_of_payments"] = strconv.Itoa(term.Payments)
	}
	if term.Payments == 1 {
		props["hs_status"] = "expired"
		return props, nil
	}
	next, err := g.Billing.Frequency.Due(anchor, 1)
	if err != nil {
		return nil, err
	}
	props["hs_next_payment_due_date"] = dateOf(next)
	return props, nil
}

// itemNames names a subscription after its items: "Gym, Towels".
func itemNames(items []lineitem.Item) string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = it.Name
	}
	return strings.Join(names, ", ")
}

// insertSchedules keeps the exact schedule of each new subscription, in one statement. A
// quote's subscriptions have link_id 0 and their quote_id.
func insertSchedules(ctx context.Context, tx *sql.Tx, o order, pay payment.Payment, ids []int64) error {
	rows := make([]string, len(ids))
	var args []any
	var quote sql.NullInt64
	if o.quoteID != 0 {
		quote = sql.NullInt64{Int64: o.quoteID, Valid: true}
	}
	for i, id := range ids {
		b := o.groups[i].Billing
		n := len(args)
		rows[i] = fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
		args = append(args, o.accountID, id, o.linkID, quote, pay.ID, string(b.Frequency), b.Term.Payments, pay.InitiatedAt.UTC())
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO checkout_subscriptions (account_id, subscription_id, link_id, quote_id, payment_id,
		frequency, payments, anchor_at) VALUES `+strings.Join(rows, ", "), args...)
	return err
}
