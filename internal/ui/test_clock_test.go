package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestTestClockPanel(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		res, body := d.get("/settings/test-clock")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "0s ahead of the real time") || !strings.Contains(body, `name="by"`) {
			t.Fatalf("the panel does not show a fresh clock and its form: %s", body)
		}
		res, body = d.submit("/settings/test-clock", "/settings/test-clock", url.Values{"by": {"72h"}})
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = d.get(res.Header.Get("Location"))
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "72h0m0s ahead of the real time") || !strings.Contains(body, "everything that fell due has run") {
			t.Fatalf("after advancing: %s", body)
		}
		res, body = d.submit("/settings/test-clock", "/settings/test-clock", url.Values{"by": {"soon"}})
		wantStatus(t, res, body, http.StatusBadRequest)
		if !strings.Contains(body, "72h0m0s ahead") {
			t.Errorf("a refused move changed the clock: %s", body)
		}
		res, body = d.get("/settings/test-clock?lang=fr")
		wantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Horloge de test") {
			t.Errorf("the French panel is not in French: %s", body)
		}
	})
}

func TestTestClockPanelNeedsManageSettings(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		a.UserWith(t, "viewer@acme.test", auth.PermViewPayments)
		d := signedIn(t, a, "viewer@acme.test")
		res, body := d.get("/settings/test-clock")
		wantStatus(t, res, body, http.StatusOK)
		if strings.Contains(body, `name="by"`) || !strings.Contains(body, "needs the Manage settings permission") {
			t.Fatalf("a viewer is offered the form: %s", body)
		}
		res, body = d.submit("/settings/test-clock", "/settings/test-clock", url.Values{"by": {"72h"}})
		wantStatus(t, res, body, http.StatusForbidden)
		if c, _ := a.Schedule.TestClock(t.Context(), a.Account.ID); c.AdvancedBy != 0 {
			t.Fatalf("a viewer moved the clock by %s", c.AdvancedBy)
		}
	})
}
