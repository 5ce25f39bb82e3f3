package clock

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Accounts tells each account its own time. A live-mode account lives on the base clock;
// a test-mode account on its test clock, which runs with the base clock but ahead of it by
// however far it was advanced. Nothing is kept in memory: the offset is a row, so every
// replica tells the same time.
type Accounts struct {
	base    Clock
	dialect db.Dialect
}

// NewAccounts returns account clocks over base, the system clock in production, for a
// database of dialect.
func NewAccounts(base Clock, dialect db.Dialect) *Accounts {
	return &Accounts{base: base, dialect: dialect}
}

// Base returns the clock account clocks run on.
func (a *Accounts) Base() Clock { return a.base }

// TestClock is an account's clock as the API shows it.
type TestClock struct {
	AccountID int64
	// TestMode is false for a live account, whose time is the system's and cannot move.
	TestMode bool
	// Now is the account's current time.
	Now time.Time
	// AdvancedBy is how far the test clock runs ahead of the system clock.
	AdvancedBy time.Duration
}

// OffsetColumn reads, in a query of the accounts table under the alias a, how far the
// account's test clock was advanced in microseconds; At turns it into the account's time. A
// capability that reads an account anyway learns its time in the same query.
const OffsetColumn = "COALESCE((SELECT c.offset_us FROM test_clocks c WHERE c.account_id = a.id), 0)"

// At returns the clock of an account read with OffsetColumn.
func (a *Accounts) At(accountID int64, testMode bool, offsetUS int64) TestClock {
	if !testMode {
		offsetUS = 0
	}
	d := time.Duration(offsetUS) * time.Microsecond
	return TestClock{AccountID: accountID, TestMode: testMode, Now: a.base.Now().Add(d).UTC(), AdvancedBy: d}
}

// Get returns account's clock, read through q (a transaction or a pool).
func (a *Accounts) Get(ctx context.Context, q db.Querier, accountID int64) (TestClock, error) {
	var testMode bool
	var offset int64
	err := q.QueryRowContext(ctx, `SELECT a.test_mode, `+OffsetColumn+` FROM accounts a WHERE a.id = $1`,
		accountID).Scan(&testMode, &offset)
	if err != nil {
		return TestClock{}, db.NotFoundOr(err, "account %d", accountID)
	}
	return a.At(accountID, testMode, offset), nil
}

// Now returns account's current time: its test clock in test mode, the base clock live.
func (a *Accounts) Now(ctx context.Context, q db.Querier, accountID int64) (time.Time, error) {
	c, err := a.Get(ctx, q, accountID)
	return c.Now, err
}

// Advance says how far to move a test clock: to a moment, or by a duration.
type Advance struct {
	To *time.Time
	By time.Duration
}

// ParseAdvance reads the body of POST /settle/v1/test-clock/advance: exactly one of to (an
// RFC 3339 time) and by (a duration such as "72h", "90m" or "3d").
func ParseAdvance(to, by string) (Advance, error) {
	switch {
	case to != "" && by != "":
		return Advance{}, problem.Invalid("", "ONE_OF", "Give either to (a time) or by (a duration), not both.")
	case to != "":
		t, err := time.Parse(time.RFC3339Nano, to)
		if err != nil {
			return Advance{}, problem.Invalid("to", "INVALID_FORMAT", fmt.Sprintf("%q is not an RFC 3339 time such as 2026-12-29T09:00:00Z.", to))
		}
		t = t.UTC().Truncate(time.Microsecond)
		return Advance{To: &t}, nil
	case by != "":
		d, err := parseDuration(by)
		if err != nil || d <= 0 {
			return Advance{}, problem.Invalid("by", "INVALID_DURATION", fmt.Sprintf("%q is not a positive duration such as 72h, 90m or 3d.", by))
		}
		return Advance{By: d}, nil
	}
	return Advance{}, problem.Invalid("", "REQUIRED", "Give to (an RFC 3339 time) or by (a duration such as 72h).")
}

// parseDuration reads Go durations and whole days written "3d".
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > 36500 {
			return 0, fmt.Errorf("bad days %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// Advance moves account's test clock forward in tx and returns it. A live account, a target
// before the clock's current time, or a zero move is refused and nothing is written.
func (a *Accounts) Advance(ctx context.Context, tx *sql.Tx, accountID int64, adv Advance) (TestClock, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO test_clocks (account_id, offset_us, updated_at)
		SELECT id, 0, $2 FROM accounts WHERE id = $1 AND test_mode ON CONFLICT (account_id) DO NOTHING`,
		accountID, a.base.Now().UTC()); err != nil {
		return TestClock{}, err
	}
	c, err := a.getForUpdate(ctx, tx, accountID)
	if err != nil {
		return TestClock{}, err
	}
	target, err := c.target(adv)
	if err != nil {
		return TestClock{}, err
	}
	c.AdvancedBy += target.Sub(c.Now)
	c.Now = target
	_, err = tx.ExecContext(ctx, `UPDATE test_clocks SET offset_us = $2, updated_at = $3 WHERE account_id = $1`,
		accountID, c.AdvancedBy.Microseconds(), a.base.Now().UTC())
	return c, err
}

func (a *Accounts) getForUpdate(ctx context.Context, tx *sql.Tx, accountID int64) (TestClock, error) {
	var lock int64
	err := tx.QueryRowContext(ctx, `SELECT offset_us FROM test_clocks WHERE account_id = $1`+a.dialect.ForUpdate(), accountID).Scan(&lock)
	if err != nil && err != sql.ErrNoRows {
		return TestClock{}, err
	}
	return a.Get(ctx, tx, accountID)
}

// target returns where adv moves c, or why it cannot.
func (c TestClock) target(adv Advance) (time.Time, error) {
	if !c.TestMode {
		return time.Time{}, problem.Invalid("", "LIVE_MODE",
			"This account is in live mode: its time is the real time and has no test clock to advance.")
	}
	if adv.To == nil {
		return c.Now.Add(adv.By).Truncate(time.Microsecond), nil
	}
	if !adv.To.After(c.Now) {
		return time.Time{}, problem.Invalid("to", "BACKWARDS", fmt.Sprintf(
			"A test clock only moves forward: %s is not after its current time %s.",
			adv.To.Format(time.RFC3339), c.Now.Format(time.RFC3339)))
	}
	return *adv.To, nil
}
