package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/invoice"
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
// Paid and Due, what was paid already and the balance left, are an invoice's; "" otherwise.
type buyerTotals struct {
	Subtotal, Discount, Tax, Total string
	Paid, Due                      string
}

// buyerOrder is what the buyer is about to pay for.
type buyerOrder struct {
	Lines  []buyerLine
	Totals buyerTotals
}

// order computes the lines and totals of items (lineitem.Compute, the checkout's own rule)
// and writes them in lang.
func (u *UI) order(items []lineitem.Item, lang string) (buyerOrder, error) {
	t, err := lineitem.Compute(items, lineitem.Discount{})
	if err != nil {
		return buyerOrder{}, err
	}
	amount, optional := buyerAmounts(t.Currency, lang)
	out := buyerOrder{Totals: buyerTotals{Subtotal: amount(t.Subtotal), Discount: optional(t.Discount), Tax: optional(t.Tax),
		Total: amount(t.Total)}}
	for i, it := range items {
		out.Lines = append(out.Lines, buyerLine{Name: it.Name, Quantity: it.Quantity, UnitPrice: amount(it.UnitPrice),
			Amount: amount(t.Lines[i].Subtotal), Discount: optional(t.Lines[i].Discount), Recurring: u.billingText(lang, it.Billing)})
	}
	return out, nil
}

// buyerInvoiceOrder writes in lang the lines and totals of an invoice as its PDF prints them:
// the invoice's own figures, computed by the invoice service.
func buyerInvoiceOrder(doc invoice.Document, lang string) buyerOrder {
	amount, optional := buyerAmounts(doc.Total.Currency, lang)
	out := buyerOrder{Totals: buyerTotals{Subtotal: amount(doc.Subtotal.Minor), Discount: optional(doc.Discount.Minor),
		Tax: optional(doc.Tax.Minor), Total: amount(doc.Total.Minor), Paid: amount(doc.AmountPaid.Minor), Due: amount(doc.BalanceDue.Minor)}}
	for _, l := range doc.Lines {
		out.Lines = append(out.Lines, buyerLine{Name: l.Description, Quantity: l.Quantity, UnitPrice: amount(l.UnitPrice.Minor),
			Amount: amount(l.UnitPrice.Minor * l.Quantity), Discount: optional(l.Discount.Minor)})
	}
	return out
}

// buyerAmounts write amounts of currency in lang: amount always, optional "" for zero.
func buyerAmounts(currency, lang string) (amount, optional func(int64) string) {
	amount = func(minor int64) string { return money.Amount{Minor: minor, Currency: currency}.Format(lang) }
	optional = func(minor int64) string {
		if minor == 0 {
			return ""
		}
		return amount(minor)
	}
	return amount, optional
}

// buyerDate writes a day as people reading lang write it, "March 27, 2026", in the words
// of the invoice PDF, so that a page and its PDF date alike.
func (u *UI) buyerDate(lang string, t time.Time) string {
	month := u.text.T(lang, fmt.Sprintf("invoice.pdf.month.%02d", int(t.Month())))
	return u.text.T(lang, "invoice.pdf.date", "day", t.Day(), "month", month, "year", t.Year())
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
