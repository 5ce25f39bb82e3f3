package ui

import (
	"context"
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/schedule"
)

// TestClocks reads and advances accounts' test clocks; advancing runs what falls due.
type TestClocks interface {
	TestClock(ctx context.Context, accountID int64) (clock.TestClock, error)
	Advance(ctx context.Context, accountID int64, adv clock.Advance) (schedule.Advanced, error)
}

// testClockData is the test clock panel: the account's time and how far it was moved.
type testClockData struct {
	Clock      clock.TestClock
	AdvancedBy string
}

// testClockPage shows the account's clock and, in test mode, a form to move it forward.
func (u *UI) testClockPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	return u.renderTestClock(w, r, v, newForm(nil), http.StatusOK)
}

func (u *UI) renderTestClock(w http.ResponseWriter, r *http.Request, v *visit, f *form, status int) error {
	c, err := u.deps.TestClocks.TestClock(r.Context(), v.Principal.AccountID)
	if err != nil {
		return err
	}
	return u.render(w, r, v, view{name: "settings_test_clock", Status: status, Title: "settings.test_clock.title",
		Section: "/settings", Form: f, Data: testClockData{Clock: c, AdvancedBy: c.AdvancedBy.Truncate(time.Second).String()}})
}

// advanceTestClock moves the clock by the duration typed, after which everything that fell
// due has run; a refused move shows why on the form.
func (u *UI) advanceTestClock(w http.ResponseWriter, r *http.Request, v *visit) error {
	if !v.Principal.Has(auth.PermManageSettings) {
		return problem.Forbidden("moving the test clock needs %s", auth.PermManageSettings)
	}
	f := newForm(r.PostForm)
	adv, err := clock.ParseAdvance("", f.Value("by"))
	if err == nil {
		_, err = u.deps.TestClocks.Advance(r.Context(), v.Principal.AccountID, adv)
	}
	if status, ok := u.formFailure(v.Lang, "test_clock", f, err, ""); ok {
		return u.renderTestClock(w, r, v, f, status)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/settings/test-clock", "test_clock_advanced")
}
