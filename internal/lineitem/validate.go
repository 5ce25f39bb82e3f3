package lineitem

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// ListField is the name of a list of items in field paths: "line_items[2].quantity".
const ListField = "line_items"

// Validate checks a list of items as a payment link, quote or invoice holds them: 1 to
// MaxItems items, each valid, all in one currency. It returns nil or a *problem.InvalidError
// listing every problem, each field named by its path, such as "line_items[2].quantity".
func Validate(items []Item) error {
	inv := &problem.InvalidError{Summary: "The line items are not valid"}
	switch {
	case len(items) == 0:
		inv.Add(ListField, "REQUIRED", "Add at least one line item.")
	case len(items) > MaxItems:
		inv.Addf(ListField, "TOO_MANY_ITEMS", "A list holds at most %d line items, not %d.", MaxItems, len(items))
	}
	for i, it := range items {
		it.check(inv, itemPath(i)+".")
	}
	checkOneCurrency(inv, items)
	return inv.OrNil()
}

// Validate checks one item on its own, as a product is; fields are named without a prefix
// ("quantity"). It returns nil or a *problem.InvalidError listing every problem.
func (it Item) Validate() error {
	inv := &problem.InvalidError{Summary: "The line item is not valid"}
	it.check(inv, "")
	return inv.OrNil()
}

func itemPath(i int) string { return fmt.Sprintf("%s[%d]", ListField, i) }

// check adds the problems of it to inv, naming each field after prefix.
func (it Item) check(inv *problem.InvalidError, prefix string) {
	checkText(inv, prefix+"name", "name", it.Name, true)
	checkText(inv, prefix+"sku", "SKU", it.SKU, false)
	if !knownCurrency(it.Currency) {
		inv.Addf(prefix+"currency", "INVALID_CURRENCY", "%q is not an ISO 4217 currency code such as USD.", it.Currency)
	}
	if it.UnitPrice < 0 || it.UnitPrice > MaxUnitPrice {
		inv.Addf(prefix+"unit_price", "INVALID_RANGE", "The unit price must be from 0 to %d minor units, not %d.",
			int64(MaxUnitPrice), it.UnitPrice)
	}
	if it.Quantity < 1 || it.Quantity > MaxQuantity {
		inv.Addf(prefix+"quantity", "INVALID_RANGE", "The quantity must be from 1 to %d, not %d.", MaxQuantity, it.Quantity)
	}
	checkPercent(inv, prefix+"tax_rate", "tax rate", it.TaxRate)
	checkDiscount(inv, prefix, it.Discount, min(max(it.UnitPrice, 0), MaxUnitPrice), "unit price")
	if it.Billing != nil {
		it.Billing.check(inv, prefix+"billing.")
	}
}

// checkText refuses an empty required text and any text longer than MaxTextLength.
func checkText(inv *problem.InvalidError, field, label, s string, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		inv.Addf(field, "REQUIRED", "The %s is required.", label)
	case utf8.RuneCountInString(s) > MaxTextLength:
		inv.Addf(field, "INVALID_LENGTH", "The %s must be at most %d characters.", label, MaxTextLength)
	}
}

// checkPercent refuses a percentage outside 0..100.
func checkPercent(inv *problem.InvalidError, field, label string, p Percent) {
	if p < 0 || p > MaxPercent {
		inv.Addf(field, "INVALID_RANGE", "The %s must be from 0 to 100%%, not %s%%.", label, p)
	}
}

// checkDiscount refuses a discount that is both a percentage and an amount, a percentage
// outside 0..100, and an amount below zero or above limit, which limitName names.
func checkDiscount(inv *problem.InvalidError, prefix string, d Discount, limit int64, limitName string) {
	if d.Percent != 0 && d.Amount != 0 {
		inv.Add(prefix+"discount_amount", "CONFLICTING_DISCOUNT",
			"Give the discount as a percentage or as an amount, not both.")
		return
	}
	checkPercent(inv, prefix+"discount_percent", "discount percentage", d.Percent)
	switch {
	case d.Amount < 0:
		inv.Addf(prefix+"discount_amount", "INVALID_RANGE", "The discount amount cannot be negative (%d).", d.Amount)
	case d.Amount > limit:
		inv.Addf(prefix+"discount_amount", "INVALID_RANGE",
			"The discount amount (%d minor units) must be at most the %s (%d).", d.Amount, limitName, limit)
	}
}

// check adds the problems of b to inv, naming each field after prefix.
func (b Billing) check(inv *problem.InvalidError, prefix string) {
	if _, err := b.Frequency.period(); err != nil {
		inv.Add(prefix+"frequency", "INVALID_OPTION", "The billing frequency is not valid: "+
			strings.TrimPrefix(err.Error(), ErrInvalidFrequency.Error()+": ")+".")
	}
	if b.Term.Payments < 0 || b.Term.Payments > MaxPayments {
		inv.Addf(prefix+"payments", "INVALID_RANGE",
			"The number of payments must be from 1 to %d, or 0 to charge until cancelled; not %d.",
			MaxPayments, b.Term.Payments)
	}
}

// checkOneCurrency refuses an item whose currency differs from the first valid currency of
// the list; invalid currencies are already refused on their own.
func checkOneCurrency(inv *problem.InvalidError, items []Item) {
	first := -1
	for i, it := range items {
		switch {
		case !knownCurrency(it.Currency):
		case first < 0:
			first = i
		case it.Currency != items[first].Currency:
			inv.Addf(itemPath(i)+".currency", "CURRENCY_MISMATCH",
				"%s (%q) is in %s but %s is in %s; all line items must share one currency.",
				itemPath(i), it.Name, it.Currency, itemPath(first), items[first].Currency)
		}
	}
}

// knownCurrency reports whether code is an ISO 4217 code written in capitals.
func knownCurrency(code string) bool {
	up, err := money.Currency(code)
	return err == nil && up == code
}
