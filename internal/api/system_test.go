package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestSystemEndpoints(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	const id = "6f1c2b1e-5d3a-4c55-9a4e-2f4a7a0b9c11"
	a.Run(t, []apptest.Scenario{
		{Name: "healthz", Method: "GET", URL: "/healthz", Token: apptest.NoToken, ExpectedStatus: 200,
			ExpectedContent: []string{`"status":"ok"`}},
		{Name: "readyz", Method: "GET", URL: "/readyz", Token: apptest.NoToken, ExpectedStatus: 200},
		{Name: "request id kept and used as correlation id", Method: "GET", URL: "/settle/v1/users/0",
			Headers: map[string]string{"X-Request-Id": id}, ExpectedStatus: 404,
			Check: func(t *testing.T, res *http.Response, body []byte) {
				var e struct{ CorrelationID string }
				_ = json.Unmarshal(body, &e)
				if res.Header.Get("X-Request-Id") != id || e.CorrelationID != id {
					t.Errorf("header %q, correlationId %q; want both %s", res.Header.Get("X-Request-Id"), e.CorrelationID, id)
				}
			}},
		{Name: "an id that is not a UUID is replaced", Method: "GET", URL: "/healthz", Token: apptest.NoToken,
			Headers: map[string]string{"X-Request-Id": "<script>"}, ExpectedStatus: 200,
			Check: func(t *testing.T, res *http.Response, _ []byte) {
				if got := res.Header.Get("X-Request-Id"); len(got) != 36 {
					t.Errorf("X-Request-Id %q, want a fresh UUID", got)
				}
			}},
		{Name: "metrics by route pattern", Method: "GET", URL: "/metrics", Token: apptest.NoToken, ExpectedStatus: 200,
			ExpectedContent: []string{
				`settle_http_requests_total{code="404",method="GET",route="GET /settle/v1/users/{id}"} 1`,
				"settle_http_request_duration_seconds_bucket", "go_goroutines", "process_resident_memory_bytes"},
			NotExpectedContent: []string{`route="GET /settle/v1/users/0"`}},
	})
}

// TestReadyzReportsANewerSchema: after a rollback to an older binary, readiness fails and
// says why, so the load balancer keeps traffic away.
func TestReadyzReportsANewerSchema(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	_, err := a.DB.Write.Exec(`INSERT INTO settle_schema_migrations (version, name, applied_at) VALUES (999, 'future', $1)`, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	res, body := a.Do(t, "GET", "/readyz", apptest.NoToken, "", nil)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "newer than this binary") {
		t.Fatalf("readyz with a newer schema: %d %s", res.StatusCode, body)
	}
}

// TestMetricsShowTheFollowupQueue: /metrics tells how many payment events wait for their
// follow-ups, how many are being retried and how many were given up, on both engines.
func TestMetricsShowTheFollowupQueue(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		now := time.Now().UTC()
		for _, attempts := range []int{0, 3, 25, 25} { // due in a day: the runner leaves them be
			_, err := a.DB.Write.Exec(`INSERT INTO payment_event_queue (account_id, payment_id, event, kinds, created_at, run_after,
				attempts, last_error) VALUES ($1, 1, 'payment.succeeded', 'payment_receipt', $2, $3, $4, 'smtp: refused')`,
				a.Account.ID, now, now.Add(24*time.Hour), attempts)
			if err != nil {
				t.Fatal(err)
			}
		}
		a.Run(t, []apptest.Scenario{{Name: "metrics", Method: "GET", URL: "/metrics", Token: apptest.NoToken, ExpectedStatus: 200,
			ExpectedContent: []string{`settle_payment_followups{state="queued"} 4`, `settle_payment_followups{state="retrying"} 1`,
				`settle_payment_followups{state="given_up"} 2`}}})
	})
}
