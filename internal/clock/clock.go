// Package clock gives Settle its sense of time. Nothing reads the wall clock directly: a
// Clock is passed in, so that tests and test-mode accounts can control what "now" is.
package clock

import "time"

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// System is the wall clock, in UTC.
type System struct{}

// Now returns the current wall-clock time in UTC, truncated to microseconds so that values
// survive a round trip through PostgreSQL unchanged.
func (System) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Fixed is a clock that always tells the same time, for tests; Advance moves it.
type Fixed struct {
	T time.Time
}

// Now returns the fixed time.
func (f *Fixed) Now() time.Time { return f.T }

// Advance moves the fixed time forward by d.
func (f *Fixed) Advance(d time.Duration) { f.T = f.T.Add(d) }
