package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
)

// TestConcurrentRefundsNeverExceedThePayment fires 50 refunds of 3.00 at once at a 100.00
// payment: 33 go through, the others are refused, and the ledger agrees.
func TestConcurrentRefundsNeverExceedThePayment(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		var id string
		a.Run(t, []apptest.Scenario{{Name: "a payment", Method: "POST", URL: "/settle/v1/payments", Body: sprintf(cardPayment, "many@example.com"),
			ExpectedStatus: 201, Check: payID(&id)}})
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, body := a.DoUnchecked(t, "POST", "/settle/v1/payments/"+id+"/refunds", "", `{"amount":300,"reason":"duplicate"}`, nil)
				switch res.StatusCode {
				case http.StatusCreated:
					ok.Add(1)
				case http.StatusBadRequest:
					refused.Add(1)
				default:
					t.Errorf("refund answered %d: %s", res.StatusCode, body)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 33 || refused.Load() != 17 {
			t.Fatalf("%d refunds went through and %d were refused; want 33 and 17", ok.Load(), refused.Load())
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		p, err := a.Payments.Get(context.Background(), a.Account.ID, n)
		if err != nil || p.Refunded.Minor != 9900 || p.Status != "partially_refunded" {
			t.Fatalf("payment after the refunds: %+v, %v", p, err)
		}
		if _, err := ledger.Verify(context.Background(), a.DB); err != nil {
			t.Fatalf("ledger: %v", err)
		}
	})
}

// TestOneKeyOnePayment sends the same payment 1,000 times at once under one
// Idempotency-Key: exactly one payment is made, and every answer is that payment.
func TestOneKeyOnePayment(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		const n = 1000
		body := sprintf(cardPayment, "once@example.com")
		answers := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, b := a.DoUnchecked(t, "POST", "/settle/v1/payments", "", body, map[string]string{"Idempotency-Key": "pay-once"})
				if res.StatusCode != http.StatusCreated {
					t.Errorf("request %d: %d %s", i, res.StatusCode, b)
				}
				answers[i] = string(b)
			}()
		}
		wg.Wait()
		for i := 1; i < n; i++ {
			if answers[i] != answers[0] {
				t.Fatalf("answers differ:\n%s\n%s", answers[0], answers[i])
			}
		}
		pays, _, err := a.Payments.List(context.Background(), a.Account.ID, 10, 0)
		if err != nil || len(pays) != 1 {
			t.Fatalf("%d payments made, want 1 (%v)", len(pays), err)
		}
	})
}

// TestConcurrentPaymentsOfANewBuyerShareOneContact: 20 payments at once from an email no
// contact has yet all succeed and all belong to the one contact they created.
func TestConcurrentPaymentsOfANewBuyerShareOneContact(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		const n = 20
		contacts := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, b := a.DoUnchecked(t, "POST", "/settle/v1/payments", "", sprintf(cardPayment, "New.Buyer@example.com"), nil)
				var p struct {
					Related struct {
						ContactID string `json:"contact_id"`
					} `json:"related"`
				}
				if res.StatusCode != http.StatusCreated || json.Unmarshal(b, &p) != nil {
					t.Errorf("payment %d: %d %s", i, res.StatusCode, b)
				}
				contacts[i] = p.Related.ContactID
			}()
		}
		wg.Wait()
		for i := range contacts {
			if contacts[i] == "" || contacts[i] != contacts[0] {
				t.Fatalf("payments belong to contacts %v, want one", contacts)
			}
		}
	})
}
