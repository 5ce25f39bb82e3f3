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

func TestPagesFollowPermissions(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		a.UserWith(t, "settings@acme.test", auth.PermManageSettings)
		viewer := signedIn(t, a, "viewer@acme.test")
		settings := signedIn(t, a, "settings@acme.test")
		adminPage := fmt.Sprintf("/settings/users/%d", a.Admin.ID)
		cases := []struct {
			name       string
			d          *dashboard
			method     string
			path       string
			form       url.Values
			wantStatus int
			wantText   []string
			noText     []string
		}{
			{name: "a viewer sees the account read-only", d: viewer, method: "GET", path: "/settings",
				wantStatus: http.StatusOK, wantText: []string{"<fieldset class=\"panel\" disabled>", "needs the Manage settings permission"},
				noText: []string{"Save settings"}},
			{name: "a viewer cannot save the account", d: viewer, method: "POST", path: "/settings",
				form: url.Values{"name": {"Taken over"}}, wantStatus: http.StatusForbidden,
				wantText: []string{"You do not have access to this page"}},
			{name: "a viewer cannot open the users", d: viewer, method: "GET", path: "/settings/users",
				wantStatus: http.StatusForbidden},
			{name: "a viewer cannot open a user", d: viewer, method: "GET", path: adminPage,
				wantStatus: http.StatusForbidden},
			{name: "a viewer has no users tab", d: viewer, method: "GET", path: "/settings/api-tokens",
				wantStatus: http.StatusOK, noText: []string{`href="/settings/users"`}},
			{name: "a settings manager sees the users", d: settings, method: "GET", path: "/settings/users",
				wantStatus: http.StatusOK, wantText: []string{a.Admin.Email}, noText: []string{"Add a user", "/delete"}},
			{name: "a settings manager sees a user read-only", d: settings, method: "GET", path: adminPage,
				wantStatus: http.StatusOK, wantText: []string{"Only a super admin can change users."}, noText: []string{"Save user"}},
			{name: "a settings manager cannot add users", d: settings, method: "POST", path: "/settings/users",
				form:       url.Values{"email": {"new@acme.test"}, "password": {"a-long-password"}, "permissions": {"super_admin"}},
				wantStatus: http.StatusForbidden},
			{name: "a settings manager cannot change users", d: settings, method: "POST", path: adminPage,
				form: url.Values{"permissions": {""}}, wantStatus: http.StatusForbidden},
			{name: "a settings manager cannot remove users", d: settings, method: "POST", path: adminPage + "/delete",
				wantStatus: http.StatusForbidden},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var res *http.Response
				var body string
				if tc.method == "GET" {
					res, body = tc.d.get(tc.path)
				} else {
					res, body = tc.d.submit("/settings/api-tokens", tc.path, tc.form)
				}
				wantStatus(t, res, body, tc.wantStatus)
				wantContains(t, body, tc.wantText...)
				wantLacks(t, body, tc.noText...)
			})
		}
		accountNamed(a, "My business")(t, viewer)
		users, _ := a.Auth.Users(context.Background(), a.Account.ID)
		if len(users) != 3 {
			t.Errorf("%d users, want the 3 the test made", len(users))
		}
		if u, _ := a.Auth.User(context.Background(), a.Account.ID, a.Admin.ID); !u.Permissions.Has(auth.PermSuperAdmin) {
			t.Error("the admin lost super admin")
		}
	})
}

func TestSettingsManagerSavesTheAccount(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.UserWith(t, "settings@acme.test", auth.PermManageSettings)
		d := signedIn(t, a, "settings@acme.test")
		form := accountForm()
		form.Set("name", "Managed")
		res, body := d.submit("/settings", "/settings", form)
		wantRedirect(t, res, body, "/settings?notice=saved")
		accountNamed(a, "Managed")(t, d)
	})
}
