package ui

import (
	"strings"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
)

// buyerLine is a line of the order as the checkout page lists it, amounts written out.
type buyerLine struct {
	Name      string
	Quantity  int64
	UnitPrice string
	Amount    string
	// Discount is what the line's own discount takes off, "" without one.
	Discount string
	// Recurring says how often the line is charged again ("every month, 12 payments"), ""
	// for a one-time line.
	Recurring string
}

// buyerTotals are the order's totals written out; Discount and Tax are "" when nothing.
type buyerTotals struct {
	Subtotal, Discount, Tax, Total string
}

// buyerOrder is what the buyer is about to pay for.
type buyerOrder struct {
	Lines  []buyerLine
	Totals buyerTotals
}

// order computes the link's lines and totals for quantity (lineitem.Compute, the checkout's
// own rule) and writes them in lang. A quantity that is not one the checkout takes shows the
// link as it is.
func (u *UI) order(l checkout.Link, quantity int64, lang string) (buyerOrder, error) {
	items := scaledItems(l.Items, quantity)
	t, err := lineitem.Compute(items, lineitem.Discount{})
	if err != nil {
		return buyerOrder{}, err
	}
	amount := func(minor int64) string { return money.Amount{Minor: minor, Currency: t.Currency}.Format(lang) }
	optional := func(minor int64) string {
		if minor == 0 {
			return ""
		}
		return amount(minor)
	}
	out := buyerOrder{Totals: buyerTotals{Subtotal: amount(t.Subtotal), Discount: optional(t.Discount), Tax: optional(t.Tax),
		Total: amount(t.Total)}}
	for i, it := range items {
		out.Lines = append(out.Lines, buyerLine{Name: it.Name, Quantity: it.Quantity, UnitPrice: amount(it.UnitPrice),
			Amount: amount(t.Lines[i].Subtotal), Discount: optional(t.Lines[i].Discount), Recurring: u.billingText(lang, it.Billing)})
	}
	return out, nil
}

// scaledItems multiplies every line's quantity by q, as a checkout of quantity q does; a q
// out of range, or one taking a line past lineitem.MaxQuantity, leaves the items as they are.
func scaledItems(items []lineitem.Item, q int64) []lineitem.Item {
	out := append([]lineitem.Item(nil), items...)
	if q < 1 || q > lineitem.MaxQuantity {
		return out
	}
	for i := range out {
		if out[i].Quantity > lineitem.MaxQuantity/q {
			return append([]lineitem.Item(nil), items...)
		}
		out[i].Quantity *= q
	}
	return out
}

// billingText says in lang how often a recurring line is charged and for how long: "every
// month, 12 payments". It is "" for a one-time line.
func (u *UI) billingText(lang string, b *lineitem.Billing) string {
	if b == nil {
		return ""
	}
	every := u.text.T(lang, "buyer.every."+string(b.Frequency))
	if strings.HasPrefix(string(b.Frequency), "every ") {
		n, unit, err := b.Frequency.Period()
		if err != nil {
			return ""
		}
		every = u.text.T(lang, "buyer.every_n."+string(unit), "n", n)
	}
	var term string
	switch b.Term.Payments {
	case 0:
		term = u.text.T(lang, "buyer.term.until_cancelled")
	case 1:
		term = u.text.T(lang, "buyer.term.one")
	default:
		term = u.text.T(lang, "buyer.term.payments", "n", b.Term.Payments)
	}
	return u.text.T(lang, "buyer.recurring", "every", every, "term", term)
}
