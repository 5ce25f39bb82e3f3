package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

var tokenSecret = regexp.MustCompile(`id="new-token"[^>]*value="(stl_[A-Za-z0-9_-]+)"`)

func TestCreateTokenShowsItsSecretOnce(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		d := signedIn(t, a, a.Admin.Email)
		res, body := d.submit("/settings/api-tokens", "/settings/api-tokens", url.Values{"name": {"Accounting sync"},
			"expires_in_days": {"30"}, "scopes": {string(auth.ScopeAccountRead), string(auth.ScopeUsersRead)}})
		wantStatus(t, res, body, http.StatusCreated)
		m := tokenSecret.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no secret on the page: %s", body)
		}
		wantContains(t, body, "Token “Accounting sync” created", "will not show it again", `data-copy="new-token"`)
		p, err := a.Auth.AuthenticateToken(ctx, m[1])
		if err != nil || p.UserID != a.Admin.ID || !p.Can(auth.ScopeUsersRead) || p.Can(auth.ScopeUsersWrite) {
			t.Fatalf("the shown secret: %+v, %v", p, err)
		}

		_, body = d.get("/settings/api-tokens")
		wantLacks(t, body, m[1])
		wantContains(t, body, "Accounting sync", m[1][:10], "Scopes: 2", "Active")
	})
}

func TestCreateTokenRefusesInvalidForms(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		cases := []struct {
			name    string
			email   string
			form    url.Values
			wantMsg string
		}{
			{name: "no name", email: a.Admin.Email, form: url.Values{"scopes": {string(auth.ScopeAccountRead)}},
				wantMsg: `id="f-name-error">Give the token a name you will recognise.`},
			{name: "no scope", email: a.Admin.Email, form: url.Values{"name": {"Empty"}},
				wantMsg: `id="f-scopes-error">Choose at least one scope.`},
			{name: "expiry not a number", email: a.Admin.Email,
				form:    url.Values{"name": {"Soon"}, "expires_in_days": {"soon"}, "scopes": {string(auth.ScopeAccountRead)}},
				wantMsg: `id="f-expires-in-days-error">Enter a number of days from 1 to 3650`},
			{name: "a scope beyond the user's permissions", email: "viewer@acme.test",
				form:    url.Values{"name": {"Wide"}, "scopes": {string(auth.ScopeUsersWrite)}},
				wantMsg: `id="f-scopes-error">Your permissions do not allow one of the chosen scopes.`},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d := signedIn(t, a, tc.email)
				before, _ := a.Auth.Tokens(context.Background(), a.Account.ID)
				res, body := d.submit("/settings/api-tokens", "/settings/api-tokens", tc.form)
				wantStatus(t, res, body, http.StatusBadRequest)
				wantContains(t, body, tc.wantMsg)
				wantLacks(t, body, `id="new-token"`)
				if after, _ := a.Auth.Tokens(context.Background(), a.Account.ID); len(after) != len(before) {
					t.Errorf("%d tokens, want %d", len(after), len(before))
				}
			})
		}
	})
}

func TestTokenScopesOfferedFollowPermissions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		_, body := signedIn(t, a, "viewer@acme.test").get("/settings/api-tokens")
		wantContains(t, body, `value="`+string(auth.ScopePaymentsRead)+`"`, `value="`+string(auth.ScopeAccountRead)+`"`)
		wantLacks(t, body, `value="`+string(auth.ScopeUsersWrite)+`"`, `value="`+string(auth.ScopePaymentsRefund)+`"`)
	})
}

func TestRevokeToken(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		viewer, viewerToken := a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		tokens, _ := a.Auth.Tokens(ctx, a.Account.ID)
		ids := map[int64]int64{}
		for _, tok := range tokens {
			ids[tok.UserID] = tok.ID
		}
		d := signedIn(t, a, "viewer@acme.test")

		_, body := d.get("/settings/api-tokens")
		if n := strings.Count(body, "/revoke\""); n != 1 {
			t.Errorf("the viewer sees %d revocable tokens, want their own", n)
		}
		res, body := d.submit("/settings/api-tokens", fmt.Sprintf("/settings/api-tokens/%d/revoke", ids[a.Admin.ID]), nil)
		wantStatus(t, res, body, http.StatusNotFound)
		if _, err := a.Auth.AuthenticateToken(ctx, a.Token); err != nil {
			t.Errorf("the admin's token was revoked by the viewer: %v", err)
		}

		own := fmt.Sprintf("/settings/api-tokens/%d/revoke", ids[viewer.ID])
		for range 2 {
			res, body = d.submit("/settings/api-tokens", own, nil)
			wantRedirect(t, res, body, "/settings/api-tokens?notice=token_revoked")
		}
		if _, err := a.Auth.AuthenticateToken(ctx, viewerToken); err == nil {
			t.Error("the revoked token still works")
		}
		_, body = d.get("/settings/api-tokens?notice=token_revoked")
		wantContains(t, body, "The API token was revoked.", "Revoked")

		_, body = signedIn(t, a, a.Admin.Email).get("/settings/api-tokens")
		wantContains(t, body, "viewer@acme.test", a.Admin.Email)
	})
}
