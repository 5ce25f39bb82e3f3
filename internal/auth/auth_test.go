package auth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

type fixture struct {
	svc   *auth.Service
	db    *db.DB
	clock *clock.Fixed
	acct  auth.Account
	admin auth.User
}

const adminPassword = "correct horse battery"

func newFixture(t *testing.T, engine config.Engine) fixture {
	t.Helper()
	d := dbtest.Open(t, engine)
	clk := &clock.Fixed{T: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	svc := auth.NewService(d, clk)
	acct, admin, created, err := svc.Bootstrap(context.Background(), auth.FirstRun{
		AccountName: "Acme", Country: "US",
		Admin: auth.NewUser{Email: "Admin@Acme.test", Password: adminPassword},
	})
	if err != nil || !created {
		t.Fatalf("Bootstrap: created=%v err=%v", created, err)
	}
	return fixture{svc: svc, db: d, clock: clk, acct: acct, admin: admin}
}

// otherAccount creates a second tenant with its own super admin.
func (f fixture) otherAccount(t *testing.T) (auth.Account, auth.User) {
	t.Helper()
	a, u, err := f.svc.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Other", Country: "GB",
		Admin: auth.NewUser{Email: "boss@other.test", Password: adminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	return a, u
}

func TestBootstrapRunsOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		if f.acct.Country != "US" || f.acct.DefaultCurrency != "USD" || !f.acct.TestMode || f.acct.Processor != auth.ProcessorBuiltin {
			t.Fatalf("first account = %+v", f.acct)
		}
		if !f.admin.Permissions.Has(auth.PermSuperAdmin) {
			t.Fatalf("first user permissions = %v", f.admin.Permissions)
		}
		_, _, created, err := f.svc.Bootstrap(context.Background(), auth.FirstRun{AccountName: "Again", Country: "US",
			Admin: auth.NewUser{Email: "second@acme.test", Password: adminPassword}})
		if err != nil || created {
			t.Fatalf("second Bootstrap created=%v err=%v; want nothing done", created, err)
		}
		if _, err := f.svc.UserByEmail(context.Background(), "second@acme.test"); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("second bootstrap wrote a user: %v", err)
		}
	})
}

func TestUpdateAccountValidation(t *testing.T) {
	str := func(s string) *string { return &s }
	proc := func(p auth.Processor) *auth.Processor { return &p }
	cases := []struct {
		name   string
		update auth.AccountUpdate
		field  string // "" means the update succeeds
	}{
		{"rename", auth.AccountUpdate{Name: str("Acme Inc.")}, ""},
		{"empty name", auth.AccountUpdate{Name: str("  ")}, "name"},
		{"bad country", auth.AccountUpdate{Country: str("XX")}, "country"},
		{"bad timezone", auth.AccountUpdate{Timezone: str("Mars/Olympus")}, "timezone"},
		{"bad language", auth.AccountUpdate{Language: str("it")}, "language"},
		{"bad currency", auth.AccountUpdate{DefaultCurrency: str("USX")}, "currencies"},
		{"default not among currencies", auth.AccountUpdate{DefaultCurrency: str("EUR")}, "default_currency"},
		{"builtin outside US/GB/CA", auth.AccountUpdate{Country: str("FR")}, "processor"},
		{"FR with stripe", auth.AccountUpdate{Country: str("FR"), Processor: proc(auth.ProcessorStripe)}, ""},
		{"unknown processor", auth.AccountUpdate{Processor: proc("paypal")}, "processor"},
		{"bad colour", auth.AccountUpdate{BrandColor: str("blue")}, "branding.brand_color"},
	}
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before, _ := f.svc.Account(ctx, f.acct.ID)
				got, err := f.svc.UpdateAccount(ctx, f.acct.ID, tc.update)
				if tc.field == "" {
					if err != nil {
						t.Fatalf("UpdateAccount: %v", err)
					}
					after, _ := f.svc.Account(ctx, f.acct.ID)
					if after.Name != got.Name || after.Country != got.Country || after.Processor != got.Processor {
						t.Fatalf("stored %+v, returned %+v", after, got)
					}
					return
				}
				var inv *problem.InvalidError
				if !errors.As(err, &inv) || inv.Fields[0].Field != tc.field {
					t.Fatalf("UpdateAccount = %v; want a validation error on %s", err, tc.field)
				}
				after, _ := f.svc.Account(ctx, f.acct.ID)
				if after.UpdatedAt != before.UpdatedAt || after.Country != before.Country {
					t.Fatalf("a refused update changed the account: %+v", after)
				}
			})
		}
	})
}

func TestUsersStayInTheirAccount(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		other, otherAdmin := f.otherAccount(t)
		if _, err := f.svc.User(ctx, f.acct.ID, otherAdmin.ID); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("User of another account: %v", err)
		}
		name := "Mallory"
		if _, err := f.svc.UpdateUser(ctx, f.acct.ID, otherAdmin.ID, auth.UserUpdate{Name: &name}); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("UpdateUser of another account: %v", err)
		}
		if err := f.svc.DeleteUser(ctx, f.acct.ID, otherAdmin.ID); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("DeleteUser of another account: %v", err)
		}
		tok, _, err := f.svc.CreateToken(ctx, other.ID, otherAdmin.ID, auth.NewToken{Name: "theirs"})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RevokeToken(ctx, f.acct.ID, tok.ID); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("RevokeToken of another account: %v", err)
		}
		if _, _, err := f.svc.CreateToken(ctx, f.acct.ID, otherAdmin.ID, auth.NewToken{}); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("CreateToken for another account's user: %v", err)
		}
		users, _ := f.svc.Users(ctx, f.acct.ID)
		tokens, _ := f.svc.Tokens(ctx, f.acct.ID)
		if len(users) != 1 || len(tokens) != 0 {
			t.Errorf("account A sees %d users and %d tokens; want 1 and 0", len(users), len(tokens))
		}
		after, _ := f.svc.User(ctx, other.ID, otherAdmin.ID)
		if after.Name == name {
			t.Error("account A renamed account B's user")
		}
	})
}

func TestUserRules(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		_, err := f.svc.CreateUser(ctx, f.acct.ID, auth.NewUser{Email: "ADMIN@acme.test", Password: adminPassword})
		if !errors.Is(err, problem.ErrConflict) {
			t.Errorf("duplicate email in another case: %v; want ErrConflict", err)
		}
		_, err = f.svc.CreateUser(ctx, f.acct.ID, auth.NewUser{Email: "not an email", Password: "short",
			Permissions: []auth.Permission{"root"}})
		var inv *problem.InvalidError
		if !errors.As(err, &inv) || len(inv.Fields) != 3 {
			t.Errorf("bad user: %v; want three problems (email, password, permission)", err)
		}
		none := []auth.Permission{}
		if _, err := f.svc.UpdateUser(ctx, f.acct.ID, f.admin.ID, auth.UserUpdate{Permissions: &none}); !errors.Is(err, problem.ErrConflict) {
			t.Errorf("demoting the last super admin: %v; want ErrConflict", err)
		}
		if err := f.svc.DeleteUser(ctx, f.acct.ID, f.admin.ID); !errors.Is(err, problem.ErrConflict) {
			t.Errorf("deleting the last super admin: %v; want ErrConflict", err)
		}
		viewer, err := f.svc.CreateUser(ctx, f.acct.ID, auth.NewUser{Email: "viewer@acme.test", Password: adminPassword,
			Permissions: []auth.Permission{auth.PermViewPayments}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.DeleteUser(ctx, f.acct.ID, viewer.ID); err != nil {
			t.Errorf("deleting a viewer: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		viewer, err := f.svc.CreateUser(ctx, f.acct.ID, auth.NewUser{Email: "viewer@acme.test", Password: adminPassword,
			Permissions: []auth.Permission{auth.PermViewPayments}})
		if err != nil {
			t.Fatal(err)
		}
		tok, secret, err := f.svc.CreateToken(ctx, f.acct.ID, viewer.ID, auth.NewToken{Name: "ci", ExpiresIn: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, auth.TokenPrefix) || strings.Contains(strings.Join(scopeNames(tok.Scopes), " "), "refund") {
			t.Fatalf("token %q with scopes %v", secret, tok.Scopes)
		}
		p, err := f.svc.AuthenticateToken(ctx, secret)
		if err != nil || p.AccountID != f.acct.ID || !p.Can(auth.ScopePaymentsRead) || p.Can(auth.ScopePaymentsRefund) {
			t.Fatalf("AuthenticateToken = %+v, %v", p, err)
		}
		if _, _, err := f.svc.CreateToken(ctx, f.acct.ID, viewer.ID, auth.NewToken{Scopes: []auth.Scope{auth.ScopePaymentsRefund}}); err == nil {
			t.Error("a viewer created a token with the refund scope")
		}
		if _, _, err := f.svc.CreateToken(ctx, f.acct.ID, viewer.ID, auth.NewToken{Scopes: []auth.Scope{"crm.everything"}}); err == nil {
			t.Error("a token with an unknown scope was created")
		}
		f.clock.Advance(2 * time.Hour)
		if _, err := f.svc.AuthenticateToken(ctx, secret); !errors.Is(err, problem.ErrUnauthenticated) || !strings.Contains(err.Error(), "expired") {
			t.Errorf("expired token: %v", err)
		}
		_, secret2, _ := f.svc.CreateToken(ctx, f.acct.ID, f.admin.ID, auth.NewToken{Name: "admin"})
		tokens, _ := f.svc.Tokens(ctx, f.acct.ID)
		if err := f.svc.RevokeToken(ctx, f.acct.ID, tokens[len(tokens)-1].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateToken(ctx, secret2); !errors.Is(err, problem.ErrUnauthenticated) || !strings.Contains(err.Error(), "revoked") {
			t.Errorf("revoked token: %v", err)
		}
		if _, err := f.svc.AuthenticateToken(ctx, auth.TokenPrefix+"made-up"); !errors.Is(err, problem.ErrUnauthenticated) {
			t.Errorf("unknown token: %v", err)
		}
	})
}

func TestPermissionLossReachesTokens(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		mgr, _ := f.svc.CreateUser(ctx, f.acct.ID, auth.NewUser{Email: "mgr@acme.test", Password: adminPassword,
			Permissions: []auth.Permission{auth.PermManagePayments}})
		_, secret, err := f.svc.CreateToken(ctx, f.acct.ID, mgr.ID, auth.NewToken{})
		if err != nil {
			t.Fatal(err)
		}
		perms := []auth.Permission{auth.PermViewPayments}
		if _, err := f.svc.UpdateUser(ctx, f.acct.ID, mgr.ID, auth.UserUpdate{Permissions: &perms}); err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.AuthenticateToken(ctx, secret)
		if err != nil || p.Can(auth.ScopePaymentsRefund) || !p.Can(auth.ScopePaymentsRead) {
			t.Fatalf("after losing manage_payments: can refund=%v, read=%v, err=%v",
				p.Can(auth.ScopePaymentsRefund), p.Can(auth.ScopePaymentsRead), err)
		}
	})
}

func TestSessions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		for _, bad := range []struct{ email, pw string }{{"admin@acme.test", "wrong password"}, {"nobody@acme.test", adminPassword}} {
			if _, _, err := f.svc.Login(ctx, bad.email, bad.pw); !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("Login(%s): %v; want ErrBadCredentials", bad.email, err)
			}
		}
		secret, p, err := f.svc.Login(ctx, "ADMIN@acme.test", adminPassword)
		if err != nil || p.UserID != f.admin.ID || p.CSRFToken == "" {
			t.Fatalf("Login = %+v, %v", p, err)
		}
		if got, err := f.svc.Session(ctx, secret); err != nil || got.UserID != f.admin.ID || got.CSRFToken != p.CSRFToken {
			t.Fatalf("Session = %+v, %v", got, err)
		}
		f.clock.Advance(auth.SessionTTL)
		if _, err := f.svc.Session(ctx, secret); !errors.Is(err, problem.ErrUnauthenticated) {
			t.Errorf("expired session: %v", err)
		}
		if n, err := f.svc.DeleteExpiredSessions(ctx); err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
		}
		secret, _, _ = f.svc.Login(ctx, "admin@acme.test", adminPassword)
		newPw := "another long password"
		if _, err := f.svc.UpdateUser(ctx, f.acct.ID, f.admin.ID, auth.UserUpdate{Password: &newPw}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Session(ctx, secret); !errors.Is(err, problem.ErrUnauthenticated) {
			t.Errorf("session after a password change: %v; want it ended", err)
		}
		secret, _, err = f.svc.Login(ctx, "admin@acme.test", newPw)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Logout(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Session(ctx, secret); !errors.Is(err, problem.ErrUnauthenticated) {
			t.Errorf("session after logout: %v", err)
		}
	})
}

func scopeNames(scopes []auth.Scope) []string {
	out := make([]string, len(scopes))
	for i, s := range scopes {
		out[i] = string(s)
	}
	return out
}

// TestTheRequestKeepsItsAccount checks that authenticating a request brings the token's
// account along, whole, and that Account answers with that copy for that account only.
func TestTheRequestKeepsItsAccount(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		_, secret, err := f.svc.CreateToken(ctx, f.acct.ID, f.admin.ID, auth.NewToken{Name: "ci"})
		if err != nil {
			t.Fatal(err)
		}
		p, reqCtx, err := f.svc.AuthenticateRequest(ctx, secret)
		if err != nil || p.AccountID != f.acct.ID {
			t.Fatalf("AuthenticateRequest = %+v, %v", p, err)
		}
		carried, err := f.svc.Account(reqCtx, f.acct.ID)
		if err != nil {
			t.Fatal(err)
		}
		read, _ := f.svc.Account(ctx, f.acct.ID)
		if fmt.Sprintf("%+v", carried) != fmt.Sprintf("%+v", read) || len(carried.Currencies) == 0 {
			t.Fatalf("the request's account %+v differs from the stored %+v", carried, read)
		}
		name := "Acme Renamed"
		if _, err := f.svc.UpdateAccount(ctx, f.acct.ID, auth.AccountUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if a, _ := f.svc.Account(reqCtx, f.acct.ID); a.Name != "Acme" {
			t.Errorf("the request read its account again: %q", a.Name)
		}
		if a, _ := f.svc.Account(ctx, f.acct.ID); a.Name != name {
			t.Errorf("a read outside the request: %q", a.Name)
		}
		other, _ := f.otherAccount(t)
		if a, err := f.svc.Account(reqCtx, other.ID); err != nil || a.ID != other.ID || a.Name != "Other" {
			t.Errorf("another account under the request's context: %+v, %v", a, err)
		}
		if _, ctx2, err := f.svc.AuthenticateRequest(ctx, auth.TokenPrefix+"made-up"); !errors.Is(err, problem.ErrUnauthenticated) {
			t.Errorf("unknown token: %v", err)
		} else if _, err := f.svc.Account(ctx2, f.acct.ID); err != nil {
			t.Errorf("an unauthenticated context: %v", err)
		}
	})
}
