package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// CheckoutCreate is the body of POST /settle/v1/checkout: what a buyer pays for (a payment
// link named by its slug, an open invoice or a published quote named by its public token),
// who they are as they typed it, how many when a link lets them choose (it multiplies every
// line's quantity; invoices and quotes take none), and how they pay.
type CheckoutCreate struct {
	Source         CheckoutSourceJSON `json:"source"`
	Buyer          BuyerJSON          `json:"buyer"`
	Quantity       *int64             `json:"quantity,omitempty"`
	PaymentMethod  PaymentMethodJSON  `json:"payment_method"`
	BillingAddress *AddressJSON       `json:"billing_address,omitempty"`
}

// CheckoutSourceJSON names what a checkout pays: for a payment link, its slug; for an
// invoice or a quote, the token of its public URL.
type CheckoutSourceJSON struct {
	Type string `json:"type" enum:"payment_link,invoice,quote"`
	ID   string `json:"id"`
}

// CheckoutJSON is what a checkout did: the payment, the subscriptions its recurring items
// started, and its invoice and receipt once Settle makes them (null until then).
type CheckoutJSON struct {
	PaymentID       string   `json:"payment_id"`
	Status          string   `json:"status"`
	SubscriptionIDs []string `json:"subscription_ids"`
	InvoiceID       *string  `json:"invoice_id"`
	ReceiptURL      *string  `json:"receipt_url"`
}

func (a *API) checkoutRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/settle/v1/checkout", Access: Buyer, Tag: "Checkout",
			Summary: "Pay for a payment link, an invoice or a quote as a buyer; needs no token, the source's slug or token names the account",
			Request: CheckoutCreate{}, Response: CheckoutJSON{}, Status: 200, handle: a.checkout, payer: a.checkoutPayer},
	}
}

// checkoutPayer finds the account a checkout pays: the one its payment link, invoice or
// quote belongs to. The body is read and put back for the handler.
func (a *API) checkoutPayer(r *http.Request) (auth.Principal, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return auth.Principal{}, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var head struct {
		Source struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"source"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return auth.Principal{}, decodeError(err)
	}
	if head.Source.ID == "" {
		return auth.Principal{}, problem.Invalid("source.id", "REQUIRED", "Name the payment link's slug, or the invoice's or quote's token, in source.id.")
	}
	acct, ok, err := a.deps.Checkout.Payee(r.Context(), head.Source.Type, head.Source.ID)
	if err != nil {
		return auth.Principal{}, err
	}
	if !ok {
		return auth.Principal{}, problem.Invalid("source.type", "INVALID_OPTION", "The source type must be payment_link, invoice or quote.")
	}
	return auth.Principal{AccountID: acct}, nil
}

func (a *API) checkout(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	var body CheckoutCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	method, _ := body.PaymentMethod.tokenize() // missing details are refused by the checkout with the rest
	in := checkout.Input{SourceType: body.Source.Type, SourceID: body.Source.ID, Quantity: body.Quantity, Method: method,
		Buyer: payment.Buyer{Email: body.Buyer.Email, FirstName: body.Buyer.FirstName, LastName: body.Buyer.LastName, Language: body.Buyer.Language}}
	if b := body.BillingAddress; b != nil {
		in.Billing = payment.Address{Line1: b.Line1, Line2: b.Line2, City: b.City, State: b.State, Zip: b.Zip, Country: b.Country}
	}
	res, err := a.deps.Checkout.Checkout(r.Context(), in)
	if err != nil {
		return err
	}
	out := CheckoutJSON{PaymentID: formatID(res.Payment.ID), Status: string(res.Payment.Status),
		SubscriptionIDs: make([]string, len(res.SubscriptionIDs)), InvoiceID: optionalID(res.InvoiceID)}
	for i, id := range res.SubscriptionIDs {
		out.SubscriptionIDs[i] = formatID(id)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
