package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/settlehq/settle/internal/bench"
)

type benchFlags struct {
	opts     bench.Options
	json     bool
	noVerify bool
}

func newBench(stdio IO) *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench --url URL --token TOKEN --scenario NAME --clients N (--duration 30s | --count N) [--json]",
		Short: "Load a running Settle over HTTP and report requests/s, latency percentiles and errors",
		Long: "Bench sends one scenario's requests from concurrent clients to a running Settle: checkout " +
			"(a payment link paid with the test card), record (a CRM API payment with its contact and " +
			"associations), refund (one-cent refunds of payments it makes first), search (CRM searches with " +
			"filter groups over the account's payments) or mixed (eight reads for two records). It prints " +
			"requests per second, p50/p95/p99/max latency and errors by category, then verifies the ledger " +
			"of the database Settle serves from (--database-url, as for serve; --no-verify to skip). It exits " +
			"1 when a request failed or the ledger does not add up.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.opts.Validate(); err != nil {
				return usageError{err}
			}
			r, err := bench.Run(cmd.Context(), f.opts)
			if err != nil {
				return err
			}
			if !f.noVerify {
				r.Ledger = benchLedger(cmd, stdio)
			}
			if err := printBench(stdio.Stdout, r, f.json); err != nil {
				return err
			}
			return benchOutcome(r)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.opts.URL, "url", "", "address of the running Settle, such as http://127.0.0.1:8080 (required)")
	fl.StringVar(&f.opts.Token, "token", "", "API token of the account to load (required; `settle token create`)")
	fl.StringVar(&f.opts.Scenario, "scenario", "", "one of "+strings.Join(bench.Scenarios(), ", ")+" (required)")
	fl.IntVar(&f.opts.Clients, "clients", 32, "concurrent clients")
	fl.DurationVar(&f.opts.Duration, "duration", 0, "how long to send requests, such as 30s")
	fl.IntVar(&f.opts.Count, "count", 0, "how many requests to send, instead of --duration")
	fl.IntVar(&f.opts.Warmup, "warmup", 0, "requests sent first and left out of the figures")
	fl.BoolVar(&f.json, "json", false, "print one JSON object instead of text")
	fl.BoolVar(&f.noVerify, "no-verify", false, "do not verify the ledger after the run")
	return cmd
}

// benchLedger verifies the ledger of the configured database after a run.
func benchLedger(cmd *cobra.Command, stdio IO) *bench.Ledger {
	cfg, err := loadConfig(cmd, stdio)
	if err != nil {
		return &bench.Ledger{Error: err.Error()}
	}
	report, err := verifyLedger(cmd.Context(), cfg)
	if err != nil {
		return &bench.Ledger{Error: err.Error()}
	}
	return &bench.Ledger{Verified: true, Transactions: report.Transactions}
}

// printBench writes r as text or as one JSON object.
func printBench(w io.Writer, r bench.Result, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		return enc.Encode(r)
	}
	fmt.Fprintf(w, "scenario %s, %d clients: %d requests in %.1f s\n", r.Scenario, r.Clients, r.Requests, r.Seconds)
	fmt.Fprintf(w, "  %.1f requests/s\n", r.RequestsPerSecond)
	fmt.Fprintf(w, "  latency ms: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f\n", r.P50, r.P95, r.P99, r.Max)
	if len(r.Errors) == 0 {
		fmt.Fprintln(w, "  errors: none")
	}
	for _, k := range sortedKeys(r.Errors) {
		fmt.Fprintf(w, "  errors, %s: %d\n", k, r.Errors[k])
	}
	switch {
	case r.Ledger == nil:
		fmt.Fprintln(w, "  ledger: not verified (--no-verify)")
	case r.Ledger.Verified:
		fmt.Fprintf(w, "  ledger: adds up (%d balance transactions)\n", r.Ledger.Transactions)
	default:
		fmt.Fprintf(w, "  ledger: %s\n", r.Ledger.Error)
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// benchOutcome is the command's error: failed requests, or a ledger that was not verified.
func benchOutcome(r bench.Result) error {
	var errs []error
	if n := r.ErrorCount(); n > 0 {
		errs = append(errs, fmt.Errorf("%d requests failed", n))
	}
	if r.Ledger != nil && !r.Ledger.Verified {
		errs = append(errs, fmt.Errorf("ledger: %s", r.Ledger.Error))
	}
	return errors.Join(errs...)
}
