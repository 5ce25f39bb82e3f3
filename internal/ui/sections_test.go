package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestSectionsSayTheyHaveNoRecordsYet(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		cases := []struct{ path, heading, empty string }{
			{"/disputes", "Disputes", "There are no disputes yet."},
			{"/payouts", "Payouts", "There are no payouts yet."},
			{"/reports", "Reports", "There are no reports yet."},
			{"/workflows", "Workflows", "There are no workflows yet."},
			{"/segments", "Segments", "There are no segments yet."},
			{"/mailbox", "Mailbox", "There are no messages yet."},
		}
		for _, tc := range cases {
			t.Run(tc.path, func(t *testing.T) {
				res, body := d.get(tc.path)
				wantStatus(t, res, body, http.StatusOK)
				wantContains(t, body, "<h1>"+tc.heading+"</h1>", tc.empty,
					`<a href="`+tc.path+`" aria-current="page">`)
				if n := strings.Count(body, `aria-current="page"`); n != 1 {
					t.Errorf("%d navigation items marked current, want 1", n)
				}
			})
		}
	})
}

func TestShellShowsAccountAndUser(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		res, body := signedIn(t, a, a.Admin.Email).get("/")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, `<span class="account-name">My business</span>`, `class="badge badge-test"`,
			a.Admin.Email, `action="/logout"`, `<a class="skip-link" href="#main">`, `<main id="main"`,
			`<nav class="sidebar" aria-label="Main navigation">`)
		for _, item := range []string{"Payments", "Disputes", "Payouts", "Reports", "Contacts", "Companies", "Deals", "Workflows", "Segments",
			"Settings", "Mailbox"} {
			wantContains(t, body, "<span>"+item+"</span>")
		}
	})
}
