package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/settlehq/settle/internal/app"
	"github.com/settlehq/settle/internal/auth"
)

type tokenCreateFlags struct {
	user, scopes, name, expiresIn string
}

func newToken(stdio IO) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var f tokenCreateFlags
	create := &cobra.Command{
		Use:   "create --user EMAIL [--scopes a,b] [--name LABEL] [--expires-in 90d]",
		Short: "Create an API token for a user and print it, and nothing else, on stdout",
		Long: "Create prints the new token on stdout so that scripts can capture it. Without --scopes " +
			"the token gets every scope the user's permissions allow.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, stdio, func(ctx context.Context, a *app.App) error {
				secret, err := createToken(ctx, a, f)
				if err == nil {
					fmt.Fprintln(stdio.Stdout, secret)
				}
				return err
			})
		},
	}
	fl := create.Flags()
	fl.StringVar(&f.user, "user", "", "email of the user the token acts for (required)")
	fl.StringVar(&f.scopes, "scopes", "", "comma-separated scopes (default: all the user may grant)")
	fl.StringVar(&f.name, "name", "", "a label to recognize the token by")
	fl.StringVar(&f.expiresIn, "expires-in", "", "lifetime such as 90d or 12h (default: no expiry)")
	_ = create.MarkFlagRequired("user")
	cmd.AddCommand(create)
	return cmd
}

func createToken(ctx context.Context, a *app.App, f tokenCreateFlags) (string, error) {
	expires, err := parseLifetime(f.expiresIn)
	if err != nil {
		return "", err
	}
	u, err := a.Auth.UserByEmail(ctx, f.user)
	if err != nil {
		return "", err
	}
	var scopes []auth.Scope
	for _, s := range splitList(f.scopes) {
		scopes = append(scopes, auth.Scope(s))
	}
	_, secret, err := a.Auth.CreateToken(ctx, u.AccountID, u.ID, auth.NewToken{Name: f.name, Scopes: scopes, ExpiresIn: expires})
	return secret, err
}

// parseLifetime reads a Go duration or a number of days such as 90d.
func parseLifetime(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, usageError{fmt.Errorf("--expires-in %q is not a lifetime such as 90d or 12h", s)}
	}
	return d, nil
}
