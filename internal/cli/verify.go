package cli

import (
	"fmt"

	"github.com/spf13/cobra"

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
			d, err := db.Open(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer d.Close()
			if err := d.CheckVersion(cmd.Context()); err != nil {
				return err
			}
			report, err := ledger.Verify(cmd.Context(), d)
			if err != nil {
				return fmt.Errorf("the ledger does not add up: %w", err)
			}
			fmt.Fprintf(stdio.Stdout, "The ledger adds up: %d balance transactions, %d postings, %d payouts.\n",
				report.Transactions, report.Postings, report.Payouts)
			return nil
		},
	}
}
