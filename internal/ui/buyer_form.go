package ui

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// buyerFieldOrder lists the checkout form's fields in the order the page shows them, which
// is the order of the error summary. They are named as the checkout names its fields, so
// that whatever the service refuses lands on the field the buyer typed it in.
func buyerFieldOrder() []string {
	return []string{"quantity", "buyer.email", "buyer.first_name", "buyer.last_name",
		"billing_address", "billing_address.line1", "billing_address.line2", "billing_address.city",
		"billing_address.state", "billing_address.zip", "billing_address.country", "payment_method",
		"card.number", "card.exp_month", "card.exp_year", "card.cvc",
		"ach.routing_number", "ach.account_number", "ach.account_holder", "sepa.iban", "sepa.account_holder",
		"bacs.sort_code", "bacs.account_number", "bacs.account_holder",
		"pad.transit_number", "pad.institution_number", "pad.account_number", "pad.account_holder"}
}

// buyerFieldOf is the form field that shows a checkout error on field, "" when none does
// and the message belongs to the whole form.
func buyerFieldOf(field string) string {
	switch field {
	case "buyer":
		return "buyer.first_name"
	case "payment_method.type":
		return "payment_method"
	}
	if slices.Contains(buyerFieldOrder(), field) {
		return field
	}
	return ""
}

// methodFields are the fields each method's details need, all required.
func methodFields(m checkout.Method) []string {
	return map[checkout.Method][]string{
		checkout.MethodCard: {"card.number", "card.exp_month", "card.exp_year", "card.cvc"},
		checkout.MethodACH:  {"ach.routing_number", "ach.account_number", "ach.account_holder"},
		checkout.MethodSEPA: {"sepa.iban", "sepa.account_holder"},
		checkout.MethodBACS: {"bacs.sort_code", "bacs.account_number", "bacs.account_holder"},
		checkout.MethodPAD:  {"pad.transit_number", "pad.institution_number", "pad.account_number", "pad.account_holder"},
	}[m]
}

// readCheckout reads a posted checkout form as the checkout of src in lang, and the
// receipt it will lead to. What the checkout would refuse anyway is left to it; what it
// cannot be given (a quantity that is no number) and fields left empty are refused here, all
// at once, in the returned error.
func readCheckout(src paySource, v url.Values, lang string) (checkout.Input, buyerReceipt, error) {
	get := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	inv := &problem.InvalidError{Summary: "The checkout form is not complete"}
	in := checkout.Input{SourceType: src.Type, SourceID: src.ID, Buyer: payment.Buyer{
		Email: get("buyer.email"), FirstName: get("buyer.first_name"), LastName: get("buyer.last_name"), Language: lang}}
	if in.Buyer.Email == "" {
		inv.Add("buyer.email", "REQUIRED", "")
	}
	if src.Quantity {
		q, err := strconv.ParseInt(get("quantity"), 10, 64)
		if err != nil || q < 1 || q > lineitem.MaxQuantity {
			inv.Add("quantity", "INVALID_RANGE", "")
		}
		in.Quantity = &q
	}
	if src.Address {
		in.Billing = payment.Address{Line1: get("billing_address.line1"), Line2: get("billing_address.line2"),
			City: get("billing_address.city"), State: get("billing_address.state"), Zip: get("billing_address.zip"),
			Country: get("billing_address.country")}
		for _, name := range []string{"billing_address.line1", "billing_address.country"} {
			if get(name) == "" {
				inv.Add(name, "REQUIRED", "")
			}
		}
	}
	m := checkout.Method(get("method"))
	if !slices.Contains(checkout.Methods, m) {
		inv.Add("payment_method", "REQUIRED", "")
	}
	for _, name := range methodFields(m) {
		if get(name) == "" {
			inv.Add(name, "REQUIRED", "")
		}
	}
	in.Method, in.Method.AccountID = methodDetails(m, get), src.AccountID
	if m == checkout.MethodCard {
		readExpiry(inv, &in.Method, get)
	}
	return in, receiptOf(m, get), inv.OrNil()
}

// methodDetails are the payment details of method m as typed.
func methodDetails(m checkout.Method, get func(string) string) processor.TokenizeParams {
	switch m {
	case checkout.MethodCard:
		return processor.TokenizeParams{Card: &processor.CardDetails{Number: get("card.number"), CVC: get("card.cvc")}}
	case checkout.MethodACH:
		return processor.TokenizeParams{ACH: &processor.ACHDetails{RoutingNumber: get("ach.routing_number"),
			AccountNumber: get("ach.account_number"), AccountHolder: get("ach.account_holder")}}
	case checkout.MethodSEPA:
		return processor.TokenizeParams{SEPA: &processor.SEPADetails{IBAN: get("sepa.iban"), AccountHolder: get("sepa.account_holder")}}
	case checkout.MethodBACS:
		return processor.TokenizeParams{BACS: &processor.BACSDetails{SortCode: get("bacs.sort_code"),
			AccountNumber: get("bacs.account_number"), AccountHolder: get("bacs.account_holder")}}
	case checkout.MethodPAD:
		return processor.TokenizeParams{PAD: &processor.PADDetails{TransitNumber: get("pad.transit_number"),
			InstitutionNumber: get("pad.institution_number"), AccountNumber: get("pad.account_number"),
			AccountHolder: get("pad.account_holder")}}
	}
	return processor.TokenizeParams{}
}

// readExpiry reads a card's expiry month and year, refusing what is not a number.
func readExpiry(inv *problem.InvalidError, t *processor.TokenizeParams, get func(string) string) {
	for _, f := range []struct {
		name, code string
		dst        *int
	}{{"card.exp_month", "INVALID_EXPIRY", &t.Card.ExpMonth}, {"card.exp_year", "INVALID_EXPIRY_YEAR", &t.Card.ExpYear}} {
		if get(f.name) == "" {
			continue // refused as required already
		}
		n, err := strconv.Atoi(get(f.name))
		if err != nil {
			inv.Add(f.name, f.code, "")
		}
		*f.dst = n
	}
}

// receiptOf is what the receipt shows of payment details: the card's brand and the last four
// digits of the card or account number.
func receiptOf(m checkout.Method, get func(string) string) buyerReceipt {
	number := map[checkout.Method]string{checkout.MethodCard: "card.number", checkout.MethodACH: "ach.account_number",
		checkout.MethodSEPA: "sepa.iban", checkout.MethodBACS: "bacs.account_number", checkout.MethodPAD: "pad.account_number"}[m]
	digits := onlyDigits(get(number))
	rc := buyerReceipt{Method: string(m), Last4: digits[max(len(digits)-4, 0):]}
	if m == checkout.MethodCard {
		rc.Brand = cardBrand(digits)
	}
	return rc
}

// onlyDigits keeps the digits of s.
func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// cardBrand names a card's network from its first digits, as the processor does; "" when
// none is known.
func cardBrand(number string) string {
	prefix := func(lo, hi, n int) bool {
		if len(number) < n {
			return false
		}
		p, _ := strconv.Atoi(number[:n])
		return p >= lo && p <= hi
	}
	switch {
	case prefix(4, 4, 1):
		return "visa"
	case prefix(34, 34, 2), prefix(37, 37, 2):
		return "amex"
	case prefix(51, 55, 2), prefix(2221, 2720, 4):
		return "mastercard"
	case prefix(6011, 6011, 4), prefix(65, 65, 2), prefix(644, 649, 3):
		return "discover"
	}
	return ""
}

// refuseOn shows a checkout's refusal on the form in lang: each field's message next to it,
// the rest at the top. It reports false for an error that is no refusal.
func (u *UI) refuseOn(f *form, lang string, err error) bool {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return false
	}
	for _, fe := range inv.Fields {
		msg := u.buyerMessage(lang, fe.Field, fe.Code)
		if name := buyerFieldOf(fe.Field); name != "" {
			f.refuse(name, msg)
		} else if !strings.Contains(f.Message, msg) {
			f.Message = strings.TrimSpace(f.Message + " " + msg)
		}
	}
	return true
}

// buyerMessage says in lang why field was refused with code, from the most precise key:
// buyer.error.<field>.<code>, then buyer.error.<code>, then buyer.error.default.
func (u *UI) buyerMessage(lang, field, code string) string {
	for _, key := range []string{"buyer.error." + field + "." + code, "buyer.error." + code} {
		if u.text.Has(i18n.Default, key) {
			return u.text.T(lang, key, "max", lineitem.MaxQuantity)
		}
	}
	return u.text.T(lang, "buyer.error.default")
}

// declineMessage says in lang why a card was declined.
func (u *UI) declineMessage(lang, code string) string {
	if key := "buyer.decline." + code; u.text.Has(i18n.Default, key) {
		return u.text.T(lang, key)
	}
	return u.text.T(lang, "buyer.decline.default")
}
