package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/processor"
)

func TestTestClockAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, viewerToken := a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		a.Run(t, []apptest.Scenario{
			{Name: "read", Method: "GET", URL: "/settle/v1/test-clock", ExpectedStatus: 200,
				ExpectedContent: []string{`"test_mode":true`, `"advanced_by_seconds":0`}},
			{Name: "advance by", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"72h"}`, ExpectedStatus: 200,
				ExpectedContent: []string{`"advanced_by_seconds":259200`, `"ran":0`}},
			{Name: "advance by days", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"1d"}`, ExpectedStatus: 200,
				ExpectedContent: []string{`"advanced_by_seconds":345600`}},
			{Name: "backwards", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"to":"` + past + `"}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"code":"BACKWARDS"`, "only moves forward"}},
			{Name: "negative duration", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"-5h"}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"in":"by"`, `"code":"INVALID_DURATION"`}},
			{Name: "not a duration", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"soon"}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"code":"INVALID_DURATION"`}},
			{Name: "not a time", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"to":"next tuesday"}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"in":"to"`, `"code":"INVALID_FORMAT"`}},
			{Name: "both", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"to":"2030-01-01T00:00:00Z","by":"1h"}`,
				ExpectedStatus: 400, ExpectedContent: []string{`"code":"ONE_OF"`}},
			{Name: "neither", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"code":"REQUIRED"`}},
			{Name: "viewer may read", Method: "GET", URL: "/settle/v1/test-clock", Token: viewerToken, ExpectedStatus: 200},
			{Name: "viewer may not advance", Method: "POST", URL: "/settle/v1/test-clock/advance", Token: viewerToken,
				Body: `{"by":"1h"}`, ExpectedStatus: 403},
			{Name: "refusals wrote nothing", Method: "GET", URL: "/settle/v1/test-clock", ExpectedStatus: 200,
				ExpectedContent: []string{`"advanced_by_seconds":345600`}},
		})
	})
}

func TestLiveAccountHasNoTestClock(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		if _, err := a.DB.Write.Exec(`UPDATE accounts SET test_mode = FALSE WHERE id = $1`, a.Account.ID); err != nil {
			t.Fatal(err)
		}
		a.Run(t, []apptest.Scenario{
			{Name: "read", Method: "GET", URL: "/settle/v1/test-clock", ExpectedStatus: 200,
				ExpectedContent: []string{`"test_mode":false`, `"advanced_by_seconds":0`}},
			{Name: "advance", Method: "POST", URL: "/settle/v1/test-clock/advance", Body: `{"by":"72h"}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"code":"LIVE_MODE"`, "live mode"}},
		})
		var rows int
		if err := a.DB.Read.QueryRow(`SELECT count(*) FROM test_clocks`).Scan(&rows); err != nil || rows != 0 {
			t.Fatalf("a refused advance left %d test clock rows (%v)", rows, err)
		}
	})
}

// TestAdvancingRunsDueWork charges an ACH debit through the built-in processor, then moves
// the clock through the API: the answer comes after the debit has settled.
func TestAdvancingRunsDueWork(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		c, err := a.Processor.Pay(ctx, processor.PayParams{AccountID: a.Account.ID, Amount: "25.00", Currency: "USD",
			Method: processor.TokenizeParams{ACH: &processor.ACHDetails{RoutingNumber: "110000000",
				AccountNumber: "000123456789", AccountHolder: "Jane Buyer"}}})
		if err != nil || c.Status != processor.ChargeProcessing {
			t.Fatalf("pay: %+v, %v", c, err)
		}
		a.Run(t, []apptest.Scenario{{Name: "advance a month", Method: "POST", URL: "/settle/v1/test-clock/advance",
			Body: `{"by":"720h"}`, ExpectedStatus: 200, Check: func(t *testing.T, _ *http.Response, body []byte) {
				var out struct{ Ran int }
				if err := json.Unmarshal(body, &out); err != nil || out.Ran < 1 {
					t.Errorf("ran %d pieces of due work (%v), want the debit's settlement", out.Ran, err)
				}
			}}})
		got, err := a.Processor.GetCharge(ctx, a.Account.ID, c.ID)
		if err != nil || got.Status != processor.ChargeSucceeded || got.Fee.Minor != 20 {
			t.Fatalf("after the advance: %+v, %v; want succeeded with a 0.20 fee", got, err)
		}
		// Under an Idempotency-Key the advance and its work share one transaction, and a
		// replay answers the same without moving the clock again.
		c, err = a.Processor.Pay(ctx, processor.PayParams{AccountID: a.Account.ID, Amount: "25.00", Currency: "USD",
			Method: processor.TokenizeParams{Card: &processor.CardDetails{Number: "4000000000000259", ExpMonth: 1,
				ExpYear: 2040, CVC: "123"}}})
		if err != nil {
			t.Fatal(err)
		}
		key := map[string]string{"Idempotency-Key": "advance-once"}
		for _, name := range []string{"first", "replay"} {
			a.Run(t, []apptest.Scenario{{Name: "advance under a key, " + name, Method: "POST", URL: "/settle/v1/test-clock/advance",
				Body: `{"by":"96h"}`, Headers: key, ExpectedStatus: 200,
				ExpectedContent: []string{`"advanced_by_seconds":2937600`}}})
		}
		if ds, err := a.Processor.Disputes(ctx, a.Account.ID); err != nil || len(ds) != 1 {
			t.Fatalf("disputes after the keyed advance: %+v, %v; want the dispute card's", ds, err)
		}
	})
}
