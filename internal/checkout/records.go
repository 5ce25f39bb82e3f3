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

// record writes what a charged order leaves in the CRM, in the caller's transaction: a line
// item per line, associated with the payment and its deal, and a subscription per group of
// recurring items.
func (s *Service) record(ctx context.Context, tx *sql.Tx, o order, pay payment.Payment, linked payment.Linked) (Result, error) {
	lines, err := s.writeLines(ctx, tx, o, pay.ID, linked.Deal)
	if err != nil {
		return Result{}, err
	}
	subs, err := s.writeSubscriptions(ctx, tx, o, pay, related{contact: linked.Contact, deal: linked.Deal}, lines)
	return Result{Payment: pay, SubscriptionIDs: subs, linked: linked}, err
}

// related are the contact and deal a payment was linked with; 0 when absent.
type related struct{ contact, deal int64 }

// writeLines creates the line item records of an order and associates them with the payment
// and the deal. It returns their ids in the order of the items.
func (s *Service) writeLines(ctx context.Context, tx *sql.Tx, o order, paymentID, deal int64) ([]int64, error) {
	inputs := make([]crm.Input, len(o.items))
	for i, it := range o.items {
		inputs[i] = crm.Input{Properties: lineProperties(it, o.totals.Lines[i]), System: true}
	}
	recs, err := s.crm.BatchCreate(ctx, o.accountID, "line_items", inputs, settle())
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(recs))
	links := make([]crm.Link, len(recs))
	for i, r := range recs {
		ids[i], links[i] = r.ID, crm.Link{Type: "line_items", ID: r.ID}
	}
	all := []crm.NewLinks{{Type: payment.Type, ID: paymentID, Links: links}}
	if deal != 0 {
		all = append(all, crm.NewLinks{Type: "deals", ID: deal, Links: links})
	}
	return ids, s.crm.LinkNewAll(ctx, tx, o.accountID, all, settle())
}

// lineProperties are the CRM line item of an item as bought. Its amount is the line's net
// price, after every discount and before tax, as the CRM defines it.
func lineProperties(it lineitem.Item, l lineitem.Line) map[string]string {
	dec := func(minor int64) string { return money.Amount{Minor: minor, Currency: it.Currency}.Decimal() }
	props := map[string]string{"name": it.Name, "hs_product_id": it.ProductID, "hs_sku": it.SKU, "quantity": itoa(it.Quantity),
		"price": dec(it.UnitPrice), "amount": dec(l.Taxable), "hs_line_item_currency_code": it.Currency,
		"hs_tax_rate": it.TaxRate.String()}
	if it.Discount.Percent != 0 {
		props["hs_discount_percentage"] = it.Discount.Percent.String()
	}
	if it.Discount.Amount != 0 {
		props["discount"] = dec(it.Discount.Amount)
	}
	if b := it.Billing; b != nil {
		props["recurringbillingfrequency"] = crmFrequency(b.Frequency)
		if !b.Term.IsUntilCancelled() {
			props["hs_recurring_billing_number_of_payments"] = strconv.Itoa(b.Term.Payments)
			props["hs_recurring_billing_period"] = termPeriod(*b)
		}
	}
	return props
}

// crmFrequency is the value of the CRM's billing-frequency enumeration for f: the named
// frequencies are spelled the same. A custom one ("every 10 days") has none and is left
// empty there; checkout_subscriptions keeps it exactly.
func crmFrequency(f lineitem.Frequency) string {
	if strings.HasPrefix(string(f), "every ") {
		return ""
	}
	return string(f)
}

// termPeriod writes the length of a fixed term as an ISO 8601 duration, as the CRM's term
// property holds it: 12 monthly payments are P12M, 4 quarterly ones P12M too.
func termPeriod(b lineitem.Billing) string {
	n, unit, err := b.Frequency.Period()
	if err != nil {
		return ""
	}
	return fmt.Sprintf("P%d%s", n*b.Term.Payments, map[lineitem.Unit]string{lineitem.Day: "D", lineitem.Week: "W",
		lineitem.Month: "M", lineitem.Year: "Y"}[unit])
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// dateOf writes the calendar date of t in UTC, as CRM date properties hold it.
func dateOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }
