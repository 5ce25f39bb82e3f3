package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunStopsWhenTheServerGoes loads a server that goes away mid-run: the clients stop
// after a few refused connections each instead of counting failures until the end of the
// run, and what was answered before is reported.
func TestRunStopsWhenTheServerGoes(t *testing.T) {
	var recorded atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			recorded.Add(1)
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id":"1"}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	go func() {
		for recorded.Load() < 100 {
			time.Sleep(time.Millisecond)
		}
		srv.Close()
	}()
	const clients = 4
	r, err := Run(context.Background(), Options{URL: srv.URL, Token: "t", Scenario: "record", Clients: clients, Duration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if r.Seconds >= 60 || r.Requests < 100 || r.Errors["connection"] < clients || r.ErrorCount() > clients*(giveUp+2) {
		t.Errorf("after the server went: %+v", r)
	}
}

// TestPercentiles checks the latency percentiles on a known distribution.
func TestPercentiles(t *testing.T) {
	took := make([]time.Duration, 200)
	for i := range took {
		took[i] = time.Duration(200-i) * time.Millisecond // 200 ms down to 1 ms
	}
	r := summarize(took, map[string]int{}, 2*time.Second, 8)
	if r.P50 != 100 || r.P95 != 190 || r.P99 != 198 || r.Max != 200 || r.RequestsPerSecond != 100 || r.Requests != 200 {
		t.Errorf("summary %+v", r)
	}
}
