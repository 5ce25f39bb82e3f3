package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/db"
)

func newMigrate(stdio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations and exit",
		Long: "Migrate applies every pending migration, each in its own transaction. It refuses a " +
			"database migrated by a newer Settle. serve migrates too; use this to migrate ahead of a deploy.",
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
			applied, err := app.Migrate(cmd.Context(), d, clock.System{})
			for _, m := range applied {
				fmt.Fprintf(stdio.Stdout, "Applied %03d_%s\n", m.Version, m.Name)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdio.Stdout, "The database %s is up to date.\n", d.Describe())
			return nil
		},
	}
}
