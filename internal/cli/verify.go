package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/ledger"
)

func newVerify(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Prove that the ledger adds up; exit 1 at the first discrepancy",
		Long: "Verify reads every balance transaction and posting once, in constant memory, and checks " +
			"that postings balance to zero per currency, match each transaction's amount, fee and net, " +
			"that every balance is the sum of its postings and that payouts equal the transactions they paid. " +
			"The first discrepancy is printed with the transaction, currency, expected and found amounts.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, stdio)
			if err != nil {
				return err
			}
			report, err := verifyLedger(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdio.Stdout, "The ledger adds up: %d balance transactions, %d postings, %d payouts.\n",
				report.Transactions, report.Postings, report.Payouts)
			return nil
		},
	}
}

// verifyLedger runs the ledger verification on the configured database, which must exist
// and have this binary's schema.
func verifyLedger(ctx context.Context, cfg config.Config) (ledger.Report, error) {
	u, err := config.ParseDatabaseURL(cfg.DatabaseURL)
	if err != nil {
		return ledger.Report{}, err
	}
	if _, err := os.Stat(u.Path); u.Engine == config.SQLite && errors.Is(err, os.ErrNotExist) {
		return ledger.Report{}, fmt.Errorf("no database at %s: name the one Settle serves from with --database-url", u.Path)
	}
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return ledger.Report{}, err
	}
	defer d.Close()
	if err := d.CheckVersion(ctx); err != nil {
		return ledger.Report{}, err
	}
	report, err := ledger.Verify(ctx, d)
	if err != nil {
		return report, fmt.Errorf("the ledger does not add up: %w", err)
	}
	return report, nil
}
