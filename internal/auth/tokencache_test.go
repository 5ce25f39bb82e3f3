package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

// TestTokenReadsAreKeptAMoment: a server keeps what it read about a token for a second.
// Changes made through it — a user's permissions, the account, a revocation — reach the
// token's next request at once; expiry is checked at every use; a revocation made through
// another server (another replica) reaches this one within the second.
func TestTokenReadsAreKeptAMoment(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		mgr, err := f.svc.CreateUser(ctx, f.acct.ID, auth.NewUser{Email: "mgr@acme.test", Password: adminPassword,
			Permissions: []auth.Permission{auth.PermManagePayments}})
		if err != nil {
			t.Fatal(err)
		}
		tok, secret, err := f.svc.CreateToken(ctx, f.acct.ID, mgr.ID, auth.NewToken{Name: "ci", ExpiresIn: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if p, err := f.svc.AuthenticateToken(ctx, secret); err != nil || !p.Can(auth.ScopePaymentsRefund) {
			t.Fatalf("a manager's token: can refund %v, %v", p.Can(auth.ScopePaymentsRefund), err)
		}
		perms := []auth.Permission{auth.PermViewPayments}
		if _, err := f.svc.UpdateUser(ctx, f.acct.ID, mgr.ID, auth.UserUpdate{Permissions: &perms}); err != nil {
			t.Fatal(err)
		}
		if p, err := f.svc.AuthenticateToken(ctx, secret); err != nil || p.Can(auth.ScopePaymentsRefund) {
			t.Errorf("right after losing manage_payments: can refund %v, %v", p.Can(auth.ScopePaymentsRefund), err)
		}
		name := "Acme Renamed"
		if _, err := f.svc.UpdateAccount(ctx, f.acct.ID, auth.AccountUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if _, reqCtx, err := f.svc.AuthenticateRequest(ctx, secret); err != nil {
			t.Fatal(err)
		} else if a, _ := f.svc.Account(reqCtx, f.acct.ID); a.Name != name {
			t.Errorf("right after the account was renamed, a request carries %q", a.Name)
		}
		f.clock.Advance(2 * time.Hour)
		if _, err := f.svc.AuthenticateToken(ctx, secret); !errors.Is(err, problem.ErrUnauthenticated) || !strings.Contains(err.Error(), "expired") {
			t.Errorf("a kept token past its expiry: %v", err)
		}
		f.clock.Advance(-2 * time.Hour)
		if err := f.svc.RevokeToken(ctx, f.acct.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.AuthenticateToken(ctx, secret); !errors.Is(err, problem.ErrUnauthenticated) {
			t.Errorf("right after its revocation here: %v", err)
		}
		revokedElsewhere(t, f)
	})
}

// revokedElsewhere: a token revoked through another server over the same database works on
// this one until what this one read is a second old, and no longer.
func revokedElsewhere(t *testing.T, f fixture) {
	t.Helper()
	ctx := context.Background()
	tok, secret, err := f.svc.CreateToken(ctx, f.acct.ID, f.admin.ID, auth.NewToken{Name: "replica"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateToken(ctx, secret); err != nil {
		t.Fatal(err)
	}
	read := time.Now()
	if err := auth.NewService(f.db, f.clock).RevokeToken(ctx, f.acct.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AuthenticateToken(ctx, secret)
	if time.Since(read) < 900*time.Millisecond && err != nil {
		t.Errorf("within the second, this server read the token again: %v", err)
	}
	time.Sleep(time.Second + 100*time.Millisecond - time.Since(read))
	if _, err := f.svc.AuthenticateToken(ctx, secret); !errors.Is(err, problem.ErrUnauthenticated) || !strings.Contains(err.Error(), "revoked") {
		t.Errorf("a second after its revocation elsewhere: %v", err)
	}
}
