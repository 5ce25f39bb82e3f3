package checkout

import (
	"context"
	"database/sql"
	"net/mail"
	"slices"
	"strings"

	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// The sources a checkout pays.
const (
	// SourcePaymentLink is a payment link, named by its slug.
	SourcePaymentLink = "payment_link"
	// SourceInvoice is an open invoice, named by its public token: the checkout pays its
	// balance due.
	SourceInvoice = "invoice"
	// SourceQuote is a published quote, named by its public token: the checkout accepts and
	// pays it in one step.
	SourceQuote = "quote"
)

// Input is a buyer's checkout, as they typed it (SPEC F9).
type Input struct {
	// SourceType is SourcePaymentLink, SourceInvoice or SourceQuote; SourceID the link's
	// slug or the invoice's or quote's public token.
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
	// InvoiceID is the invoice the checkout paid; 0 for links and quotes, whose invoice,
	// when the account creates them (SPEC F7), is made afterwards as a follow-up.
	InvoiceID int64
	// linked is what the charge associated the payment with.
	linked payment.Linked
}

// order is a checkout that passed every check: the account paid, what the payment is made
// through, the items as bought, their totals and their subscription groups. linkID or
// quoteID names the link or quote whose subscriptions it starts.
type order struct {
	accountID       int64
	source          payment.Source
	linkID, quoteID int64
	items           []lineitem.Item
	totals          lineitem.Totals
	groups          []lineitem.Group
}

// Checkout charges the buyer for a payment link and records everything in one transaction:
// the payment with its contact, deal and follow-ups (payment.Service.Charge), a CRM line
// item per line, and a subscription per group of recurring items. It refuses, before
// anything is charged or written, an unknown or inactive link, a method or quantity the link
// does not allow, a missing or malformed email and a missing billing address the link asks
// for. A declined card is a *payment.DeclinedError and writes nothing: the buyer may try
// again.
//
// An invoice or a quote source follows its own rules: see payInvoice and payQuote.
func (s *Service) Checkout(ctx context.Context, in Input) (Result, error) {
	switch in.SourceType {
	case SourceInvoice:
		return s.payInvoice(ctx, in)
	case SourceQuote:
		return s.payQuote(ctx, in)
	case SourcePaymentLink:
	default:
		return Result{}, problem.Invalid("source.type", "INVALID_OPTION", "The source type must be payment_link, invoice or quote.")
	}
	link, err := s.LinkBySlug(ctx, in.SourceID)
	if err != nil {
		return Result{}, err
	}
	o, err := link.order(in)
	if err != nil {
		return Result{}, err
	}
	o.source.URL = s.URL(link)
	var out Result
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		out, err = s.chargeOrder(ctx, tx, o, in)
		return err
	})
	return out, err
}

// chargeOrder charges an order in tx and records what it leaves.
func (s *Service) chargeOrder(ctx context.Context, tx *sql.Tx, o order, in Input) (Result, error) {
	pay, linked, err := s.payments.ChargeLinked(ctx, o.accountID, chargeInput(o, in))
	if err != nil {
		return Result{}, err
	}
	return s.record(ctx, tx, o, pay, linked)
}

// chargeInput is the payment of an order: its total after discounts, which is also the
// amount of the deal Charge creates (SPEC F12).
func chargeInput(o order, in Input) payment.ChargeInput {
	cur := o.totals.Currency
	return payment.ChargeInput{
		Amount: money.Amount{Minor: o.totals.Total, Currency: cur}, Discounts: money.Amount{Minor: o.totals.Discount, Currency: cur},
		Buyer: in.Buyer, Method: in.Method, Description: o.source.Name, Billing: in.Billing, Source: o.source,
	}
}

// order checks a checkout against the link and returns what it buys. Every problem is
// reported at once, each under the field of the checkout's JSON body.
func (l Link) order(in Input) (order, error) {
	inv := &problem.InvalidError{Summary: "The checkout cannot be paid"}
	if !l.Active {
		inv.Add("source.id", "INACTIVE_LINK", "This payment link no longer takes payments.")
	}
	checkMethod(inv, "link", l.Methods, in.Method)
	checkEmail(inv, in.Buyer.Email)
	if l.CollectBillingAddress && (strings.TrimSpace(in.Billing.Line1) == "" || strings.TrimSpace(in.Billing.Country) == "") {
		inv.Add("billing_address", "REQUIRED", "This link asks for a billing address: at least its first line and country.")
	}
	items := l.quantityItems(inv, in.Quantity)
	if err := inv.OrNil(); err != nil {
		return order{}, err
	}
	o := order{accountID: l.AccountID, linkID: l.ID,
		source: payment.Source{Type: SourcePaymentLink, ID: itoa(l.ID), Name: l.Name}}
	return o, o.compute(items)
}

// compute totals and groups the items a buyer chose.
func (o *order) compute(items []lineitem.Item) error {
	if err := checkPayable(items); err != nil {
		return err
	}
	totals, err := lineitem.Compute(items, lineitem.Discount{})
	if err != nil {
		return err
	}
	o.items, o.totals = items, totals
	o.groups, err = lineitem.Groups(items)
	return err
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

// checkMethod refuses payment details missing or of a method the source (a "link", an
// "invoice", a "quote") does not allow.
func checkMethod(inv *problem.InvalidError, what string, allowed []Method, t processor.TokenizeParams) {
	m, ok := methodOf(t)
	switch {
	case !ok:
		inv.Add("payment_method", "REQUIRED", "Give the payment details of one method.")
	case !slices.Contains(allowed, m):
		inv.Addf("payment_method.type", "METHOD_NOT_ALLOWED", "This %s does not take %s; it takes %s.", what, m, encodeMethods(allowed))
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
