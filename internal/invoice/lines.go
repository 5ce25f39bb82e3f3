package invoice

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// An invoice bills each line item associated with it once, in the order the line items were
// created, and its totals are lineitem.Compute's, with its rounding and no order discount.
// A CRM line item is read as a lineitem.Item this way:
//
//	CRM property                 lineitem.Item            how it is written
//	name                         Name                     required
//	hs_sku                       SKU
//	hs_product_id                ProductID
//	price                        UnitPrice                required; a decimal in the currency, "49.99"
//	quantity                     Quantity                 a whole number; empty is 1
//	hs_discount_percentage       Discount.Percent         a percentage off the line, "12.5"
//	discount                     Discount.Amount          an amount off each unit, "5.00"
//	hs_tax_rate                  TaxRate                  a percentage of the line after its discount, "8.875"
//	hs_line_item_currency_code   Currency                 empty means the invoice's hs_currency, else the
//	                                                      account's default currency
//
// A line item never holds more decimals than its currency has, nor a percentage with more
// than four. Billing frequency and term are not read: an invoice is one charge of its lines.
// Problems are reported with fields named line_items[i].<property>, i counting from 0.

// bill is what an invoice's line items come to.
type bill struct {
	// Lines are the line item records, in order; Items the same, read as lineitem items.
	Lines  []crm.Record
	Items  []lineitem.Item
	Totals lineitem.Totals
}

// billOf reads the line items of an invoice and computes its totals. An invoice without
// line items comes to nothing, in no currency.
func (s *Service) billOf(ctx context.Context, accountID int64, inv crm.Record) (bill, error) {
	lines, err := s.lineItemsOf(ctx, accountID, inv.ID)
	if err != nil || len(lines) == 0 {
		return bill{}, err
	}
	fallback := inv.Values["hs_currency"]
	if fallback == "" {
		acct, err := s.accounts.Account(ctx, accountID)
		if err != nil {
			return bill{}, err
		}
		fallback = acct.DefaultCurrency
	}
	items, err := itemsOf(lines, fallback)
	if err != nil {
		return bill{}, err
	}
	totals, err := lineitem.Compute(items, lineitem.Discount{})
	if err != nil {
		return bill{}, crmFields(err)
	}
	if cur := inv.Values["hs_currency"]; cur != "" && cur != totals.Currency {
		return bill{}, problem.Invalid("hs_currency", "CURRENCY_MISMATCH",
			fmt.Sprintf("%s is in %s but its line items are in %s.", describe(inv), cur, totals.Currency))
	}
	return bill{Lines: lines, Items: items, Totals: totals}, nil
}

// lineItemsOf reads the live line items associated with an invoice, in id order.
func (s *Service) lineItemsOf(ctx context.Context, accountID, invoiceID int64) ([]crm.Record, error) {
	page, err := s.crm.Associations(ctx, accountID, Type, idString(invoiceID), lineItemType, 0, lineitem.MaxItems+1)
	if err != nil || len(page.Results) == 0 {
		return nil, err
	}
	if len(page.Results) > lineitem.MaxItems {
		return nil, problem.Invalid(lineitem.ListField, "TOO_MANY_ITEMS",
			fmt.Sprintf("An invoice bills at most %d line items.", lineitem.MaxItems))
	}
	ids := make([]string, len(page.Results))
	for i, r := range page.Results {
		ids[i] = idString(r.ID)
	}
	found, _, err := s.crm.BatchRead(ctx, accountID, lineItemType, ids, "", crm.ReadOptions{})
	out := make([]crm.Record, len(found))
	for i, e := range found {
		out[i] = e.Record
	}
	return out, err
}

// itemsOf reads line item records as items, fallback being the currency of those without
// one, and reports every value that cannot be read.
func itemsOf(lines []crm.Record, fallback string) ([]lineitem.Item, error) {
	inv := &problem.InvalidError{Summary: "The invoice's line items are not valid"}
	items := make([]lineitem.Item, len(lines))
	for i, rec := range lines {
		items[i] = itemOf(rec, fallback, field{inv: inv, prefix: fmt.Sprintf("%s[%d].", lineitem.ListField, i), rec: rec})
	}
	return items, inv.OrNil()
}

// itemOf reads one line item; f collects its problems.
func itemOf(rec crm.Record, fallback string, f field) lineitem.Item {
	v := rec.Values
	it := lineitem.Item{Name: v["name"], SKU: v["hs_sku"], ProductID: v["hs_product_id"],
		Currency: cmp.Or(v["hs_line_item_currency_code"], fallback), Quantity: 1}
	if q := v["quantity"]; q != "" {
		it.Quantity = f.whole("quantity", q)
	}
	if v["price"] == "" {
		f.add("price", "REQUIRED", "has no price")
	} else {
		it.UnitPrice = f.amount("price", v["price"], it.Currency)
	}
	if d := v["discount"]; d != "" {
		it.Discount.Amount = f.amount("discount", d, it.Currency)
	}
	if p := v["hs_discount_percentage"]; p != "" {
		it.Discount.Percent = f.percent("hs_discount_percentage", p)
	}
	if p := v["hs_tax_rate"]; p != "" {
		it.TaxRate = f.percent("hs_tax_rate", p)
	}
	return it
}

// field reports the problems of one line item's values.
type field struct {
	inv    *problem.InvalidError
	prefix string
	rec    crm.Record
}

func (f field) add(property, code, what string) {
	f.inv.Addf(f.prefix+property, code, "Line item %d (%q) %s.", f.rec.ID, f.rec.Values["name"], what)
}

// whole reads a whole number.
func (f field) whole(property, s string) int64 {
	n, err := crm.ParseNumber(s)
	if err != nil || n%1_000_000 != 0 {
		f.add(property, "INVALID_NUMBER", fmt.Sprintf("has %s %q: use a whole number", property, s))
		return 0
	}
	return n / 1_000_000
}

// money reads a non-negative decimal in currency cur, as minor units.
func (f field) amount(property, s, cur string) int64 {
	a, err := money.ParseDecimal(s, cur)
	if err != nil {
		f.add(property, "INVALID_AMOUNT", fmt.Sprintf("has %s %q: %v", property, s, err))
	}
	return a.Minor
}

// percent reads a percentage from 0 to 100.
func (f field) percent(property, s string) lineitem.Percent {
	p, err := lineitem.ParsePercent(s)
	if err != nil {
		f.add(property, "INVALID_PERCENT", fmt.Sprintf("has %s %q: %v", property, s, err))
	}
	return p
}

// itemFields maps the field names of lineitem's problems to the CRM's properties.
var itemFields = map[string]string{
	"unit_price": "price", "discount_amount": "discount", "discount_percent": "hs_discount_percentage",
	"tax_rate": "hs_tax_rate", "currency": "hs_line_item_currency_code", "sku": "hs_sku",
}

// crmFields renames the fields of lineitem's problems after the CRM line item properties.
func crmFields(err error) error {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	out := &problem.InvalidError{Summary: "The invoice's line items are not valid"}
	for _, f := range inv.Fields {
		if head, name, ok := cutLast(f.Field, "."); ok && itemFields[name] != "" {
			f.Field = head + "." + itemFields[name]
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// amountProps are an invoice's amount properties once it bills b: what it bills, what was
// paid so far, what is left, and its currency.
func amountProps(inv crm.Record, b bill) map[string]string {
	cur := cmp.Or(b.Totals.Currency, inv.Values["hs_currency"])
	paid := amountOf(inv.Values["hs_amount_paid"], cur)
	props := map[string]string{
		"hs_amount_billed": money.Amount{Minor: b.Totals.Total, Currency: cur}.Decimal(),
		"hs_amount_paid":   paid.Decimal(),
		"hs_balance_due":   money.Amount{Minor: max(b.Totals.Total-paid.Minor, 0), Currency: cur}.Decimal(),
	}
	if cur != "" {
		props["hs_currency"] = cur
	}
	return props
}

// refresh recomputes a draft's amounts from its line items and writes them, with extra
// properties. A line item that cannot be billed refuses the write that caused the refresh.
func (s *Service) refresh(ctx context.Context, accountID int64, inv crm.Record, extra map[string]string) error {
	b, err := s.billOf(ctx, accountID, inv)
	if err != nil {
		return err
	}
	props := amountProps(inv, b)
	for k, v := range extra {
		props[k] = v
	}
	_, err = s.crm.SetProperties(ctx, accountID, Type, inv.ID, props, source())
	return err
}
