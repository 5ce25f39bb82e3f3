package schedule

import (
	"context"
	"database/sql"

	"github.com/settlehq/settle/internal/clock"
)

// Advanced is what advancing a test clock did: the clock's new state and how much due
// work ran before the answer.
type Advanced struct {
	Clock clock.TestClock
	Ran   int
}

// TestClock returns account's clock.
func (s *Schedule) TestClock(ctx context.Context, accountID int64) (clock.TestClock, error) {
	return s.clocks.Get(ctx, s.db.Reader(ctx), accountID)
}

// clockIn reads account's clock in a transaction, which joins the caller's when there is one.
func (s *Schedule) clockIn(ctx context.Context, accountID int64) (clock.TestClock, error) {
	var c clock.TestClock
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = s.clocks.Get(ctx, tx, accountID)
		return err
	})
	return c, err
}

// Advance moves account's test clock forward, then runs, in due order, everything that falls
// due up to its new time. Refused moves (live mode, backwards) write nothing. When due work
// fails the clock stays advanced; the failure is returned and the work is retried later.
func (s *Schedule) Advance(ctx context.Context, accountID int64, adv clock.Advance) (Advanced, error) {
	var out Advanced
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		c, err := s.clocks.Advance(ctx, tx, accountID, adv)
		out.Clock = c
		return err
	})
	if err != nil {
		return Advanced{}, err
	}
	out.Ran, err = s.RunDue(ctx, accountID)
	if err != nil {
		return out, err
	}
	out.Clock, err = s.clockIn(ctx, accountID)
	return out, err
}
