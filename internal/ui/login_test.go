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

func TestLogin(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		cases := []struct {
			name, email, password, next string
			wantStatus                  int
			wantLocation                string
			wantContent                 []string
		}{
			{name: "right password", email: a.Admin.Email, password: apptest.AdminPassword,
				wantStatus: http.StatusSeeOther, wantLocation: "/"},
			{name: "email in another case", email: "ADMIN@acme.test", password: apptest.AdminPassword,
				wantStatus: http.StatusSeeOther, wantLocation: "/"},
			{name: "back to the page asked for", email: a.Admin.Email, password: apptest.AdminPassword,
				next: "/settings/users?x=1", wantStatus: http.StatusSeeOther, wantLocation: "/settings/users?x=1"},
			{name: "next to another site is ignored", email: a.Admin.Email, password: apptest.AdminPassword,
				next: "//evil.example/phish", wantStatus: http.StatusSeeOther, wantLocation: "/"},
			{name: "absolute next is ignored", email: a.Admin.Email, password: apptest.AdminPassword,
				next: "https://evil.example/", wantStatus: http.StatusSeeOther, wantLocation: "/"},
			{name: "wrong password", email: a.Admin.Email, password: "not-the-password",
				wantStatus: http.StatusUnauthorized, wantContent: []string{"Invalid email or password", `value="admin@acme.test"`}},
			{name: "unknown email", email: "nobody@acme.test", password: apptest.AdminPassword,
				wantStatus: http.StatusUnauthorized, wantContent: []string{"Invalid email or password", `value="nobody@acme.test"`}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				d := newDashboard(t, a)
				res, body := d.login(tc.email, tc.password, tc.next)
				wantStatus(t, res, body, tc.wantStatus)
				if tc.wantLocation != "" {
					wantRedirect(t, res, body, tc.wantLocation)
				}
				wantContains(t, body, tc.wantContent...)
				wantLacks(t, body, tc.password)
				if signed := d.cookie("settle_session") != ""; signed != (tc.wantStatus == http.StatusSeeOther) {
					t.Errorf("session cookie set: %v", signed)
				}
			})
		}
	})
}

func TestSessionCookie(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := newDashboard(t, a)
		res, body := d.login(a.Admin.Email, apptest.AdminPassword, "")
		wantStatus(t, res, body, http.StatusSeeOther)
		var session *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == "settle_session" {
				session = c
			}
		}
		if session == nil {
			t.Fatal("no settle_session cookie")
		}
		if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.MaxAge != 7*24*3600 {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, MaxAge one week", session)
		}
		if session.Secure {
			t.Error("cookie is Secure although Settle is served over http")
		}
		p, err := a.Auth.Session(context.Background(), session.Value)
		if err != nil || p.UserID != a.Admin.ID {
			t.Errorf("the cookie opens no session of the admin: %v", err)
		}
	})
}

func TestSignedOutPagesGoToLogin(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := newDashboard(t, a)
		for _, path := range []string{"/", "/payments", "/disputes", "/settings", "/settings/users",
			"/settings/api-tokens", "/settings/users/1", "/mailbox?page=2"} {
			t.Run(path, func(t *testing.T) {
				res, body := d.get(path)
				want := "/login?next=" + url.QueryEscape(path)
				if path == "/" {
					want = "/login"
				}
				wantRedirect(t, res, body, want)
			})
		}
		t.Run("a stale session cookie", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, a.URL+"/settings", nil)
			req.AddCookie(&http.Cookie{Name: "settle_session", Value: "sess_forged"})
			res, body := d.do(req)
			wantRedirect(t, res, body, "/login?next=%2Fsettings")
		})
	})
}

func TestLogoutEndsTheSession(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		secret := d.cookie("settle_session")
		res, body := d.submit("/", "/logout", nil)
		wantRedirect(t, res, body, "/login")
		if d.cookie("settle_session") != "" {
			t.Error("the session cookie was not cleared")
		}
		if _, err := a.Auth.Session(context.Background(), secret); err == nil {
			t.Error("the session still opens after signing out")
		}
		req, _ := http.NewRequest(http.MethodGet, a.URL+"/settings", nil)
		req.AddCookie(&http.Cookie{Name: "settle_session", Value: secret})
		res, body = newDashboard(t, a).do(req)
		wantRedirect(t, res, body, "/login?next=%2Fsettings")
	})
}

func TestLoginPageWhenSignedIn(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		res, body := d.get("/login?next=%2Fpayouts")
		wantRedirect(t, res, body, "/payouts")
	})
}
