package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// PaymentJSON is a payment as /settle/v1 shows it: amounts in minor units of its currency.
type PaymentJSON struct {
	ID             string          `json:"id"`
	Status         string          `json:"status"`
	Amount         int64           `json:"amount"`
	Currency       string          `json:"currency"`
	Fee            int64           `json:"fee"`
	Refunded       int64           `json:"refunded"`
	Net            int64           `json:"net"`
	AmountPaid     int64           `json:"amount_paid"`
	Processor      string          `json:"processor"`
	ChargeID       *string         `json:"charge_id"`
	Method         string          `json:"method"`
	CustomerEmail  string          `json:"customer_email"`
	Type           string          `json:"type"`
	InitiatedAt    time.Time       `json:"initiated_at"`
	Related        PaymentRelated  `json:"related"`
	Refunds        []RefundJSON    `json:"refunds"`
	SourceApp      string          `json:"source_app"`
	Settlement     *SettlementJSON `json:"settlement"`
	PropertiesLink string          `json:"properties_link"`
}

// SettlementJSON is what a payment is worth in the account's settlement currency.
type SettlementJSON struct {
	Currency string `json:"currency"`
	Amount   string `json:"amount"`
	Fee      string `json:"fee"`
	Net      string `json:"net"`
	Rate     string `json:"rate,omitempty"`
}

// PaymentRelated are the ids of the records a payment is associated with.
type PaymentRelated struct {
	ContactID      *string `json:"contact_id"`
	CompanyID      *string `json:"company_id"`
	DealID         *string `json:"deal_id"`
	InvoiceID      *string `json:"invoice_id"`
	SubscriptionID *string `json:"subscription_id"`
}

// RefundJSON is a refund.
type RefundJSON struct {
	ID        string     `json:"id"`
	PaymentID string     `json:"payment_id"`
	Amount    int64      `json:"amount"`
	Currency  string     `json:"currency"`
	Reason    string     `json:"reason"`
	Status    string     `json:"status" enum:"processing,succeeded,failed"`
	CreatedAt time.Time  `json:"created_at"`
	SettledAt *time.Time `json:"settled_at"`
}

// RefundCreate is the body of POST /settle/v1/payments/{id}/refunds.
type RefundCreate struct {
	Amount int64  `json:"amount"`
	Reason string `json:"reason" enum:"requested_by_customer,duplicate,fraudulent,other"`
}

// ManualPaymentCreate is the body of POST /settle/v1/invoices/{id}/manual-payments.
type ManualPaymentCreate struct {
	Amount    int64     `json:"amount"`
	Currency  string    `json:"currency"`
	Method    string    `json:"method" enum:"cash,check,wire_transfer,other"`
	PaidAt    time.Time `json:"paid_at"`
	Reference string    `json:"reference,omitempty"`
}

func (a *API) paymentRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/settle/v1/payments", Scope: auth.ScopePaymentsRead, Tag: "Payments",
			Summary: "List payments, newest first", Response: PaymentPageJSON{}, Status: 200, handle: a.listPayments},
		{Method: "POST", Path: "/settle/v1/payments", Scope: auth.ScopePaymentsWrite, Tag: "Payments",
			Summary: "Charge a buyer through the account's processor and record the payment with its contact, deal and associations",
			Request: PaymentCreate{}, Response: PaymentJSON{}, Status: 201, handle: a.createPayment},
		{Method: "GET", Path: "/settle/v1/payments/{id}", Scope: auth.ScopePaymentsRead, Tag: "Payments",
			Summary: "Read a payment", Response: PaymentJSON{}, Status: 200, handle: a.getPayment},
		{Method: "GET", Path: "/settle/v1/payments/{id}/refunds", Scope: auth.ScopePaymentsRead, Tag: "Payments",
			Summary: "List a payment's refunds", Response: list[RefundJSON]{}, Status: 200, handle: a.listRefunds},
		{Method: "POST", Path: "/settle/v1/payments/{id}/refunds", Scope: auth.ScopePaymentsRefund, Tag: "Payments",
			Summary: "Refund a payment, fully or partly", Request: RefundCreate{}, Response: RefundJSON{}, Status: 201, handle: a.createRefund},
		{Method: "GET", Path: "/settle/v1/payments/{id}/history", Scope: auth.ScopePaymentsHistory, Tag: "Payments",
			Summary: "A payment's history, newest first", Response: list[ActivityJSON]{}, Status: 200, handle: a.paymentHistory},
		{Method: "POST", Path: "/settle/v1/invoices/{id}/manual-payments", Scope: auth.ScopePaymentsWrite, Tag: "Payments",
			Summary: "Record a payment received outside Settle on an invoice", Request: ManualPaymentCreate{}, Response: PaymentJSON{},
			Status: 201, handle: a.createManualPayment},
	}
}

// PaymentPageJSON is a page of payments.
type PaymentPageJSON struct {
	Results []PaymentJSON `json:"results"`
	Paging  *PagingJSON   `json:"paging,omitempty"`
}

func (a *API) getPayment(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "payment")
	if err != nil {
		return err
	}
	pay, err := a.deps.Payments.Get(r.Context(), p.AccountID, id)
	if err != nil {
		return err
	}
	return a.writePayment(w, r, http.StatusOK, pay)
}

// writePayment answers with a payment, its related records and refunds.
func (a *API) writePayment(w http.ResponseWriter, r *http.Request, status int, pay payment.Payment) error {
	out, err := a.paymentJSON(r, pay, status != http.StatusCreated) // a payment just recorded has no refunds
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

// paymentJSON is pay with its related records and, when withRefunds is set, its refunds.
func (a *API) paymentJSON(r *http.Request, pay payment.Payment, withRefunds bool) (PaymentJSON, error) {
	out := basicPaymentJSON(pay)
	linked, err := a.deps.Payments.Related(r.Context(), pay)
	if err != nil {
		return out, err
	}
	out.Related = relatedJSON(linked)
	if !withRefunds {
		return out, nil
	}
	refunds, err := a.deps.Payments.RefundsOf(r.Context(), pay)
	for _, rf := range refunds {
		out.Refunds = append(out.Refunds, refundJSON(rf))
	}
	return out, err
}

func relatedJSON(l payment.Linked) PaymentRelated {
	return PaymentRelated{ContactID: optionalID(l.Contact), CompanyID: optionalID(l.Company), DealID: optionalID(l.Deal),
		InvoiceID: optionalID(l.Invoice), SubscriptionID: optionalID(l.Subscription)}
}

func basicPaymentJSON(pay payment.Payment) PaymentJSON {
	v := pay.Record.Values
	out := PaymentJSON{ID: formatID(pay.ID), Status: string(pay.Status), Amount: pay.Amount.Minor, Currency: pay.Amount.Currency,
		Fee: pay.Fee.Minor, Refunded: pay.Refunded.Minor, Net: pay.Amount.Minor - pay.Fee.Minor - pay.Refunded.Minor,
		AmountPaid: pay.Amount.Minor - pay.Refunded.Minor, Processor: pay.Processor, Method: pay.Method,
		CustomerEmail: pay.Email, Type: pay.Type, InitiatedAt: pay.InitiatedAt, SourceApp: v["hs_payment_source_app"],
		Refunds: []RefundJSON{}, PropertiesLink: "/crm/v3/objects/commerce_payments/" + formatID(pay.ID)}
	if pay.ChargeID != "" {
		out.ChargeID = &pay.ChargeID
	}
	if cur := v["hs_settlement_currency_code"]; cur != "" {
		out.Settlement = &SettlementJSON{Currency: cur, Amount: v["hs_initial_amount_in_settlement_currency"],
			Fee: v["hs_fees_amount_in_settlement_currency"], Net: v["hs_net_amount_in_settlement_currency"], Rate: v["hs_settlement_exchange_rate"]}
	}
	return out
}

func optionalID(id int64) *string {
	if id == 0 {
		return nil
	}
	s := formatID(id)
	return &s
}

func refundJSON(rf payment.Refund) RefundJSON {
	return RefundJSON{ID: formatID(rf.ID), PaymentID: formatID(rf.PaymentID), Amount: rf.Amount.Minor, Currency: rf.Amount.Currency,
		Reason: rf.Reason, Status: string(rf.Status), CreatedAt: rf.CreatedAt, SettledAt: rf.SettledAt}
}

func (a *API) listPayments(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	limit, after, err := listPaging(r.URL.Query(), 10, 100)
	if err != nil {
		return err
	}
	pays, next, err := a.deps.Payments.List(r.Context(), p.AccountID, limit, after)
	if err != nil {
		return err
	}
	out := PaymentPageJSON{Results: make([]PaymentJSON, len(pays))}
	for i, pay := range pays {
		out.Results[i] = basicPaymentJSON(pay)
	}
	if next != 0 {
		out.Paging = nextPage(r, strconv.FormatInt(next, 10))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) listRefunds(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "payment")
	if err != nil {
		return err
	}
	refunds, err := a.deps.Payments.Refunds(r.Context(), p.AccountID, id)
	if err != nil {
		return err
	}
	out := list[RefundJSON]{Results: []RefundJSON{}}
	for _, rf := range refunds {
		out.Results = append(out.Results, refundJSON(rf))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createRefund(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "payment")
	if err != nil {
		return err
	}
	var body RefundCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	rf, err := a.deps.Payments.Refund(r.Context(), p.AccountID, id, payment.RefundInput{Amount: body.Amount, Reason: body.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, refundJSON(rf))
	return nil
}

func (a *API) paymentHistory(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	r.SetPathValue("objectType", payment.Type)
	r.SetPathValue("objectId", r.PathValue("id"))
	return a.objectHistory(w, r, p)
}

func (a *API) createManualPayment(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	var body ManualPaymentCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	amount, err := money.New(body.Amount, body.Currency)
	if err != nil {
		return problem.Invalid("currency", "INVALID_CURRENCY", err.Error())
	}
	pay, err := a.deps.Payments.RecordManual(r.Context(), p.AccountID, id, payment.ManualInput{Amount: amount, Method: body.Method,
		PaidAt: body.PaidAt, Reference: body.Reference})
	if err != nil {
		return err
	}
	return a.writePayment(w, r, http.StatusCreated, pay)
}

// declined maps a declined card to the answer API.md gives it.
func declined(err error) (*payment.DeclinedError, bool) {
	var d *payment.DeclinedError
	return d, errors.As(err, &d)
}
