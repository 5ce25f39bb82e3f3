package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestFormsWithoutTheirCSRFTokenAreRefused(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		cases := []struct {
			name   string
			action string
			form   url.Values
			// token returns the csrf_token field to send; "" sends none.
			token func(d *dashboard) string
			// unchanged checks that nothing was written.
			unchanged func(t *testing.T, d *dashboard)
		}{
			{name: "account settings without a token", action: "/settings",
				form:      url.Values{"name": {"Hijacked"}},
				token:     func(*dashboard) string { return "" },
				unchanged: accountNamed(a, "My business")},
			{name: "account settings with a wrong token", action: "/settings",
				form:      url.Values{"name": {"Hijacked"}},
				token:     func(*dashboard) string { return "not-the-token" },
				unchanged: accountNamed(a, "My business")},
			{name: "account settings with another session's token", action: "/settings",
				form: url.Values{"name": {"Hijacked"}},
				token: func(*dashboard) string {
					return signedIn(t, a, a.Admin.Email).csrf("/settings")
				},
				unchanged: accountNamed(a, "My business")},
			{name: "add a user with a wrong token", action: "/settings/users",
				form: url.Values{"email": {"mallory@acme.test"}, "password": {"long-enough-password"},
					"permissions": {"super_admin"}},
				token: func(*dashboard) string { return "x" },
				unchanged: func(t *testing.T, _ *dashboard) {
					users, err := a.Auth.Users(ctx, a.Account.ID)
					if err != nil || len(users) != 1 {
						t.Errorf("users: %d, %v; want the admin alone", len(users), err)
					}
				}},
			{name: "sign out with a wrong token", action: "/logout",
				token: func(*dashboard) string { return "x" },
				unchanged: func(t *testing.T, d *dashboard) {
					if _, err := a.Auth.Session(ctx, d.cookie("settle_session")); err != nil {
						t.Errorf("the session ended: %v", err)
					}
				}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d := signedIn(t, a, a.Admin.Email)
				form := cloneValues(tc.form)
				if tok := tc.token(d); tok != "" {
					form.Set("csrf_token", tok)
				}
				res, body := d.post(tc.action, form)
				wantStatus(t, res, body, http.StatusForbidden)
				wantContains(t, body, "This form has expired")
				tc.unchanged(t, d)
			})
		}
	})
}

func TestLoginFormNeedsItsCSRFCookie(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		form := url.Values{"email": {a.Admin.Email}, "password": {apptest.AdminPassword}}
		cases := []struct {
			name  string
			field string
			// fetch opens the login page first, which sets the CSRF cookie.
			fetch bool
		}{
			{name: "no cookie, no field"},
			{name: "a field but no cookie", field: "made-up-token-made-up-token-made-up"},
			{name: "a cookie but no field", fetch: true},
			{name: "a cookie and another field", fetch: true, field: "made-up-token-made-up-token-made-up"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d := newDashboard(t, a)
				if tc.fetch {
					d.get("/login")
				}
				f := cloneValues(form)
				if tc.field != "" {
					f.Set("csrf_token", tc.field)
				}
				res, body := d.post("/login", f)
				wantStatus(t, res, body, http.StatusForbidden)
				if d.cookie("settle_session") != "" {
					t.Error("a session was opened")
				}
			})
		}
	})
}

// accountNamed checks that the app's account is still called name.
func accountNamed(a *apptest.App, name string) func(t *testing.T, d *dashboard) {
	return func(t *testing.T, _ *dashboard) {
		t.Helper()
		acct, err := a.Auth.Account(context.Background(), a.Account.ID)
		if err != nil || acct.Name != name {
			t.Errorf("account name %q (%v), want %q", acct.Name, err, name)
		}
	}
}
