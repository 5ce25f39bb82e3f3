package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/problem"
)

// The line items of payment links as the API reads and writes them.

// LinkItemJSON is a line of a payment link. With product_id, what the line leaves out (name,
// sku, unit_amount, currency, tax_rate, recurring) is copied from that product. quantity is
// 1 when left out. Percentages are decimal strings such as "12.5" (a JSON number is read too).
type LinkItemJSON struct {
	ProductID       string         `json:"product_id,omitempty"`
	Name            string         `json:"name,omitempty"`
	SKU             string         `json:"sku,omitempty"`
	UnitAmount      *int64         `json:"unit_amount,omitempty"`
	Currency        string         `json:"currency,omitempty"`
	Quantity        *int64         `json:"quantity,omitempty"`
	DiscountPercent PercentJSON    `json:"discount_percent,omitempty"`
	DiscountAmount  int64          `json:"discount_amount,omitempty"`
	TaxRate         PercentJSON    `json:"tax_rate,omitempty"`
	Recurring       *RecurringJSON `json:"recurring,omitempty"`
}

// RecurringJSON is how often a line is charged again: every interval_count intervals (1 when
// left out), term_cycles times in all, or until cancelled when null. A quarter is read as 3
// months and written back as such.
type RecurringJSON struct {
	Interval      string `json:"interval" enum:"day,week,month,quarter,year"`
	IntervalCount int    `json:"interval_count,omitempty"`
	TermCycles    *int   `json:"term_cycles"`
}

// PercentJSON is a percentage from 0 to 100 with at most four decimals, written "8.875".
type PercentJSON string

// UnmarshalJSON reads a JSON string or number without going through a float.
func (p *PercentJSON) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*p = PercentJSON(s)
		return err
	}
	if string(b) != "null" {
		*p = PercentJSON(b)
	}
	return nil
}

func linkItemJSON(it lineitem.Item) LinkItemJSON {
	price, quantity := it.UnitPrice, it.Quantity
	out := LinkItemJSON{ProductID: it.ProductID, Name: it.Name, SKU: it.SKU, UnitAmount: &price, Currency: it.Currency,
		Quantity: &quantity, DiscountAmount: it.Discount.Amount}
	if it.Discount.Percent != 0 {
		out.DiscountPercent = PercentJSON(it.Discount.Percent.String())
	}
	if it.TaxRate != 0 {
		out.TaxRate = PercentJSON(it.TaxRate.String())
	}
	if b := it.Billing; b != nil {
		out.Recurring = recurringJSON(*b)
	}
	return out
}

func recurringJSON(b lineitem.Billing) *RecurringJSON {
	n, unit, _ := b.Frequency.Period() // stored frequencies are valid
	out := &RecurringJSON{Interval: string(unit), IntervalCount: n}
	if !b.Term.IsUntilCancelled() {
		cycles := b.Term.Payments
		out.TermCycles = &cycles
	}
	return out
}

// linkItems turns the lines of a request into items, copying from products what a line
// leaves out. Every problem is reported at once, under the line's path.
func (a *API) linkItems(ctx context.Context, accountID int64, lines []LinkItemJSON) ([]lineitem.Item, error) {
	inv := &problem.InvalidError{Summary: "The line items are not valid"}
	items := make([]lineitem.Item, len(lines))
	for i, line := range lines {
		prefix := fmt.Sprintf("%s[%d].", lineitem.ListField, i)
		base, err := a.productItem(ctx, accountID, line.ProductID)
		if err != nil {
			if !errors.Is(err, problem.ErrNotFound) {
				return nil, err
			}
			inv.Addf(prefix+"product_id", "NOT_FOUND", "There is no product %q.", line.ProductID)
		}
		items[i] = line.item(inv, prefix, base)
	}
	return items, inv.OrNil()
}

// productItem reads the product a line names; a line without one starts from nothing.
func (a *API) productItem(ctx context.Context, accountID int64, productID string) (lineitem.Item, error) {
	if productID == "" {
		return lineitem.Item{Quantity: 1}, nil
	}
	return a.deps.Checkout.Product(ctx, accountID, productID)
}

// item lays the line's own fields over base, adding to inv what cannot be read.
func (line LinkItemJSON) item(inv *problem.InvalidError, prefix string, base lineitem.Item) lineitem.Item {
	it := base
	it.Name, it.SKU, it.Currency = or(line.Name, it.Name), or(line.SKU, it.SKU), or(line.Currency, it.Currency)
	if line.UnitAmount != nil {
		it.UnitPrice = *line.UnitAmount
	}
	if line.Quantity != nil {
		it.Quantity = *line.Quantity
	}
	it.Discount = lineitem.Discount{Percent: line.DiscountPercent.parse(inv, prefix+"discount_percent"), Amount: line.DiscountAmount}
	if line.TaxRate != "" {
		it.TaxRate = line.TaxRate.parse(inv, prefix+"tax_rate")
	}
	if line.Recurring != nil {
		it.Billing = line.Recurring.billing(inv, prefix+"recurring.")
	}
	return it
}

func or(s, otherwise string) string {
	if s != "" {
		return s
	}
	return otherwise
}

// parse reads p, 0 when empty, adding to inv a value that is not a percentage.
func (p PercentJSON) parse(inv *problem.InvalidError, field string) lineitem.Percent {
	if p == "" {
		return 0
	}
	v, err := lineitem.ParsePercent(string(p))
	if err != nil {
		inv.Addf(field, "INVALID_PERCENT", "%q is not a percentage from 0 to 100 with at most 4 decimals, such as \"12.5\".", string(p))
	}
	return v
}

// billing reads a recurrence, adding its problems to inv.
func (rc RecurringJSON) billing(inv *problem.InvalidError, prefix string) *lineitem.Billing {
	count := rc.IntervalCount
	if count == 0 {
		count = 1
	}
	unit := lineitem.Unit(rc.Interval)
	if rc.Interval == "quarter" {
		unit, count = lineitem.Month, 3*count
	}
	f, err := lineitem.Every(count, unit)
	switch {
	case err != nil && unit != lineitem.Day && unit != lineitem.Week && unit != lineitem.Month && unit != lineitem.Year:
		inv.Addf(prefix+"interval", "INVALID_OPTION", "%q is not day, week, month, quarter or year.", rc.Interval)
	case err != nil:
		inv.Addf(prefix+"interval_count", "INVALID_RANGE", "The interval count must be from 1 to %d.", lineitem.MaxEvery)
	}
	b := &lineitem.Billing{Frequency: f}
	if rc.TermCycles != nil {
		if *rc.TermCycles < 1 {
			inv.Addf(prefix+"term_cycles", "INVALID_RANGE", "term_cycles must be from 1 to %d, or null to charge until cancelled.", lineitem.MaxPayments)
		}
		b.Term = lineitem.FixedTerm(*rc.TermCycles)
	}
	return b
}

// itemFieldNames rename the fields of lineitem's paths to the request's own.
var itemFieldNames = strings.NewReplacer(".unit_price", ".unit_amount", ".billing.frequency", ".recurring.interval",
	".billing.payments", ".recurring.term_cycles")

// apiItemFields renames the line item fields of an invalid-input error to those of the
// request body; other errors pass unchanged.
func apiItemFields(err error) error {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	for i, f := range inv.Fields {
		inv.Fields[i].Field = itemFieldNames.Replace(f.Field)
	}
	return err
}
