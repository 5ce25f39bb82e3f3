package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestAccountsAreIsolated(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		acctB, adminB, tokenB := a.OtherAccount(t, "neighbour@other.test")
		userB, err := a.Auth.CreateUser(ctx, acctB.ID, auth.NewUser{Email: "staff@other.test",
			Password: apptest.AdminPassword, Permissions: []auth.Permission{auth.PermViewPayments}})
		if err != nil {
			t.Fatal(err)
		}
		tokensB, err := a.Auth.Tokens(ctx, acctB.ID)
		if err != nil || len(tokensB) != 1 {
			t.Fatalf("B's tokens: %v, %v", tokensB, err)
		}
		d := signedIn(t, a, a.Admin.Email)
		userPage := fmt.Sprintf("/settings/users/%d", userB.ID)
		cases := []struct {
			name, method, path string
			form               url.Values
		}{
			{name: "open B's user", method: "GET", path: userPage},
			{name: "open the removal of B's admin", method: "GET", path: fmt.Sprintf("/settings/users/%d/delete", adminB.ID)},
			{name: "change B's user", method: "POST", path: userPage,
				form: url.Values{"name": {"Owned"}, "permissions": {"", "super_admin"}}},
			{name: "remove B's user", method: "POST", path: userPage + "/delete"},
			{name: "revoke B's token", method: "POST", path: fmt.Sprintf("/settings/api-tokens/%d/revoke", tokensB[0].ID)},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var res *http.Response
				var body string
				if tc.method == "GET" {
					res, body = d.get(tc.path)
				} else {
					res, body = d.submit("/settings/users", tc.path, tc.form)
				}
				wantStatus(t, res, body, http.StatusNotFound)
				wantContains(t, body, "Page not found")
				wantLacks(t, body, "staff@other.test", "neighbour@other.test")
			})
		}
		if u, err := a.Auth.User(ctx, acctB.ID, userB.ID); err != nil || u.Name != "" || u.Permissions.Has(auth.PermSuperAdmin) {
			t.Errorf("B's user is now %+v, %v", u, err)
		}
		if _, err := a.Auth.AuthenticateToken(ctx, tokenB); err != nil {
			t.Errorf("B's token stopped working: %v", err)
		}
		for _, page := range []string{"/settings/users", "/settings/api-tokens", "/"} {
			_, body := d.get(page)
			wantLacks(t, body, "staff@other.test", "neighbour@other.test", tokensB[0].Prefix, "Neighbour")
		}
	})
}
