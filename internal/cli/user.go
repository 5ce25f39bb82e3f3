package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/telemetry"
)

func newUser(stdio IO) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage dashboard users"}
	cmd.AddCommand(newUserCreate(stdio))
	return cmd
}

type userCreateFlags struct {
	email, name, language, password, permissions string
	account                                      int64
}

func newUserCreate(stdio IO) *cobra.Command {
	var f userCreateFlags
	cmd := &cobra.Command{
		Use:   "create --email EMAIL [--permissions a,b] [--password P]",
		Short: "Add a user to an account; a missing password is generated and printed once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, stdio, func(ctx context.Context, a *app.App) error {
				return createUser(ctx, a, f, stdio)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.email, "email", "", "the user's email (required)")
	fl.StringVar(&f.name, "name", "", "the user's name")
	fl.StringVar(&f.language, "language", "", "preferred language: en, fr, de or es (default: the account's)")
	fl.StringVar(&f.password, "password", "", "the password (at least 10 characters); generated when empty")
	fl.StringVar(&f.permissions, "permissions", "", "comma-separated: "+permissionList())
	fl.Int64Var(&f.account, "account", 0, "the account id (needed only when there are several)")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

func permissionList() string {
	names := make([]string, len(auth.Permissions))
	for i, p := range auth.Permissions {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

func createUser(ctx context.Context, a *app.App, f userCreateFlags, stdio IO) error {
	accountID, err := resolveAccount(ctx, a.Auth, f.account)
	if err != nil {
		return err
	}
	password, generated := f.password, ""
	if password == "" {
		password = app.RandomPassword()
		generated = password
	}
	var perms []auth.Permission
	for _, p := range splitList(f.permissions) {
		perms = append(perms, auth.Permission(p))
	}
	u, err := a.Auth.CreateUser(ctx, accountID, auth.NewUser{Email: f.email, Name: f.name,
		Language: f.language, Password: password, Permissions: perms})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "Created user %s (id %d) in account %d.\n", u.Email, u.ID, accountID)
	if generated != "" {
		fmt.Fprintf(stdio.Stdout, "Password: %s\n", generated)
	}
	return nil
}

// resolveAccount returns id when given, else the only account, else an error asking for one.
func resolveAccount(ctx context.Context, svc *auth.Service, id int64) (int64, error) {
	if id != 0 {
		_, err := svc.Account(ctx, id)
		return id, err
	}
	accounts, err := svc.Accounts(ctx)
	if err != nil {
		return 0, err
	}
	switch len(accounts) {
	case 0:
		return 0, fmt.Errorf("there is no account yet: run settle serve once to create the first one")
	case 1:
		return accounts[0].ID, nil
	}
	return 0, usageError{fmt.Errorf("there are %d accounts: say which with --account", len(accounts))}
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// withApp opens Settle with the command's configuration, runs fn and closes it. Logs go to
// stderr, at warn level unless configured otherwise, so that stdout holds only the result.
func withApp(cmd *cobra.Command, stdio IO, fn func(context.Context, *app.App) error) error {
	cfg, err := loadConfig(cmd, stdio)
	if err != nil {
		return err
	}
	logger := telemetry.NewLogger(stdio.Stderr, max(cfg.LogLevel, slog.LevelWarn))
	a, err := app.Open(cmd.Context(), cfg, logger, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(cmd.Context(), a)
}
