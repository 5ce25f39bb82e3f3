package db

import (
	"context"
	"time"
)

// On PostgreSQL, write transactions take slots: at most half as many run at once as the pool
// has connections, and the others wait in line, first come first served. On two cores, 32
// backends in transactions at once take turns on the CPU while they hold their row locks;
// half as many get as much done, and the requests in line wait less at the tail
// (docs/performance.md). Reads outside a transaction take no slot, so they always find a
// connection while every slot is taken.
//
// A wait is bounded: a transaction that has waited slotWait begins without a slot. A path
// that began a second transaction while holding the first's slot, with every slot taken the
// same way, is then slowed, never stopped.

// slots bounds the transactions that run at once.
type slots chan struct{}

// slotWait is how long a transaction waits for a slot before it begins without one.
const slotWait = time.Second

// newSlots returns n slots, at least one.
func newSlots(n int) slots { return make(slots, max(n, 1)) }

// take waits for a slot and returns what gives it back. It fails only when ctx ends first.
func (s slots) take(ctx context.Context) (release func(), err error) {
	select {
	case s <- struct{}{}:
		return s.give, nil
	default:
	}
	wait := time.NewTimer(slotWait)
	defer wait.Stop()
	select {
	case s <- struct{}{}:
		return s.give, nil
	case <-wait.C:
		return func() {}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// give gives a slot back.
func (s slots) give() { <-s }
