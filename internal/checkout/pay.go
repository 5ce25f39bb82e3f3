package checkout

import (
	"context"
	"database/sql"
	"net/mail"
	"strings"

	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// SourcePaymentLink is the one source a checkout takes for now; invoices and quotes follow.
const SourcePaymentLink = "payment_link"

// Input is a buyer's checkout, as they typed it (SPEC F9).
type Input struct {
	// SourceType is SourcePaymentLink; SourceID the link's slug.
	SourceType string
	SourceID   string
	Buyer      payment.Buyer
	// Quantity, when the link allows it, multiplies the quantity of every line: 3 of a
	// link selling 2 seats and 1 guide buys 6 seats and 3 guides. Nil buys the link as it
	// is; giving one to a link that does not allow it is refused.
	Quantity *int64
	Method   processor.TokenizeParams
	Billing  payment.Address
}

// Result is what a checkout did.
type Result struct {
	Payment payment.Payment
	// SubscriptionIDs are the subscriptions the recurring items started, one per group of
	// items that share a billing frequency and a term (SPEC F13).
	SubscriptionIDs []int64
	// InvoiceID is the invoice of the payment, 0 while checkouts create none.
	InvoiceID int64
}

// order is a checkout that passed every check: the link, its items as bought, their totals
// and their subscription groups.
type order struct {
	link   Link
	items  []lineitem.Item
	totals lineitem.Totals
	groups []lineitem.Group
}

// Checkout charges the buyer for a payment link and records everything in one transaction:
// the payment with its contact, deal and follow-ups (payment.Service.Charge), a CRM line
// item per line, and a subscription per group of recurring items. It refuses, before
// anything is charged or written, an unknown or inactive link, a method or quantity the link
// does not allow, a missing or malformed email and a missing billing address the link asks
// for. A declined card is a *payment.DeclinedError and writes nothing: the buyer may try
// again.
func (s *Service) Checkout(ctx context.Context, in Input) (Result, error) {
	if in.SourceType != SourcePaymentLink {
		return Result{}, problem.Invalid("source.type", "INVALID_OPTION", "The source type must be payment_link.")
	}
	link, err := s.LinkBySlug(ctx, in.SourceID)
	if err != nil {
		return Result{}, err
	}
	o, err := link.order(in)
	if err != nil {
		return Result{}, err
	}
	var out Result
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		pay, err := s.payments.Charge(ctx, link.AccountID, s.chargeInput(o, in))
		if err != nil {
			return err
		}
		out, err = s.record(ctx, tx, o, pay)
		return err
	})
	return out, err
}

// chargeInput is the payment of an order: its total after discounts, which is also the
// amount of the deal Charge creates (SPEC F12).
func (s *Service) chargeInput(o order, in Input) payment.ChargeInput {
	cur := o.totals.Currency
	return payment.ChargeInput{
		Amount: money.Amount{Minor: o.totals.Total, Currency: cur}, Discounts: money.Amount{Minor: o.totals.Discount, Currency: cur},
		Buyer: in.Buyer, Method: in.Method, Description: o.link.Name, Billing: in.Billing,
		Source: payment.Source{Type: SourcePaymentLink, ID: itoa(o.link.ID), Name: o.link.Name, URL: s.URL(o.link)},
	}
}

// order checks a checkout against the link and returns what it buys. Every problem is
// reported at once, each under the field of the checkout's JSON body.
func (l Link) order(in Input) (order, error) {
	inv := &problem.InvalidError{Summary: "The checkout cannot be paid"}
	if !l.Active {
		inv.Add("source.id", "INACTIVE_LINK", "This payment link no longer takes payments.")
	}
	checkMethod(inv, l, in.Method)
	checkEmail(inv, in.Buyer.Email)
	if l.CollectBillingAddress && (strings.TrimSpace(in.Billing.Line1) == "" || strings.TrimSpace(in.Billing.Country) == "") {
		inv.Add("billing_address", "REQUIRED", "This link asks for a billing address: at least its first line and country.")
	}
	items := l.quantityItems(inv, in.Quantity)
	if err := inv.OrNil(); err != nil {
		return order{}, err
	}
	return l.compute(items)
}

// compute totals and groups the items a buyer chose.
func (l Link) compute(items []lineitem.Item) (order, error) {
	if err := checkPayable(items); err != nil {
		return order{}, err
	}
	totals, err := lineitem.Compute(items, lineitem.Discount{})
	if err != nil {
		return order{}, err
	}
	groups, err := lineitem.Groups(items)
	return order{link: l, items: items, totals: totals, groups: groups}, err
}

// quantityItems returns the link's items multiplied by the buyer's quantity, adding to inv a
// quantity the link does not allow or that takes a line beyond lineitem.MaxQuantity.
func (l Link) quantityItems(inv *problem.InvalidError, q *int64) []lineitem.Item {
	items := append([]lineitem.Item(nil), l.Items...)
	switch {
	case q == nil:
		return items
	case !l.AllowQuantity:
		inv.Add("quantity", "QUANTITY_NOT_ALLOWED", "This link sells a fixed quantity; leave quantity out.")
		return items
	case *q < 1 || *q > lineitem.MaxQuantity:
		inv.Addf("quantity", "INVALID_RANGE", "The quantity must be from 1 to %d, not %d.", lineitem.MaxQuantity, *q)
		return items
	}
	for i := range items {
		if items[i].Quantity > lineitem.MaxQuantity / *q {
			inv.Addf("quantity", "INVALID_RANGE", "%d × %q would be more than %d units of one line.",
				*q, items[i].Name, lineitem.MaxQuantity)
			return items
		}
		items[i].Quantity *= *q
	}
	return items
}

// checkMethod refuses payment details missing or of a method the link does not allow.
func checkMethod(inv *problem.InvalidError, l Link, t processor.TokenizeParams) {
	m, ok := methodOf(t)
	switch {
	case !ok:
		inv.Add("payment_method", "REQUIRED", "Give the payment details of one method.")
	case !l.Allows(m):
		inv.Addf("payment_method.type", "METHOD_NOT_ALLOWED", "This link does not take %s; it takes %s.", m, encodeMethods(l.Methods))
	}
}

// methodOf names the method of payment details.
func methodOf(t processor.TokenizeParams) (Method, bool) {
	switch {
	case t.Card != nil:
		return MethodCard, true
	case t.ACH != nil:
		return MethodACH, true
	case t.SEPA != nil:
		return MethodSEPA, true
	case t.BACS != nil:
		return MethodBACS, true
	case t.PAD != nil:
		return MethodPAD, true
	}
	return "", false
}

// checkEmail refuses a missing email and one that is not a bare address.
func checkEmail(inv *problem.InvalidError, email string) {
	email = strings.TrimSpace(email)
	if email == "" {
		inv.Add("buyer.email", "REQUIRED", "The buyer's email is required.")
		return
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		inv.Addf("buyer.email", "INVALID_EMAIL", "%q is not an email address.", email)
	}
}
