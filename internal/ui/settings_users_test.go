package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestAddUser(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		a.UserWith(t, "taken@acme.test")
		cases := []struct {
			name        string
			form        url.Values
			wantStatus  int
			wantContent []string
			wantUser    bool
		}{
			{name: "a payments manager", form: url.Values{"email": {"pat@acme.test"}, "name": {"Pat"}, "language": {"fr"},
				"password": {"a-long-password"}, "permissions": {"", "manage_payments_and_subscriptions"}},
				wantStatus: http.StatusSeeOther, wantUser: true},
			{name: "an email already used", form: url.Values{"email": {"taken@acme.test"}, "password": {"a-long-password"}},
				wantStatus: http.StatusConflict, wantContent: []string{"A user with this email already exists."}},
			{name: "not an email", form: url.Values{"email": {"pat at acme"}, "password": {"a-long-password"}},
				wantStatus: http.StatusBadRequest, wantContent: []string{`id="f-email-error">Enter an email address`}},
			{name: "a short password", form: url.Values{"email": {"sam@acme.test"}, "password": {"short"}},
				wantStatus:  http.StatusBadRequest,
				wantContent: []string{`id="f-password-error">The password must be between 10 and 256 characters.`}},
			{name: "an unknown permission", form: url.Values{"email": {"lee@acme.test"}, "password": {"a-long-password"},
				"permissions": {"root"}},
				wantStatus: http.StatusBadRequest, wantContent: []string{`id="f-permissions-error">Choose among the permissions offered.`}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.submit("/settings/users", "/settings/users", tc.form)
				wantStatus(t, res, body, tc.wantStatus)
				wantContains(t, body, tc.wantContent...)
				wantLacks(t, body, "a-long-password")
				u, err := a.Auth.UserByEmail(context.Background(), tc.form.Get("email"))
				if created := err == nil && u.AccountID == a.Account.ID && u.Email != "taken@acme.test"; created != tc.wantUser {
					t.Errorf("user %s created: %v", tc.form.Get("email"), created)
				}
			})
		}
		u, err := a.Auth.UserByEmail(context.Background(), "pat@acme.test")
		if err != nil || u.Name != "Pat" || u.Language != "fr" ||
			!slices.Equal(u.Permissions, auth.PermissionSet{auth.PermManagePayments}) {
			t.Errorf("added user %+v, %v", u, err)
		}
		_, body := d.get("/settings/users")
		wantContains(t, body, "pat@acme.test", "Manage payments and subscriptions", "taken@acme.test")
	})
}

func TestEditUser(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		ctx := context.Background()
		viewer, _ := a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		page := fmt.Sprintf("/settings/users/%d", viewer.ID)

		res, body := d.submit(page, page, url.Values{"name": {"Vera"}, "language": {"de"},
			"permissions": {"", "view_payments", "manage_settings"}})
		wantRedirect(t, res, body, "/settings/users?notice=user_updated")
		u, err := a.Auth.User(ctx, a.Account.ID, viewer.ID)
		if err != nil || u.Name != "Vera" || u.Language != "de" || !u.Permissions.Has(auth.PermManageSettings) {
			t.Errorf("edited user %+v, %v", u, err)
		}

		res, body = d.submit(page, page, url.Values{"name": {"Vera"}, "permissions": {""}, "password": {"a-new-password-1"}})
		wantRedirect(t, res, body, "/settings/users?notice=user_updated")
		if _, _, err := a.Auth.Login(ctx, "viewer@acme.test", "a-new-password-1"); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
	})
}

func TestLastSuperAdminStays(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		self := fmt.Sprintf("/settings/users/%d", a.Admin.ID)
		cases := []struct {
			name, page, action string
			form               url.Values
		}{
			{name: "losing super admin", page: self, action: self,
				form: url.Values{"name": {"Administrator"}, "permissions": {"", "manage_settings"}}},
			{name: "being removed", page: self + "/delete", action: self + "/delete"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.submit(tc.page, tc.action, tc.form)
				wantStatus(t, res, body, http.StatusConflict)
				wantContains(t, body, "This is the account&#39;s last super admin. Make another user super admin first.")
				u, err := a.Auth.User(context.Background(), a.Account.ID, a.Admin.ID)
				if err != nil || !u.Permissions.Has(auth.PermSuperAdmin) {
					t.Errorf("the admin is now %+v, %v", u, err)
				}
			})
		}
	})
}

func TestRemoveUser(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		other, token := a.UserWith(t, "leaving@acme.test", auth.PermSuperAdmin)
		page := fmt.Sprintf("/settings/users/%d/delete", other.ID)

		res, body := d.get(page)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Remove leaving@acme.test from the account?")

		res, body = d.submit(page, page, nil)
		wantRedirect(t, res, body, "/settings/users?notice=user_removed")
		if _, err := a.Auth.User(context.Background(), a.Account.ID, other.ID); err == nil {
			t.Error("the user is still there")
		}
		if _, err := a.Auth.AuthenticateToken(context.Background(), token); err == nil {
			t.Error("the removed user's token still works")
		}
		_, body = d.get("/settings/users?notice=user_removed")
		wantContains(t, body, "The user was removed.")
		wantLacks(t, body, "leaving@acme.test")
	})
}
