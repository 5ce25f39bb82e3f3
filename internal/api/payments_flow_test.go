package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

const achPayment = `{"amount":20000,"currency":"USD","buyer":{"email":"%s"},
	"payment_method":{"type":"ach","ach":{"routing_number":"110000000","account_number":"%s","account_holder":"Jane Buyer"}}}`

// payID reads the id of a payment answer into *dst.
func payID(dst *string) func(*testing.T, *http.Response, []byte) {
	return func(t *testing.T, _ *http.Response, body []byte) {
		var p struct{ ID string }
		if err := json.Unmarshal(body, &p); err != nil || p.ID == "" {
			t.Fatalf("no payment id in %s", body)
		}
		*dst = p.ID
	}
}

func TestBankDebitsSettleFailAndRefund(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var good, bad, disputed string
		a.Run(t, []apptest.Scenario{
			{Name: "an ACH debit is processing", Method: "POST", URL: "/settle/v1/payments", Body: sprintf(achPayment, "good@example.com", "000123456789"),
				ExpectedStatus: 201, ExpectedContent: []string{`"status":"processing"`, `"method":"ach"`}, Check: payID(&good)},
			{Name: "so is one that will fail", Method: "POST", URL: "/settle/v1/payments", Body: sprintf(achPayment, "bad@example.com", "000111111116"),
				ExpectedStatus: 201, ExpectedContent: []string{`"status":"processing"`}, Check: payID(&bad)},
			{Name: "a dispute card succeeds", Method: "POST", URL: "/settle/v1/payments",
				Body:           `{"amount":5000,"currency":"USD","buyer":{"email":"fraud@example.com"},"payment_method":{"type":"card","card":{"number":"4000000000000259","exp_month":1,"exp_year":2040,"cvc":"123"}}}`,
				ExpectedStatus: 201, ExpectedContent: []string{`"status":"succeeded"`}, Check: payID(&disputed)},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "a processing payment cannot be refunded", Method: "POST", URL: "/settle/v1/payments/" + good + "/refunds",
				Body: `{"amount":100,"reason":"other"}`, ExpectedStatus: 400, ExpectedContent: []string{"NOT_REFUNDABLE"}},
			{Name: "two weeks pass", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"336h"}`, ExpectedStatus: 200},
			{Name: "the good debit settled", Method: "GET", URL: "/settle/v1/payments/" + good, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"succeeded"`, `"fee":160`}},
			{Name: "the bad one failed", Method: "GET", URL: "/settle/v1/payments/" + bad, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"failed"`}},
			{Name: "a failed payment cannot be refunded", Method: "POST", URL: "/settle/v1/payments/" + bad + "/refunds",
				Body: `{"amount":100,"reason":"other"}`, ExpectedStatus: 400, ExpectedContent: []string{"NOT_REFUNDABLE"}},
			{Name: "the dispute opened", Method: "GET", URL: "/crm/v3/objects/commerce_payments/" + disputed + "?properties=hs_latest_status,hs_dispute_reason,hs_dispute_amount",
				ExpectedStatus: 200, ExpectedContent: []string{`"hs_latest_status":"disputed_action_required"`, `"hs_dispute_reason":"fraudulent"`, `"hs_dispute_amount":"50"`}},
			{Name: "a disputed payment cannot be refunded", Method: "POST", URL: "/settle/v1/payments/" + disputed + "/refunds",
				Body: `{"amount":100,"reason":"other"}`, ExpectedStatus: 400},
			{Name: "a bank refund processes", Method: "POST", URL: "/settle/v1/payments/" + good + "/refunds",
				Body: `{"amount":20000,"reason":"duplicate"}`, ExpectedStatus: 201, ExpectedContent: []string{`"status":"processing"`}},
			{Name: "refund processing", Method: "GET", URL: "/settle/v1/payments/" + good, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"processing_refund"`, `"refunded":0`}},
			{Name: "nothing more can be refunded meanwhile", Method: "POST", URL: "/settle/v1/payments/" + good + "/refunds",
				Body: `{"amount":1,"reason":"other"}`, ExpectedStatus: 400},
			{Name: "ten days pass", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"240h"}`, ExpectedStatus: 200},
			{Name: "the refund went through", Method: "GET", URL: "/settle/v1/payments/" + good, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"refunded"`, `"refunded":20000`, `"status":"succeeded"`}},
		})
		waitFollowups(t, a, good, "payment_workflows:payment.processing", "payment_receipt:payment.succeeded", "payment_webhooks:payment.refunded")
		waitFollowups(t, a, bad, "payment_workflows:payment.failed")
		waitFollowups(t, a, disputed, "payment_webhooks:dispute.opened")
	})
}

func TestDeclinedCardRecordsNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.Run(t, []apptest.Scenario{
			{Name: "declined", Method: "POST", URL: "/settle/v1/payments", ExpectedStatus: 402,
				Body:            `{"amount":5000,"currency":"USD","buyer":{"email":"broke@example.com"},"payment_method":{"type":"card","card":{"number":"4000000000009995","exp_month":1,"exp_year":2040,"cvc":"123"}}}`,
				ExpectedContent: []string{`"category":"CARD_DECLINED"`, `"decline_code":"insufficient_funds"`}},
			{Name: "no contact", Method: "POST", URL: "/crm/v3/objects/contacts/search",
				Body:           `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"broke@example.com"}]}]}`,
				ExpectedStatus: 200, ExpectedContent: []string{`"total":0`}},
			{Name: "no payment", Method: "GET", URL: "/settle/v1/payments", ExpectedStatus: 200, ExpectedContent: []string{`"results":[]`}},
		})
	})
}

func TestPaymentBadInputWritesNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var id string
		a.Run(t, []apptest.Scenario{{Name: "a payment", Method: "POST", URL: "/settle/v1/payments", Body: sprintf(cardPayment, "x@example.com"),
			ExpectedStatus: 201, Check: payID(&id)}})
		refunds := "/settle/v1/payments/" + id + "/refunds"
		a.Run(t, []apptest.Scenario{
			{Name: "refund of 0", Method: "POST", URL: refunds, Body: `{"amount":0,"reason":"other"}`, ExpectedStatus: 400, ExpectedContent: []string{"INVALID_AMOUNT"}},
			{Name: "negative refund", Method: "POST", URL: refunds, Body: `{"amount":-5,"reason":"other"}`, ExpectedStatus: 400, ExpectedContent: []string{"INVALID_AMOUNT"}},
			{Name: "unknown reason", Method: "POST", URL: refunds, Body: `{"amount":5,"reason":"bored"}`, ExpectedStatus: 400, ExpectedContent: []string{`"in":"reason"`}},
			{Name: "more than the payment", Method: "POST", URL: refunds, Body: `{"amount":10001,"reason":"other"}`, ExpectedStatus: 400},
			{Name: "a payment that does not exist", Method: "POST", URL: "/settle/v1/payments/999999/refunds", Body: `{"amount":5,"reason":"other"}`, ExpectedStatus: 404},
			{Name: "unknown currency", Method: "POST", URL: "/settle/v1/payments", ExpectedStatus: 400, ExpectedContent: []string{`"in":"currency"`},
				Body: `{"amount":100,"currency":"XYZ","buyer":{"email":"y@example.com"},"payment_method":{"type":"card","card":{"number":"4242424242424242","exp_month":1,"exp_year":2040,"cvc":"1"}}}`},
			{Name: "no buyer email", Method: "POST", URL: "/settle/v1/payments", ExpectedStatus: 400, ExpectedContent: []string{`"in":"buyer.email"`},
				Body: `{"amount":100,"currency":"USD","buyer":{},"payment_method":{"type":"card","card":{"number":"4242424242424242","exp_month":1,"exp_year":2040,"cvc":"1"}}}`},
			{Name: "bad Luhn", Method: "POST", URL: "/settle/v1/payments", ExpectedStatus: 400,
				Body: `{"amount":100,"currency":"USD","buyer":{"email":"z@example.com"},"payment_method":{"type":"card","card":{"number":"4242424242424241","exp_month":1,"exp_year":2040,"cvc":"1"}}}`},
			{Name: "a processed payment is read-only in the CRM API", Method: "PATCH", URL: "/crm/v3/objects/commerce_payments/" + id,
				Body: `{"properties":{"hs_internal_comment":"edited"}}`, ExpectedStatus: 400, ExpectedContent: []string{"READ_ONLY_PAYMENT"}},
			{Name: "and cannot be archived there", Method: "DELETE", URL: "/crm/v3/objects/commerce_payments/" + id, ExpectedStatus: 400},
			{Name: "nor created there", Method: "POST", URL: "/crm/v3/objects/commerce_payments", ExpectedStatus: 400, ExpectedContent: []string{"PROCESSED_PAYMENT"},
				Body: `{"properties":{"hs_initial_amount":"10","hs_initiated_date":"2026-11-25","hs_processor_type":"hs_payments"}}`},
			{Name: "nothing written", Method: "GET", URL: "/settle/v1/payments/" + id, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"succeeded"`, `"refunds":[]`}},
			{Name: "one payment in all", Method: "GET", URL: "/settle/v1/payments", ExpectedStatus: 200,
				Check: func(t *testing.T, _ *http.Response, body []byte) {
					var page struct{ Results []any }
					_ = json.Unmarshal(body, &page)
					if len(page.Results) != 1 {
						t.Fatalf("%d payments, want 1", len(page.Results))
					}
				}},
		})
	})
}

// TestForeignCurrencyCard: the FX test card is charged in EUR on a USD account; the fee is
// taken in USD and shown in EUR too, converted back at the charge's rate (SPEC F24).
func TestForeignCurrencyCard(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	var id string
	a.Run(t, []apptest.Scenario{
		{Name: "charge", Method: "POST", URL: "/settle/v1/payments", ExpectedStatus: 201, Check: payID(&id),
			Body: `{"amount":10000,"currency":"USD","buyer":{"email":"eu@example.com"},"payment_method":{"type":"card","card":{"number":"4000002500003155","exp_month":1,"exp_year":2040,"cvc":"123"}}}`},
	})
	a.Run(t, []apptest.Scenario{
		{Name: "amounts in both currencies", Method: "GET", URL: "/settle/v1/payments/" + id, ExpectedStatus: 200,
			Check: func(t *testing.T, _ *http.Response, body []byte) {
				var p struct {
					Amount, Fee int64
					Currency    string
					Settlement  struct{ Currency, Amount, Fee, Rate string }
				}
				if err := json.Unmarshal(body, &p); err != nil {
					t.Fatal(err)
				}
				if p.Currency != "EUR" || p.Settlement.Currency != "USD" || p.Settlement.Rate == "" || p.Fee <= 0 || p.Fee >= p.Amount {
					t.Fatalf("payment %s: want EUR with a USD settlement, a rate and a fee in EUR", body)
				}
			}},
	})
}
