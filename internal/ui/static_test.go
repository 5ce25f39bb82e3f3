package ui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestStaticFiles(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := newDashboard(t, a)
		_, login := d.get("/login")
		cases := []struct {
			name, file, wantType, wantText string
		}{
			{name: "stylesheet", file: "settle.css", wantType: "text/css; charset=utf-8", wantText: ":focus-visible"},
			{name: "script", file: "settle.js", wantType: "text/javascript; charset=utf-8", wantText: "data-confirm"},
			{name: "icons", file: "icons.svg", wantType: "image/svg+xml", wantText: `<symbol id="payments"`},
			{name: "favicon", file: "favicon.svg", wantType: "image/svg+xml", wantText: "<svg"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				url := regexp.MustCompile(`/static/` + regexp.QuoteMeta(tc.file) + `\?v=[0-9a-f]+`).FindString(login)
				if url == "" && tc.file != "icons.svg" {
					t.Fatalf("the login page does not link %s", tc.file)
				}
				if url == "" {
					url = "/static/" + tc.file
				}
				res, body := d.get(url)
				wantStatus(t, res, body, http.StatusOK)
				if got := res.Header.Get("Content-Type"); got != tc.wantType {
					t.Errorf("Content-Type %q, want %q", got, tc.wantType)
				}
				wantContains(t, body, tc.wantText)
				if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("ETag") == "" {
					t.Errorf("headers %v: want nosniff and an ETag", res.Header)
				}
				wantCache := "public, no-cache"
				if strings.Contains(url, "?v=") {
					wantCache = "public, max-age=31536000, immutable"
				}
				if got := res.Header.Get("Cache-Control"); got != wantCache {
					t.Errorf("Cache-Control %q, want %q", got, wantCache)
				}
				res, body = d.get(url, "If-None-Match", res.Header.Get("ETag"))
				wantStatus(t, res, body, http.StatusNotModified)
			})
		}
		for _, missing := range []string{"/static/", "/static/nope.css", "/static/templates/login.html"} {
			res, body := d.get(missing)
			wantStatus(t, res, body, http.StatusNotFound)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		anonymous := newDashboard(t, a)
		admin := signedIn(t, a, a.Admin.Email)
		for _, tc := range []struct {
			name string
			d    *dashboard
			path string
		}{{"login", anonymous, "/login"}, {"overview", admin, "/"}, {"not found", admin, "/settings/users/999999"}} {
			t.Run(tc.name, func(t *testing.T) {
				res, _ := tc.d.get(tc.path)
				want := map[string]string{
					"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
					"Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8",
				}
				for k, v := range want {
					if got := res.Header.Get(k); got != v {
						t.Errorf("%s: %q, want %q", k, got, v)
					}
				}
				csp := res.Header.Get("Content-Security-Policy")
				for _, part := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
					if !strings.Contains(csp, part) {
						t.Errorf("Content-Security-Policy %q lacks %q", csp, part)
					}
				}
				if strings.Contains(csp, "unsafe-inline") {
					t.Errorf("Content-Security-Policy %q allows inline code", csp)
				}
			})
		}
	})
}
