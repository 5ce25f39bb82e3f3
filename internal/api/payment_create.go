package api

import (
	"net/http"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// PaymentCreate is the body of POST /settle/v1/payments: an amount in minor units, the buyer
// as they typed it, their payment details and where the payment comes from.
type PaymentCreate struct {
	Amount         int64             `json:"amount"`
	Currency       string            `json:"currency"`
	Buyer          BuyerJSON         `json:"buyer"`
	PaymentMethod  PaymentMethodJSON `json:"payment_method"`
	Description    string            `json:"description,omitempty"`
	Source         *SourceJSON       `json:"source,omitempty"`
	BillingAddress *AddressJSON      `json:"billing_address,omitempty"`
	Recurring      bool              `json:"recurring,omitempty"`
	Discounts      int64             `json:"discounts,omitempty"`
	InvoiceID      string            `json:"invoice_id,omitempty"`
	SubscriptionID string            `json:"subscription_id,omitempty"`
}

// BuyerJSON is who pays.
type BuyerJSON struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Language  string `json:"language,omitempty"`
}

// SourceJSON is what a payment was made through.
type SourceJSON struct {
	Type string `json:"type" enum:"payment_link,quote,invoice,subscription,api"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

// AddressJSON is a billing address.
type AddressJSON struct {
	Line1   string `json:"line1,omitempty"`
	Line2   string `json:"line2,omitempty"`
	City    string `json:"city,omitempty"`
	State   string `json:"state,omitempty"`
	Zip     string `json:"postal_code,omitempty"`
	Country string `json:"country,omitempty"`
}

// PaymentMethodJSON is one set of payment details, named by type.
type PaymentMethodJSON struct {
	Type string    `json:"type" enum:"card,ach,sepa,bacs,pad"`
	Card *CardJSON `json:"card,omitempty"`
	ACH  *ACHJSON  `json:"ach,omitempty"`
	SEPA *SEPAJSON `json:"sepa,omitempty"`
	BACS *BACSJSON `json:"bacs,omitempty"`
	PAD  *PADJSON  `json:"pad,omitempty"`
}

// CardJSON is a card as typed; it goes to the processor and is never stored.
type CardJSON struct {
	Number   string `json:"number"`
	ExpMonth int    `json:"exp_month"`
	ExpYear  int    `json:"exp_year"`
	CVC      string `json:"cvc"`
}

// ACHJSON is a US bank account.
type ACHJSON struct {
	RoutingNumber string `json:"routing_number"`
	AccountNumber string `json:"account_number"`
	AccountHolder string `json:"account_holder"`
}

// SEPAJSON is a bank account in the SEPA area.
type SEPAJSON struct {
	IBAN          string `json:"iban"`
	AccountHolder string `json:"account_holder"`
}

// BACSJSON is a UK bank account.
type BACSJSON struct {
	SortCode      string `json:"sort_code"`
	AccountNumber string `json:"account_number"`
	AccountHolder string `json:"account_holder"`
}

// PADJSON is a Canadian bank account.
type PADJSON struct {
	TransitNumber     string `json:"transit_number"`
	InstitutionNumber string `json:"institution_number"`
	AccountNumber     string `json:"account_number"`
	AccountHolder     string `json:"account_holder"`
}

// tokenize turns the payment details into what the processor takes, checking that the
// details of the named type are there.
func (m PaymentMethodJSON) tokenize() (processor.TokenizeParams, error) {
	var t processor.TokenizeParams
	switch {
	case m.Type == "card" && m.Card != nil:
		t.Card = &processor.CardDetails{Number: m.Card.Number, ExpMonth: m.Card.ExpMonth, ExpYear: m.Card.ExpYear, CVC: m.Card.CVC}
	case m.Type == "ach" && m.ACH != nil:
		t.ACH = &processor.ACHDetails{RoutingNumber: m.ACH.RoutingNumber, AccountNumber: m.ACH.AccountNumber, AccountHolder: m.ACH.AccountHolder}
	case m.Type == "sepa" && m.SEPA != nil:
		t.SEPA = &processor.SEPADetails{IBAN: m.SEPA.IBAN, AccountHolder: m.SEPA.AccountHolder}
	case m.Type == "bacs" && m.BACS != nil:
		t.BACS = &processor.BACSDetails{SortCode: m.BACS.SortCode, AccountNumber: m.BACS.AccountNumber, AccountHolder: m.BACS.AccountHolder}
	case m.Type == "pad" && m.PAD != nil:
		t.PAD = &processor.PADDetails{TransitNumber: m.PAD.TransitNumber, InstitutionNumber: m.PAD.InstitutionNumber,
			AccountNumber: m.PAD.AccountNumber, AccountHolder: m.PAD.AccountHolder}
	default:
		return t, problem.Invalid("payment_method", "INVALID_PAYMENT_METHOD",
			"payment_method needs a type (card, ach, sepa, bacs or pad) and the details under that name.")
	}
	return t, nil
}

func (b PaymentCreate) input() (payment.ChargeInput, error) {
	amount, err := money.New(b.Amount, b.Currency)
	if err != nil {
		return payment.ChargeInput{}, problem.Invalid("currency", "INVALID_CURRENCY", err.Error())
	}
	method, err := b.PaymentMethod.tokenize()
	if err != nil {
		return payment.ChargeInput{}, err
	}
	in := payment.ChargeInput{Amount: amount, Method: method, Description: b.Description, Recurring: b.Recurring,
		Buyer:     payment.Buyer{Email: b.Buyer.Email, FirstName: b.Buyer.FirstName, LastName: b.Buyer.LastName, Language: b.Buyer.Language},
		Discounts: money.Amount{Minor: b.Discounts, Currency: amount.Currency}}
	if b.Source != nil {
		in.Source = payment.Source{Type: b.Source.Type, ID: b.Source.ID, Name: b.Source.Name, URL: b.Source.URL}
	}
	if a := b.BillingAddress; a != nil {
		in.Billing = payment.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, Zip: a.Zip, Country: a.Country}
	}
	in.InvoiceID, _ = strconv.ParseInt(b.InvoiceID, 10, 64)
	in.SubscriptionID, _ = strconv.ParseInt(b.SubscriptionID, 10, 64)
	return in, nil
}

func (a *API) createPayment(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body PaymentCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	in, err := body.input()
	if err != nil {
		return err
	}
	pay, linked, err := a.deps.Payments.ChargeLinked(r.Context(), p.AccountID, in)
	if err != nil {
		return err
	}
	out := basicPaymentJSON(pay) // a payment just made has no refunds
	out.Related = relatedJSON(linked)
	writeJSON(w, http.StatusCreated, out)
	return nil
}
