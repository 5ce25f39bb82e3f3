// Package cli holds Settle's commands (cobra): serve, migrate, user create, token create,
// verify, bench, demo and version. Each command reads the same configuration — flags, then SETTLE_* variables, then
// defaults — and calls into internal/app.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/settlehq/settle/internal/config"
)

// IO is what a command reads and writes: the process's streams and environment, or a test's.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Env    func(string) (string, bool)
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError marks errors in how a command was called.
type usageError struct{ error }

// Run executes the command line args and returns the process exit code.
func Run(ctx context.Context, args []string, stdio IO) int {
	root := newRoot(stdio)
	root.SetArgs(args)
	root.SetIn(stdio.Stdin)
	root.SetOut(stdio.Stdout)
	root.SetErr(stdio.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stdio.Stderr, "settle:", err)
	var usage usageError
	if errors.As(err, &usage) {
		return exitUsage
	}
	return exitError
}

func newRoot(stdio IO) *cobra.Command {
	root := &cobra.Command{
		Use:               "settle",
		Short:             "Settle is a self-hosted payments hub",
		Long:              "Settle collects payments through invoices, payment links, quotes and subscriptions, and keeps every payment record, refund, dispute and payout.",
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see settle %s --help)", err, cmd.Name())}
	})
	registerConfigFlags(root.PersistentFlags())
	root.AddCommand(newServe(stdio), newMigrate(stdio), newUser(stdio), newToken(stdio), newVersion(stdio), newVerify(stdio),
		newBench(stdio), newDemo(stdio))
	return root
}

// registerConfigFlags adds a flag per configuration setting, documented with its variable
// and default.
func registerConfigFlags(fs *pflag.FlagSet) {
	for _, s := range config.Settings {
		usage := s.Usage + " (env " + s.Env
		if s.Default != "" {
			usage += ", default " + s.Default
		}
		fs.String(s.Flag, "", usage+")")
	}
}

// loadConfig reads the configuration for cmd: flags it was given, then the environment.
func loadConfig(cmd *cobra.Command, stdio IO) (config.Config, error) {
	env := stdio.Env
	if env == nil {
		env = os.LookupEnv
	}
	flags := cmd.Flags()
	return config.Load(config.Source{
		Flag: func(name string) (string, bool) {
			f := flags.Lookup(name)
			if f == nil || !f.Changed {
				return "", false
			}
			return f.Value.String(), true
		},
		Env: env,
	})
}
