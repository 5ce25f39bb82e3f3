package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestIntegrationPaymentThroughTheCRMAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var id string
		a.Run(t, []apptest.Scenario{
			{Name: "record a QuickBooks payment", Method: "POST", URL: "/crm/v3/objects/commerce_payments", ExpectedStatus: 201,
				Body: `{"properties":{"hs_initial_amount":"250.00","hs_initiated_date":"2026-11-20T10:00:00Z","hs_processor_type":"quickbooks",
					"hs_latest_status":"succeeded","hs_customer_email":"books@example.com","hs_fees_amount":"5"}}`,
				ExpectedContent: []string{`"hs_net_amount":"245"`, `"hs_currency_code":"USD"`}, Check: idOf(&id)},
			{Name: "an unknown currency is refused", Method: "POST", URL: "/crm/v3/objects/commerce_payments", ExpectedStatus: 400,
				Body:            `{"properties":{"hs_initial_amount":"1","hs_initiated_date":"2026-11-20","hs_currency_code":"XYZ"}}`,
				ExpectedContent: []string{`"in":"hs_currency_code"`}},
			{Name: "an amount and a date are required", Method: "POST", URL: "/crm/v3/objects/commerce_payments", ExpectedStatus: 400,
				Body: `{"properties":{"hs_customer_email":"x@example.com"}}`, ExpectedContent: []string{`"in":"hs_initial_amount"`, `"in":"hs_initiated_date"`}},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "its contact was created", Method: "GET", URL: "/settle/v1/payments/" + id, ExpectedStatus: 200,
				ExpectedContent: []string{`"processor":"quickbooks"`, `"contact_id":"`, `"status":"succeeded"`}},
			{Name: "a refund is recorded, not sent", Method: "POST", URL: "/settle/v1/payments/" + id + "/refunds",
				Body: `{"amount":5000,"reason":"requested_by_customer"}`, ExpectedStatus: 201, ExpectedContent: []string{`"status":"succeeded"`}},
			{Name: "partially refunded", Method: "GET", URL: "/settle/v1/payments/" + id, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"partially_refunded"`, `"refunded":5000`, `"net":19500`}},
			{Name: "its status moves only legally", Method: "PATCH", URL: "/crm/v3/objects/commerce_payments/" + id,
				Body: `{"properties":{"hs_latest_status":"processing"}}`, ExpectedStatus: 400, ExpectedContent: []string{"INVALID_TRANSITION"}},
			{Name: "its comment can change", Method: "PATCH", URL: "/crm/v3/objects/commerce_payments/" + id,
				Body: `{"properties":{"hs_internal_comment":"reconciled"}}`, ExpectedStatus: 200},
		})
		var n int64
		_ = json.Unmarshal([]byte(id), &n)
		waitFollowups(t, a, id, "payment_workflows:payment.succeeded", "payment_webhooks:payment.refunded")
		got, _ := a.Payments.Followups(context.Background(), a.Account.ID, n)
		for _, f := range got {
			if f == "payment_receipt:payment.succeeded" || f == "payment_notify:payment.succeeded" {
				t.Errorf("an integration payment sent %s (SPEC F4 says none)", f)
			}
		}
	})
}

func TestManualPaymentsOnAnInvoice(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		contact, err := a.CRM.Create(ctx, a.Account.ID, "contacts", crm.Input{Properties: map[string]string{"email": "client@example.com"}}, crm.Source{Type: "API"})
		if err != nil {
			t.Fatal(err)
		}
		inv, err := a.CRM.Create(ctx, a.Account.ID, "invoices", crm.Input{System: true, Properties: map[string]string{
			"hs_currency": "USD", "hs_amount_billed": "100", "hs_invoice_status": "open"}}, crm.Source{Type: "API"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CRM.Associate(ctx, a.Account.ID, "invoices", inv.IDString(), "contacts", contact.IDString(), nil, crm.Source{Type: "API"}); err != nil {
			t.Fatal(err)
		}
		url := "/settle/v1/invoices/" + inv.IDString() + "/manual-payments"
		a.Run(t, []apptest.Scenario{
			{Name: "a cheque for part", Method: "POST", URL: url, ExpectedStatus: 201,
				Body:            `{"amount":6000,"currency":"USD","method":"check","paid_at":"2026-11-20T10:00:00Z","reference":"CHQ-1"}`,
				ExpectedContent: []string{`"processor":"none"`, `"method":"check"`, `"fee":0`, `"contact_id":"` + contact.IDString() + `"`, `"invoice_id":"` + inv.IDString() + `"`}},
			{Name: "the invoice is still open", Method: "GET", URL: "/crm/v3/objects/invoices/" + inv.IDString() + "?properties=hs_invoice_status,hs_amount_paid,hs_balance_due",
				ExpectedStatus: 200, ExpectedContent: []string{`"hs_invoice_status":"open"`, `"hs_amount_paid":"60"`, `"hs_balance_due":"40"`}},
			{Name: "a wire for the rest", Method: "POST", URL: url, ExpectedStatus: 201,
				Body: `{"amount":4000,"currency":"USD","method":"wire_transfer","paid_at":"2026-11-21T10:00:00Z"}`},
			{Name: "paid", Method: "GET", URL: "/crm/v3/objects/invoices/" + inv.IDString() + "?properties=hs_invoice_status",
				ExpectedStatus: 200, ExpectedContent: []string{`"hs_invoice_status":"paid"`}},
			{Name: "a paid invoice takes no more", Method: "POST", URL: url, ExpectedStatus: 400, ExpectedContent: []string{"INVOICE_NOT_PAYABLE"},
				Body: `{"amount":100,"currency":"USD","method":"cash","paid_at":"2026-11-22T10:00:00Z"}`},
			{Name: "bad method and currency", Method: "POST", URL: url, ExpectedStatus: 400,
				Body: `{"amount":100,"currency":"EUR","method":"bitcoin","paid_at":"2026-11-22T10:00:00Z"}`},
		})
	})
}

// TestPaymentPermissions: viewing payment history and refunding need "manage payments and
// subscriptions" or super admin (SPEC F41), in the API.
func TestPaymentPermissions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, viewer := a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		_, manager := a.UserWith(t, "manager@acme.test", auth.PermManagePayments)
		var id string
		a.Run(t, []apptest.Scenario{{Name: "a payment", Method: "POST", URL: "/settle/v1/payments", Body: sprintf(cardPayment, "p@example.com"),
			ExpectedStatus: 201, Check: payID(&id)}})
		a.Run(t, []apptest.Scenario{
			{Name: "a viewer sees the payment", Method: "GET", URL: "/settle/v1/payments/" + id, Token: viewer, ExpectedStatus: 200},
			{Name: "but not its history", Method: "GET", URL: "/settle/v1/payments/" + id + "/history", Token: viewer, ExpectedStatus: 403,
				ExpectedContent: []string{"settle.payments.history.read"}},
			{Name: "not through the objects API either", Method: "GET", URL: "/settle/v1/objects/commerce_payments/" + id + "/history", Token: viewer, ExpectedStatus: 403},
			{Name: "and cannot refund", Method: "POST", URL: "/settle/v1/payments/" + id + "/refunds", Token: viewer,
				Body: `{"amount":100,"reason":"other"}`, ExpectedStatus: 403},
			{Name: "a manager sees the history", Method: "GET", URL: "/settle/v1/payments/" + id + "/history", Token: manager, ExpectedStatus: 200,
				ExpectedContent: []string{`"kind":"payment.succeeded"`}},
			{Name: "and refunds", Method: "POST", URL: "/settle/v1/payments/" + id + "/refunds", Token: manager,
				Body: `{"amount":100,"reason":"other"}`, ExpectedStatus: 201},
			{Name: "the viewer's refund wrote nothing", Method: "GET", URL: "/settle/v1/payments/" + id + "/refunds", Token: viewer, ExpectedStatus: 200,
				Check: func(t *testing.T, _ *http.Response, body []byte) {
					var l struct{ Results []any }
					_ = json.Unmarshal(body, &l)
					if len(l.Results) != 1 {
						t.Fatalf("%d refunds, want only the manager's", len(l.Results))
					}
				}},
		})
	})
}

// TestPaymentsOfAKnownBuyerGoToTheirCompany: a payment of a buyer whose contact has a
// primary company is associated with that company too, whether Settle charged it or an
// integration recorded it; a new buyer's payment has no company.
func TestPaymentsOfAKnownBuyerGoToTheirCompany(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var acme, recorded, charged, stranger string
		a.Run(t, []apptest.Scenario{
			{Name: "a company", Method: "POST", URL: "/crm/v3/objects/companies", ExpectedStatus: 201,
				Body: `{"properties":{"name":"Acme"}}`, Check: idOf(&acme)},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "its contact, primary", Method: "POST", URL: "/crm/v3/objects/contacts", ExpectedStatus: 201,
				Body: `{"properties":{"email":"ada@acme.test"},"associations":[
					{"to":{"id":"` + acme + `"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]}]}`},
			{Name: "an integration records her payment", Method: "POST", URL: "/crm/v3/objects/commerce_payments", ExpectedStatus: 201,
				Body: `{"properties":{"hs_initial_amount":"80","hs_initiated_date":"2026-11-20T10:00:00Z","hs_processor_type":"xero",
					"hs_latest_status":"succeeded","hs_customer_email":"ADA@acme.test"}}`, Check: idOf(&recorded)},
			{Name: "Settle charges her", Method: "POST", URL: "/settle/v1/payments", ExpectedStatus: 201,
				Body:  `{"amount":4000,"currency":"USD","buyer":{"email":"ada@acme.test"},"payment_method":` + card("4242424242424242") + `}`,
				Check: idOf(&charged)},
			{Name: "a new buyer's payment", Method: "POST", URL: "/crm/v3/objects/commerce_payments", ExpectedStatus: 201,
				Body: `{"properties":{"hs_initial_amount":"5","hs_initiated_date":"2026-11-20T10:00:00Z","hs_processor_type":"xero",
					"hs_latest_status":"succeeded","hs_customer_email":"someone@else.test"}}`, Check: idOf(&stranger)},
		})
		for _, id := range []string{recorded, charged} {
			_, body := a.Do(t, "GET", "/crm/v4/objects/commerce_payments/"+id+"/associations/companies", "", "", nil)
			if !strings.Contains(string(body), `"toObjectId":"`+acme+`"`) {
				t.Errorf("payment %s's companies: %s", id, body)
			}
		}
		_, body := a.Do(t, "GET", "/crm/v4/objects/commerce_payments/"+stranger+"/associations/companies", "", "", nil)
		if !strings.Contains(string(body), `"results":[]`) {
			t.Errorf("a new buyer's payment has companies: %s", body)
		}
	})
}

// TestRecordedPaymentAnswersAsStored: the answer to a payment recorded through the CRM API
// shows it as a read of it does, whether the request associated it or Settle found its
// buyer; and a payment recorded with its contact is given no other.
func TestRecordedPaymentAnswersAsStored(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var contact string
		a.Run(t, []apptest.Scenario{{Name: "a contact", Method: "POST", URL: "/crm/v3/objects/contacts", ExpectedStatus: 201,
			Body: `{"properties":{"email":"known@example.com"}}`, Check: idOf(&contact)}})
		const props = `"hs_initial_amount":"80.5","hs_initiated_date":"2026-11-20T10:00:00Z","hs_processor_type":"xero","hs_latest_status":"succeeded"`
		withContact := recordAndCompare(t, a, `{"properties":{`+props+`,"hs_customer_email":"other@example.com"},
			"associations":[{"to":{"id":"`+contact+`"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":387}]}]}`)
		recordAndCompare(t, a, `{"properties":{`+props+`,"hs_customer_email":"new@example.com"}}`)

		_, body := a.Do(t, "GET", "/crm/v4/objects/commerce_payments/"+withContact+"/associations/contacts", "", "", nil)
		var linked struct{ Results []struct{ ToObjectID string } }
		if err := json.Unmarshal(body, &linked); err != nil || len(linked.Results) != 1 || linked.Results[0].ToObjectID != contact {
			t.Errorf("contacts of a payment recorded with contact %s: %s", contact, body)
		}
		res, body := a.Do(t, "GET", "/crm/v3/objects/contacts/other@example.com?idProperty=email", "", "", nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("a payment recorded with its contact created another: %d %s", res.StatusCode, body)
		}
	})
}

// recordAndCompare records a payment with body, checks that the answer's properties are
// those a read of the payment shows, and returns its id.
func recordAndCompare(t *testing.T, a *apptest.App, body string) string {
	t.Helper()
	res, created := a.Do(t, "POST", "/crm/v3/objects/commerce_payments", "", body, nil)
	var posted struct {
		ID         string
		Properties map[string]*string
	}
	if err := json.Unmarshal(created, &posted); res.StatusCode != http.StatusCreated || err != nil || len(posted.Properties) < 10 {
		t.Fatalf("record: %d %s", res.StatusCode, created)
	}
	names := make([]string, 0, len(posted.Properties))
	for n := range posted.Properties {
		names = append(names, n)
	}
	_, read := a.Do(t, "GET", "/crm/v3/objects/commerce_payments/"+posted.ID+"?properties="+strings.Join(names, ","), "", "", nil)
	var got struct{ Properties map[string]*string }
	if err := json.Unmarshal(read, &got); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if want, have := deref(posted.Properties[n]), deref(got.Properties[n]); want != have {
			t.Errorf("payment %s's %s: answered %q on create, %q when read", posted.ID, n, want, have)
		}
	}
	return posted.ID
}

func deref(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}
