package api_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// BenchmarkRecordPayments records payments through the API with every side effect — the
// processor's charge and ledger postings, the contact found or created, the deal, the
// associations, timelines and follow-up jobs — from 32 concurrent clients, and reports
// payments per second and latency percentiles. b.N is the number of payments:
//
//	SETTLE_TEST_DATABASE_URL=… go test ./internal/api -run '^$' -bench RecordPayments -benchtime 4000x
func BenchmarkRecordPayments(b *testing.B) {
	for _, engine := range dbtest.Engines(b) {
		for _, shape := range []struct{ name, path, body string }{
			{"charge", "/settle/v1/payments", `{"amount":4999,"currency":"USD","buyer":{"email":"buyer%d@example.com"},
				"payment_method":{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}},
				"source":{"type":"payment_link","id":"pl_1","name":"Plan"}}`},
			{"crm", "/crm/v3/objects/commerce_payments", `{"properties":{"hs_initial_amount":"49.99","hs_initiated_date":"2026-11-25T10:00:00Z",
				"hs_latest_status":"succeeded","hs_customer_email":"buyer%d@example.com","hs_processor_type":"quickbooks"}}`},
		} {
			b.Run(string(engine)+"/"+shape.name, func(b *testing.B) {
				a := apptest.New(b, engine)
				runClients(b, a, 32, shape.path, shape.body)
			})
		}
	}
}

// warmup is how many requests run before the timed ones: the database then holds data
// and, on PostgreSQL, statistics about it, as one in use does (a fresh schema's empty
// statistics make the planner scan tables that have since grown).
const warmup = 500

// runClients sends warmup and then b.N requests from n clients, each body numbered, and
// reports the rate and latency percentiles of the b.N.
func runClients(b *testing.B, a *apptest.App, n int, path, body string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}}
	sendAll(b, client, a, n, path, body, 0, make([]time.Duration, warmup))
	if a.DB.Engine == config.Postgres {
		if _, err := a.DB.Write.ExecContext(b.Context(), "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	took := make([]time.Duration, b.N)
	b.ResetTimer()
	start := time.Now()
	sendAll(b, client, a, n, path, body, warmup, took)
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "payments/s")
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
}

// sendAll sends len(took) requests from n clients, the bodies numbered from first, and
// records each one's latency in took.
func sendAll(b *testing.B, client *http.Client, a *apptest.App, n int, path, body string, first int, took []time.Duration) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(took)) {
					return
				}
				t0 := time.Now()
				post(b, client, a, path, fmt.Sprintf(body, first+int(i)))
				took[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
}

func post(b *testing.B, client *http.Client, a *apptest.App, path, body string) {
	req, _ := http.NewRequest("POST", a.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
		b.Errorf("%s answered %d", path, res.StatusCode)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
