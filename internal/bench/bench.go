// Package bench drives a running Settle over HTTP, from many concurrent clients, in named
// scenarios (a buyer's checkout, a CRM payment record, refunds, searches, a mix), and
// reports throughput, latency percentiles and errors by category. It is what `settle bench`
// runs and what the scripts in bench/ compare with the database's own limit.
package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options say what to run and for how long: Duration or Count, not both.
type Options struct {
	URL      string
	Token    string
	Scenario string
	Clients  int
	Duration time.Duration
	Count    int
	// Warmup is how many requests run before the measured ones, not counted.
	Warmup int
}

// Result is what one run measured. Latencies are in milliseconds.
type Result struct {
	Scenario          string         `json:"scenario"`
	Clients           int            `json:"clients"`
	Requests          int            `json:"requests"`
	Seconds           float64        `json:"seconds"`
	RequestsPerSecond float64        `json:"requests_per_second"`
	P50               float64        `json:"p50_ms"`
	P95               float64        `json:"p95_ms"`
	P99               float64        `json:"p99_ms"`
	Max               float64        `json:"max_ms"`
	Errors            map[string]int `json:"errors"`
	// Ledger is the outcome of the ledger verification that follows the run, set by the
	// caller that can reach the database.
	Ledger *Ledger `json:"ledger,omitempty"`
}

// Ledger is what the verification after a run found.
type Ledger struct {
	Verified     bool   `json:"verified"`
	Transactions int64  `json:"transactions,omitempty"`
	Error        string `json:"error,omitempty"`
}

// ErrorCount is how many requests failed, whatever the category.
func (r Result) ErrorCount() int {
	n := 0
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// Validate reports every problem with o, in words a person running `settle bench` reads.
func (o Options) Validate() error {
	var problems []string
	if o.URL == "" {
		problems = append(problems, "--url is required: the address Settle serves at, such as http://127.0.0.1:8080")
	}
	if o.Token == "" {
		problems = append(problems, "--token is required: an API token of the account to load (settle token create --user EMAIL)")
	}
	if _, ok := scenarios[o.Scenario]; !ok {
		problems = append(problems, fmt.Sprintf("unknown scenario %q: choose one of %s", o.Scenario, strings.Join(Scenarios(), ", ")))
	}
	if o.Clients < 1 {
		problems = append(problems, "--clients must be at least 1")
	}
	if (o.Duration > 0) == (o.Count > 0) {
		problems = append(problems, "give either --duration (such as 30s) or --count, a positive one")
	}
	if o.Warmup < 0 {
		problems = append(problems, "--warmup cannot be negative")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// Run checks that Settle answers at o.URL and accepts the token, prepares the scenario
// (the records it needs), runs the warm-up and then the measured requests.
func Run(ctx context.Context, o Options) (Result, error) {
	if err := o.Validate(); err != nil {
		return Result{}, err
	}
	c, err := newClient(o.URL, o.Token, o.Clients)
	if err != nil {
		return Result{}, err
	}
	defer c.close()
	if err := c.reach(ctx); err != nil {
		return Result{}, err
	}
	sc := scenarios[o.Scenario]()
	if err := sc.setup(ctx, c, o.Clients); err != nil {
		return Result{}, fmt.Errorf("preparing the %s scenario: %w", o.Scenario, err)
	}
	if o.Warmup > 0 {
		warm := o
		warm.Duration, warm.Count = 0, o.Warmup
		load(ctx, c, sc, warm, 0)
	}
	r := load(ctx, c, sc, o, o.Warmup)
	r.Scenario = o.Scenario
	return r, ctx.Err()
}

// load sends the scenario's requests from o.Clients clients until o.Duration has passed or
// o.Count requests were sent, numbering them from first.
func load(ctx context.Context, c *client, sc scenario, o Options, first int) Result {
	var next atomic.Int64
	var mu sync.Mutex
	var took []time.Duration
	errs := map[string]int{}
	deadline := time.Now().Add(o.Duration)
	more := func() (int, bool) {
		i := int(next.Add(1) - 1)
		if ctx.Err() != nil {
			return 0, false
		}
		if o.Count > 0 {
			return first + i, i < o.Count
		}
		return first + i, time.Now().Before(deadline)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			failed := map[string]int{}
			unreachable := 0 // connection failures in a row
			for i, ok := more(); ok && unreachable < giveUp; i, ok = more() {
				t0 := time.Now()
				if err := sc.request(ctx, c, i); err != nil {
					kind := category(err)
					failed[kind]++
					unreachable++
					if kind != "connection" {
						unreachable = 0
					}
					continue
				}
				unreachable = 0
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			took = append(took, mine...)
			for k, n := range failed {
				errs[k] += n
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return summarize(took, errs, time.Since(start), o.Clients)
}

// giveUp is how many connection failures in a row make a client stop: the server is gone,
// and a run would otherwise count failures as fast as the machine can until its end.
const giveUp = 50

// summarize computes rates and percentiles of the successful requests' latencies.
func summarize(took []time.Duration, errs map[string]int, elapsed time.Duration, clients int) Result {
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	r := Result{Clients: clients, Requests: len(took), Seconds: elapsed.Seconds(), Errors: errs}
	if elapsed > 0 {
		r.RequestsPerSecond = float64(len(took)) / elapsed.Seconds()
	}
	if len(took) > 0 {
		r.P50, r.P95, r.P99 = percentile(took, 50), percentile(took, 95), percentile(took, 99)
		r.Max = ms(took[len(took)-1])
	}
	return r
}

// percentile is the latency that p percent of the sorted latencies do not exceed.
func percentile(sorted []time.Duration, p int) float64 {
	i := (len(sorted)*p + 99) / 100
	return ms(sorted[max(0, min(i, len(sorted))-1)])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Scenarios lists the scenario names, sorted.
func Scenarios() []string {
	names := make([]string, 0, len(scenarios))
	for name := range scenarios {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
