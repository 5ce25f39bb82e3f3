package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/demo"
)

// demoFlags are the options of `settle demo`.
type demoFlags struct {
	payments  int
	account   int64
	days      int
	batch     int
	workers   int
	seed      uint64
	noVerify  bool
	showSteps bool
}

func newDemo(stdio IO) *cobra.Command {
	var fl demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill an account with a year of realistic payments, for trying Settle and for benchmarks",
		Long: "Demo writes, into the first account (or --account), companies and their contacts, payment links, " +
			"invoices and --payments payments spread over the last --days days: card and bank-debit payments in " +
			"USD, EUR, GBP and CAD through links, invoices and the API, integration payments, refunds, failed " +
			"debits and disputes, with their deals, associations, timelines and ledger entries, exactly as if " +
			"buyers had paid all year. It adds EUR, GBP and CAD to the account's currencies. A fresh database gets " +
			"its first account as `settle serve` would make it. The ledger is verified at the end.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if fl.payments < 1 || fl.payments > demo.MaxPayments {
				return usageError{fmt.Errorf("--payments must be between 1 and %d", demo.MaxPayments)}
			}
			if fl.days < 1 || fl.days > 3650 {
				return usageError{fmt.Errorf("--days must be between 1 and 3650")}
			}
			if fl.batch < 1 || fl.batch > 10_000 || fl.workers < 0 || fl.workers > 64 {
				return usageError{fmt.Errorf("--batch must be between 1 and 10000 and --workers between 1 and 64")}
			}
			cfg, err := loadConfig(cmd, stdio)
			if err != nil {
				return err
			}
			return runDemo(cmd.Context(), cfg, fl, stdio)
		},
	}
	f := cmd.Flags()
	f.IntVar(&fl.payments, "payments", 10_000, "how many payments to write")
	f.Int64Var(&fl.account, "account", 0, "the account to fill (default: the first account)")
	f.IntVar(&fl.days, "days", 365, "how many days of history the payments span, ending now")
	f.IntVar(&fl.batch, "batch", 250, "how many payments share one transaction")
	f.IntVar(&fl.workers, "workers", 0, "how many transactions write at once (default 1 on SQLite, 4 on PostgreSQL)")
	f.Uint64Var(&fl.seed, "seed", 1, "seed of the random choices: buyers, amounts, methods and refunds are the same for the same seed")
	f.BoolVar(&fl.noVerify, "no-verify", false, "skip the ledger verification at the end")
	f.BoolVar(&fl.showSteps, "progress", true, "print progress while writing")
	return cmd
}

func runDemo(ctx context.Context, cfg config.Config, fl demoFlags, stdio IO) error {
	c := demo.NewClock(clock.System{}.Now())
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{Clock: c})
	if err != nil {
		return err
	}
	defer a.Close()
	first, err := a.Bootstrap(ctx)
	if err != nil {
		return fmt.Errorf("create the first account: %w", err)
	}
	printFirstRun(stdio.Stdout, first, cfg.BaseURL)
	account, err := demoAccount(ctx, a, fl.account)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "Writing %d payments over %d days into account %d (database: %s)\n", fl.payments, fl.days, account, a.DB.Describe())
	opts := demo.Options{Payments: fl.payments, Days: fl.days, Batch: fl.batch, Seed: fl.seed, Workers: fl.workers}
	if u, err := config.ParseDatabaseURL(cfg.DatabaseURL); err == nil && u.Engine == config.Postgres && opts.Workers == 0 {
		opts.Workers = 4
	}
	if fl.showSteps {
		opts.Progress = progress(stdio.Stdout, fl.payments)
	}
	res, err := demo.Fill(ctx, demo.Deps{DB: a.DB, Clock: c, Auth: a.Auth, CRM: a.CRM, Payments: a.Payments,
		Checkout: a.Checkout, Invoices: a.Invoices, Schedule: a.Schedule}, account, opts)
	if err != nil {
		return err
	}
	printDemo(stdio.Stdout, res)
	if fl.noVerify {
		return nil
	}
	report, err := verifyLedger(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "The ledger adds up: %d balance transactions, %d postings.\n", report.Transactions, report.Postings)
	return nil
}

// demoAccount returns id when that account exists, else the first account.
func demoAccount(ctx context.Context, a *app.App, id int64) (int64, error) {
	if id != 0 {
		acct, err := a.Auth.Account(ctx, id)
		if err != nil {
			return 0, fmt.Errorf("account %d: %w", id, err)
		}
		return acct.ID, nil
	}
	all, err := a.Auth.Accounts(ctx)
	if err != nil {
		return 0, err
	}
	if len(all) == 0 {
		return 0, fmt.Errorf("the database has no account to fill")
	}
	return all[0].ID, nil
}

// progress prints how far the demo is, at most every two seconds.
func progress(w io.Writer, total int) func(int) {
	start, last := time.Now(), time.Now()
	return func(done int) {
		if time.Since(last) < 2*time.Second && done < total {
			return
		}
		last = time.Now()
		elapsed := time.Since(start).Seconds()
		fmt.Fprintf(w, "  %d of %d payments (%.0f/s)\n", done, total, float64(done)/max(elapsed, 0.001))
	}
}

func printDemo(w io.Writer, r demo.Result) {
	fmt.Fprintf(w, "Wrote %d payments (%.0f/s, %s): %d companies, %d new contacts, %d deals, %d payment links, "+
		"%d invoices, %d refunds; %d payments with a dispute card, %d bank debits set to fail.\n",
		r.Payments, float64(r.Payments)/max(r.Elapsed.Seconds(), 0.001), r.Elapsed.Round(time.Second), r.Companies,
		r.Contacts, r.Deals, r.Links, r.Invoices, r.Refunds, r.Disputed, r.Failed)
}
