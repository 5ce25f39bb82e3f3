package api

import (
	"context"
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/schedule"
)

// TestClocks reads and advances accounts' test clocks; advancing runs what falls due.
type TestClocks interface {
	TestClock(ctx context.Context, accountID int64) (clock.TestClock, error)
	Advance(ctx context.Context, accountID int64, adv clock.Advance) (schedule.Advanced, error)
}

// TestClockJSON is an account's clock: its test clock in test mode, the real time live.
type TestClockJSON struct {
	TestMode bool      `json:"test_mode"`
	Now      time.Time `json:"now"`
	// AdvancedBySeconds is how far the test clock runs ahead of the real time.
	AdvancedBySeconds int64 `json:"advanced_by_seconds"`
}

// TestClockAdvance is the body of POST /settle/v1/test-clock/advance: one of to or by.
type TestClockAdvance struct {
	To string `json:"to,omitempty"`
	By string `json:"by,omitempty"`
}

// TestClockAdvancedJSON is the clock after an advance and how much due work ran.
type TestClockAdvancedJSON struct {
	Clock TestClockJSON `json:"clock"`
	Ran   int           `json:"ran"`
}

func (a *API) testClockRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/settle/v1/test-clock", Scope: auth.ScopeAccountRead, Tag: "Test clock",
			Summary: "Read the account's clock", Response: TestClockJSON{}, Status: 200, handle: a.getTestClock},
		{Method: "POST", Path: "/settle/v1/test-clock/advance", Scope: auth.ScopeAccountWrite, Tag: "Test clock",
			Summary: "Move a test-mode account's clock forward and run everything that falls due up to then",
			Request: TestClockAdvance{}, Response: TestClockAdvancedJSON{}, Status: 200, handle: a.advanceTestClock},
	}
}

func (a *API) getTestClock(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	c, err := a.deps.TestClocks.TestClock(r.Context(), p.AccountID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, testClockJSON(c))
	return nil
}

func (a *API) advanceTestClock(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body TestClockAdvance
	if err := decode(r, &body); err != nil {
		return err
	}
	adv, err := clock.ParseAdvance(body.To, body.By)
	if err != nil {
		return err
	}
	out, err := a.deps.TestClocks.Advance(r.Context(), p.AccountID, adv)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TestClockAdvancedJSON{Clock: testClockJSON(out.Clock), Ran: out.Ran})
	return nil
}

func testClockJSON(c clock.TestClock) TestClockJSON {
	return TestClockJSON{TestMode: c.TestMode, Now: c.Now, AdvancedBySeconds: int64(c.AdvancedBy / time.Second)}
}
