package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
)

const cardPayment = `{"amount":10000,"currency":"USD","buyer":{"email":"%s","first_name":"Ada","language":"fr"},
	"payment_method":{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}},
	"source":{"type":"payment_link","id":"pl_1","name":"Yoga class"}}`

func TestPaymentStory(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var pay struct {
			ID      string
			Related struct {
				ContactID string `json:"contact_id"`
				DealID    string `json:"deal_id"`
			} `json:"related"`
		}
		a.Run(t, []apptest.Scenario{
			{Name: "charge a new buyer", Method: "POST", URL: "/settle/v1/payments", Body: sprintf(cardPayment, "ada@example.com"),
				ExpectedStatus: 201, ExpectedContent: []string{`"status":"succeeded"`, `"amount":10000`, `"fee":320`, `"processor":"hs_payments"`},
				Check: func(t *testing.T, _ *http.Response, body []byte) {
					if err := json.Unmarshal(body, &pay); err != nil || pay.Related.ContactID == "" || pay.Related.DealID == "" {
						t.Fatalf("payment %s: contact and deal missing", body)
					}
				}},
		})
		a.Run(t, []apptest.Scenario{
			{Name: "the contact exists and is searchable at once", Method: "POST", URL: "/crm/v3/objects/contacts/search",
				Body:           `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"ADA@example.com"}]}],"properties":["hs_language","firstname"]}`,
				ExpectedStatus: 200, ExpectedContent: []string{`"total":1`, `"hs_language":"fr"`, `"id":"` + pay.Related.ContactID + `"`}},
			{Name: "the deal has the amount", Method: "GET", URL: "/crm/v3/objects/deals/" + pay.Related.DealID + "?properties=amount,dealstage",
				ExpectedStatus: 200, ExpectedContent: []string{`"amount":"100"`, `"dealstage":"closedwon"`}},
			{Name: "the deal belongs to the buyer", Method: "GET", URL: "/crm/v4/objects/deals/" + pay.Related.DealID + "/associations/contacts",
				ExpectedStatus: 200, ExpectedContent: []string{`"toObjectId":"` + pay.Related.ContactID + `"`}},
			{Name: "the payment is found by its contact", Method: "POST", URL: "/crm/v3/objects/commerce_payments/search",
				Body:           `{"filterGroups":[{"filters":[{"propertyName":"associations.contact","operator":"EQ","value":"` + pay.Related.ContactID + `"}]}]}`,
				ExpectedStatus: 200, ExpectedContent: []string{`"total":1`}},
			{Name: "refund 30%", Method: "POST", URL: "/settle/v1/payments/" + pay.ID + "/refunds", Body: `{"amount":3000,"reason":"requested_by_customer"}`,
				ExpectedStatus: 201, ExpectedContent: []string{`"status":"succeeded"`, `"amount":3000`}},
			{Name: "partially refunded", Method: "GET", URL: "/settle/v1/payments/" + pay.ID, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"partially_refunded"`, `"refunded":3000`, `"net":6680`, `"amount_paid":7000`}},
			{Name: "more than remains", Method: "POST", URL: "/settle/v1/payments/" + pay.ID + "/refunds", Body: `{"amount":7001,"reason":"other"}`,
				ExpectedStatus: 400, ExpectedContent: []string{"AMOUNT_TOO_LARGE"}},
			{Name: "refund the rest", Method: "POST", URL: "/settle/v1/payments/" + pay.ID + "/refunds", Body: `{"amount":7000,"reason":"other"}`,
				ExpectedStatus: 201},
			{Name: "refunded, the fee not returned", Method: "GET", URL: "/settle/v1/payments/" + pay.ID, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"refunded"`, `"refunded":10000`, `"net":-320`}},
			{Name: "a third refund", Method: "POST", URL: "/settle/v1/payments/" + pay.ID + "/refunds", Body: `{"amount":1,"reason":"other"}`,
				ExpectedStatus: 400, ExpectedContent: []string{"NOT_REFUNDABLE"}},
			{Name: "the CRM record agrees", Method: "GET", URL: "/crm/v3/objects/commerce_payments/" + pay.ID + "?properties=hs_latest_status,hs_refunds_amount,hs_net_amount",
				ExpectedStatus: 200, ExpectedContent: []string{`"hs_latest_status":"refunded"`, `"hs_refunds_amount":"100"`, `"hs_net_amount":"-3.2"`}},
			{Name: "history on the contact", Method: "GET", URL: "/settle/v1/objects/contacts/" + pay.Related.ContactID + "/history",
				ExpectedStatus: 200, ExpectedContent: []string{`"kind":"payment.succeeded"`, `"kind":"payment.refunded"`}},
		})
		if _, err := ledger.Verify(context.Background(), a.DB); err != nil {
			t.Fatalf("ledger: %v", err)
		}
		waitFollowups(t, a, pay.ID, "payment_receipt:payment.succeeded", "payment_notify:payment.succeeded",
			"payment_webhooks:payment.refunded", "payment_workflows:payment.succeeded")
	})
}

// waitFollowups waits until the follow-up jobs of a payment have run.
func waitFollowups(t *testing.T, a *apptest.App, id string, want ...string) {
	t.Helper()
	var n int64
	_ = json.Unmarshal([]byte(id), &n)
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, err := a.Payments.Followups(context.Background(), a.Account.ID, n)
		if err != nil {
			t.Fatal(err)
		}
		if containsAll(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("follow-ups %v, want at least %v", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func containsAll(got, want []string) bool {
	set := map[string]bool{}
	for _, g := range got {
		set[g] = true
	}
	for _, w := range want {
		if !set[w] {
			return false
		}
	}
	return true
}
