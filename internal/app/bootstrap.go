package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"github.com/settlehq/settle/internal/auth"
)

// FirstRun reports what Bootstrap created on a fresh database.
type FirstRun struct {
	Account auth.Account
	Admin   auth.User
	// Password is set when it was generated, to be shown once; it is never stored.
	GeneratedPassword string
}

// generatedAdminEmail is the first super admin's email when SETTLE_ADMIN_EMAIL is not set.
const generatedAdminEmail = "admin@settle.localhost"

// Bootstrap creates the first account and super admin when the database has none, from
// SETTLE_ADMIN_EMAIL, SETTLE_ADMIN_PASSWORD and SETTLE_ACCOUNT_COUNTRY, generating what is
// missing. It returns nil when the database already had an account.
func (a *App) Bootstrap(ctx context.Context) (*FirstRun, error) {
	email, password, generated := a.Config.AdminEmail, a.Config.AdminPassword, ""
	if email == "" {
		email = generatedAdminEmail
	}
	if password == "" {
		password = RandomPassword()
		generated = password
	}
	acct, admin, created, err := a.Auth.Bootstrap(ctx, auth.FirstRun{
		AccountName: "My business", Country: a.Config.AccountCountry,
		Admin: auth.NewUser{Email: email, Name: "Administrator", Password: password},
	})
	if err != nil || !created {
		return nil, err
	}
	return &FirstRun{Account: acct, Admin: admin, GeneratedPassword: generated}, nil
}

// RandomPassword returns 18 random bytes as 24 URL-safe characters.
func RandomPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
