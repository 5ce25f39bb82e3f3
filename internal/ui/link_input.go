package ui

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// lineItemsField is the list of a link's lines, in field paths.
const lineItemsField = lineitem.ListField

// lineFields are the fields of a line the editor shows.
var lineFields = []string{"name", "unit_amount", "quantity", "discount_percent", "tax_rate",
	"recurring.interval", "recurring.interval_count", "recurring.term_cycles"}

// keptLineFields are what a line may hold, set through the API, that the editor does not
// show: it carries them in hidden fields so that saving keeps them.
var keptLineFields = []string{"sku", "product_id", "discount_amount"}

// intervals are the billing intervals the editor offers, "" for a line charged once.
var intervals = []string{"", "day", "week", "month", "quarter", "year"}

// readLink reads the editor into a link, and the form line of each of its items: empty
// lines are left out. What cannot be read is refused under the form's own field names.
func readLink(values url.Values) (checkout.LinkInput, []int, error) {
	bad := &problem.InvalidError{Summary: "The payment link is not valid"}
	in := checkout.LinkInput{Name: strings.TrimSpace(values.Get("name")), AllowQuantity: lastValue(values, "allow_quantity") == "1",
		CollectBillingAddress: lastValue(values, "collect_billing_address") == "1"}
	for _, m := range values["payment_methods"] {
		if m != "" {
			in.Methods = append(in.Methods, checkout.Method(m))
		}
	}
	cur, err := money.Currency(strings.TrimSpace(values.Get("currency")))
	if err != nil {
		bad.Add("currency", "INVALID_CURRENCY", "Choose the link's currency.")
	}
	var rows []int
	for i := range rowCount(values) {
		line := func(field string) string {
			return strings.TrimSpace(values.Get(fmt.Sprintf("%s[%d].%s", lineItemsField, i, field)))
		}
		if emptyLine(line) {
			continue
		}
		in.Items = append(in.Items, readLine(bad, fmt.Sprintf("%s[%d].", lineItemsField, i), line, cur, err == nil))
		rows = append(rows, i)
	}
	return in, rows, bad.OrNil()
}

// emptyLine reports whether a line of the editor was left empty.
func emptyLine(line func(string) string) bool {
	for _, field := range append(lineFields, keptLineFields...) {
		if line(field) != "" {
			return false
		}
	}
	return true
}

// readLine reads one line of the editor, adding to bad what cannot be read.
func readLine(bad *problem.InvalidError, prefix string, line func(string) string, cur string, curOK bool) lineitem.Item {
	it := lineitem.Item{Name: line("name"), SKU: line("sku"), ProductID: line("product_id"), Currency: cur, Quantity: 1}
	if curOK {
		price, err := money.ParseDecimal(decimalPoint(line("unit_amount")), cur)
		if err != nil || line("unit_amount") == "" {
			bad.Add(prefix+"unit_amount", "INVALID_AMOUNT", "Enter a unit price in the link's currency.")
		}
		it.UnitPrice = price.Minor
	}
	if q := line("quantity"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil {
			bad.Add(prefix+"quantity", "INVALID_RANGE", "Enter a whole quantity.")
		}
		it.Quantity = n
	}
	it.Discount.Percent = readPercent(bad, prefix+"discount_percent", line("discount_percent"))
	it.TaxRate = readPercent(bad, prefix+"tax_rate", line("tax_rate"))
	if a := line("discount_amount"); a != "" {
		it.Discount.Amount, _ = strconv.ParseInt(a, 10, 64)
	}
	if iv := line("recurring.interval"); iv != "" {
		it.Billing = readBilling(bad, prefix+"recurring.", iv, line("recurring.interval_count"), line("recurring.term_cycles"))
	}
	return it
}

// readPercent reads a percentage, 0 when empty; a decimal comma is read as a point.
func readPercent(bad *problem.InvalidError, field, raw string) lineitem.Percent {
	if raw == "" {
		return 0
	}
	p, err := lineitem.ParsePercent(decimalPoint(strings.TrimSuffix(raw, "%")))
	if err != nil {
		bad.Add(field, "INVALID_PERCENT", "Enter a percentage from 0 to 100.")
	}
	return p
}

// readBilling reads how often a line recurs: every count intervals (1 when empty), a quarter
// being 3 months, for cycles payments or, when empty, until cancelled.
func readBilling(bad *problem.InvalidError, prefix, interval, count, cycles string) *lineitem.Billing {
	n := 1
	if count != "" {
		var err error
		if n, err = strconv.Atoi(count); err != nil {
			n = 0
		}
	}
	unit := lineitem.Unit(interval)
	if interval == "quarter" {
		unit, n = lineitem.Month, 3*n
	}
	f, err := lineitem.Every(n, unit)
	switch {
	case err != nil && !validInterval(interval):
		bad.Add(prefix+"interval", "INVALID_OPTION", "Choose one of the intervals offered.")
	case err != nil:
		bad.Add(prefix+"interval_count", "INVALID_RANGE", "Enter how many intervals apart the charges are.")
	}
	b := &lineitem.Billing{Frequency: f}
	if cycles != "" {
		p, err := strconv.Atoi(cycles)
		if err != nil || p < 1 {
			bad.Add(prefix+"term_cycles", "INVALID_RANGE", "Enter a number of payments, or leave it empty.")
		}
		b.Term = lineitem.FixedTerm(p)
	}
	return b
}

func validInterval(s string) bool {
	for _, iv := range intervals[1:] {
		if s == iv {
			return true
		}
	}
	return false
}

// lastValue is the last value of a field, so that a checkbox after its hidden "0" wins.
func lastValue(values url.Values, name string) string {
	vs := values[name]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// linkValues fills the editor with a link, one empty line after its own.
func linkValues(l checkout.Link) url.Values {
	v := url.Values{"name": {l.Name}, "currency": {l.Currency}, "payment_methods": {},
		"allow_quantity": {boolValue(l.AllowQuantity)}, "collect_billing_address": {boolValue(l.CollectBillingAddress)},
		"rows": {strconv.Itoa(len(l.Items) + 1)}}
	for _, m := range l.Methods {
		v.Add("payment_methods", string(m))
	}
	for i, it := range l.Items {
		set := func(field, value string) {
			if value != "" {
				v.Set(fmt.Sprintf("%s[%d].%s", lineItemsField, i, field), value)
			}
		}
		set("name", it.Name)
		set("sku", it.SKU)
		set("product_id", it.ProductID)
		set("unit_amount", money.Amount{Minor: it.UnitPrice, Currency: it.Currency}.Decimal())
		set("quantity", strconv.FormatInt(it.Quantity, 10))
		if it.Discount.Percent != 0 {
			set("discount_percent", it.Discount.Percent.String())
		}
		if it.Discount.Amount != 0 {
			set("discount_amount", strconv.FormatInt(it.Discount.Amount, 10))
		}
		if it.TaxRate != 0 {
			set("tax_rate", it.TaxRate.String())
		}
		if b := it.Billing; b != nil {
			n, unit, _ := b.Frequency.Period() // stored frequencies are valid
			set("recurring.interval", string(unit))
			set("recurring.interval_count", strconv.Itoa(n))
			if !b.Term.IsUntilCancelled() {
				set("recurring.term_cycles", strconv.Itoa(b.Term.Payments))
			}
		}
	}
	return v
}

func boolValue(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// itemFieldPath finds a line's index and field in the checkout service's field paths.
var itemFieldPath = regexp.MustCompile(`^line_items\[(\d+)\]\.(.+)$`)

// itemFieldNames rename the line fields of the checkout service to the editor's; a line's
// currency is the link's.
var itemFieldNames = map[string]string{"unit_price": "unit_amount", "billing.frequency": "recurring.interval",
	"billing.payments": "recurring.term_cycles", "discount_amount": "discount_percent", "sku": "name", "product_id": "name"}

// formItemFields renames the fields of the checkout service's refusal to the editor's: item
// k is the editor's line rows[k]. Other errors pass unchanged.
func formItemFields(err error, rows []int) error {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	for i, fe := range inv.Fields {
		m := itemFieldPath.FindStringSubmatch(fe.Field)
		if m == nil {
			continue
		}
		k, _ := strconv.Atoi(m[1])
		field := m[2]
		if renamed, ok := itemFieldNames[field]; ok {
			field = renamed
		}
		if k >= len(rows) || field == "currency" {
			inv.Fields[i].Field = "currency"
			continue
		}
		inv.Fields[i].Field = fmt.Sprintf("%s[%d].%s", lineItemsField, rows[k], field)
	}
	return err
}
