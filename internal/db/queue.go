package db

import (
	"context"
	"database/sql"
	"fmt"
)

// SQLite's group runs its callers' writes from a queue. The caller that finds no write
// running leads a transaction: it runs its own write, then those queued meanwhile, one
// after another on its own goroutine, commits, and hands the lead to the first caller still
// queued. Passing the turn from caller to caller instead cost a goroutine wake-up for each
// write, during which the one writer waited: 7 % of its time while recording payments with
// 32 clients, at 28 µs a wake-up on two busy cores (docs/performance.md, fifteenth pass).
// PostgreSQL's lanes pass their turn from caller to caller (group.run): a caller there
// may give up waiting and write on its own (laneWait), which a queued write cannot.

// pending is a write waiting in the queue, and then its outcome.
type pending struct {
	ctx context.Context
	// fn is the write; nil for a test's hold (HoldWrites), which takes the turn without
	// writing.
	fn   func(tx *sql.Tx) (*laterQueue, error)
	done chan struct{} // closed when the outcome is set, or the caller is to lead
	lead bool          // the caller leads the next transaction
	err  error
	// panicked is what fn panicked with; the caller panics with it again.
	panicked any
}

// submit runs fn in the group's shared transaction and returns once its writes are
// committed, or with fn's error once its writes are undone.
func (g *group) submit(ctx context.Context, fn func(tx *sql.Tx) (*laterQueue, error)) error {
	p := &pending{ctx: ctx, fn: fn, done: make(chan struct{})}
	if g.acquire(p) {
		g.lead(p)
	}
	if p.panicked != nil {
		panic(p.panicked)
	}
	return p.err
}

// acquire takes the turn for p when nobody has it, and reports whether it did; otherwise it
// queues p and waits until p's outcome is set or p is to lead (then it reports true).
func (g *group) acquire(p *pending) bool {
	g.mu.Lock()
	if !g.busy {
		g.busy = true
		g.mu.Unlock()
		return true
	}
	g.queue = append(g.queue, p)
	g.waiting.Add(1)
	g.mu.Unlock()
	select {
	case g.arrived <- struct{}{}:
	default:
	}
	<-p.done
	return p.lead
}

// next takes the first queued write, if there is one and it is not a hold.
func (g *group) next() *pending {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 || g.queue[0].fn == nil {
		return nil
	}
	return g.pop()
}

// handOn gives the turn to the first queued caller, or frees it.
func (g *group) handOn() {
	g.mu.Lock()
	if len(g.queue) == 0 {
		g.busy = false
		g.mu.Unlock()
		return
	}
	p := g.pop()
	g.mu.Unlock()
	p.lead = true
	close(p.done)
}

// pop takes the first queued caller off the queue, which holds one; g.mu is held.
func (g *group) pop() *pending {
	p := g.queue[0]
	g.queue[0] = nil
	g.queue = g.queue[1:]
	g.waiting.Add(-1)
	return p
}

// lead runs, for first, a caller that took the turn, one shared transaction: first's
// write, then queued ones while they come (under a steady load waiting a moment for one
// more, see linger), up to groupMax; it commits, sets each caller's outcome and hands the
// turn on.
func (g *group) lead(first *pending) {
	b, err := g.join(first.ctx)
	if err != nil {
		first.err = err
		g.handOn()
		return
	}
	members := []*pending{first}
	cause := g.runMember(b, first)
	for cause == nil && b.lost == nil && b.members < groupMax {
		p := g.next()
		if p == nil {
			g.linger(b)
			if p = g.next(); p == nil {
				break
			}
		}
		g.join(p.ctx) // b is open: one more member, nothing to begin
		members = append(members, p)
		cause = g.runMember(b, p)
	}
	g.open = nil
	g.lastMembers = b.members
	g.finish(b, cause)
	g.handOn()
	for _, p := range members {
		if p.err == nil {
			p.err = b.err
		}
		if p != first {
			close(p.done)
		}
	}
}

// runMember runs p's write as b's next member and sets p.err to its error. A write that
// panics ends b: runMember returns the cause every member is answered with, and p's caller
// panics again with the value.
func (g *group) runMember(b *batch, p *pending) (cause error) {
	defer func() {
		if v := recover(); v != nil {
			p.panicked = v
			cause = fmt.Errorf("a write panicked: %v", v)
		}
	}()
	p.err = g.member(p.ctx, b, p.fn)
	return nil
}
