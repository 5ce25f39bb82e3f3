package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// SQLite has one writer, and a durable commit writes every page the transaction changed to
// the write-ahead log: with a payment touching a few dozen tables and indexes, the commit
// cost as much as the statements. A group lets concurrent write transactions share one
// commit. Callers take turns on the open transaction, each after the first inside a
// savepoint of its own (its failure undoes its writes alone); the last caller of a turn
// commits, and every caller returns only after that commit, so an acknowledged write is
// always a durable one. A caller that finds nobody waiting commits at once: a lone write
// pays no delay.
//
// What the callers hold back for their commit (Later) is written once for the whole group,
// just before the commit: the rows of one insert from every caller go in one statement. A
// failure there — a held-back row the database refuses — fails every caller of the group:
// their writes are in one transaction by then, and none of them is kept.

// groupMax bounds the callers that share one commit, so that the first of them does not
// wait behind an endless queue.
const groupMax = 32

// group commits the write transactions of concurrent callers together.
type group struct {
	write   *sql.DB
	turn    sync.Mutex // held by the caller using the open transaction
	waiting atomic.Int32
	open    *batch // the transaction callers are joining; nil between commits
	commits atomic.Int64
}

// batch is one shared transaction.
type batch struct {
	tx      *sql.Tx
	members int
	done    chan struct{} // closed once the commit (or rollback) is over
	err     error         // the commit's outcome, set before done closes
	held    []*laterQueue // what each member that succeeded held back, in their order
}

// errBatchLost is the answer of callers whose shared transaction SQLite abandoned (a
// failed I/O, a full disk): none of their writes were kept.
var errBatchLost = errors.New("the shared write transaction was lost; nothing of it was committed")

// run runs fn in the shared transaction and returns once its writes are committed, or with
// fn's error once its writes are undone.
// fn returns what its caller held back (Later), to be written before the commit.
func (g *group) run(ctx context.Context, fn func(tx *sql.Tx) (*laterQueue, error)) (err error) {
	g.waiting.Add(1)
	g.turn.Lock()
	g.waiting.Add(-1)
	b, err := g.join(ctx)
	if err != nil {
		g.turn.Unlock()
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			g.finish(b, fmt.Errorf("a write panicked: %v", p), false)
			g.turn.Unlock()
			panic(p)
		}
	}()
	fnErr, alive := g.member(ctx, b, fn)
	if alive && g.waiting.Load() > 0 && b.members < groupMax {
		g.turn.Unlock() // the next caller joins; the last one commits for all
	} else {
		g.finish(b, nil, alive)
		g.turn.Unlock()
	}
	if fnErr != nil { // its writes are undone already; the others' commit is not its concern
		return fnErr
	}
	<-b.done
	return b.err
}

// join returns the open transaction, beginning one when there is none. The transaction
// outlives the caller that began it, so it does not end with that caller's context.
func (g *group) join(ctx context.Context) (*batch, error) {
	if g.open == nil {
		tx, err := g.write.BeginTx(context.WithoutCancel(ctx), nil)
		if err != nil {
			return nil, fmt.Errorf("begin: %w", MapError(err))
		}
		g.open = &batch{tx: tx, done: make(chan struct{})}
	}
	g.open.members++
	return g.open, nil
}

// member runs fn as b's next caller. alive reports whether b's transaction can go on
// afterwards: SQLite rolls a whole transaction back on some errors.
//
// The first caller of a batch writes without a savepoint: its failure can roll the whole
// transaction back, which holds nothing else yet. The others write inside a savepoint, so
// that their failure undoes their own writes alone. A savepoint is not free beyond its two
// statements: while one is open, each statement that changes a page already changed since
// it opened journals that page afresh and, when done, walks the statement journal from its
// start to drop the copy. A caller that writes thousands of rows under one savepoint (an
// import, a demo batch) pays that walk on every statement.
func (g *group) member(ctx context.Context, b *batch, fn func(tx *sql.Tx) (*laterQueue, error)) (error, bool) {
	ctx = context.WithoutCancel(ctx)
	first := b.members == 1
	if !first {
		if _, err := b.tx.ExecContext(ctx, "SAVEPOINT settle_member"); err != nil {
			return MapError(err), false
		}
	}
	held, err := fn(b.tx)
	switch {
	case err != nil && first:
		return MapError(err), false
	case err != nil:
		_, rbErr := b.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT settle_member")
		_, relErr := b.tx.ExecContext(ctx, "RELEASE SAVEPOINT settle_member")
		return MapError(err), rbErr == nil && relErr == nil
	case !first:
		if _, err := b.tx.ExecContext(ctx, "RELEASE SAVEPOINT settle_member"); err != nil {
			return MapError(err), false
		}
	}
	if held != nil {
		b.held = append(b.held, held)
	}
	return nil, true
}

// finish ends b: commits it when it is alive and nothing went wrong, rolls it back
// otherwise, and wakes its callers.
func (g *group) finish(b *batch, cause error, alive bool) {
	g.open = nil
	switch {
	case cause != nil:
		_ = b.tx.Rollback()
		b.err = cause
	case !alive:
		_ = b.tx.Rollback()
		b.err = errBatchLost
	default:
		if err := writeHeld(b); err != nil {
			_ = b.tx.Rollback()
			b.err = fmt.Errorf("writing the rows held back for the commit: %w", MapError(err))
			break
		}
		if err := b.tx.Commit(); err != nil {
			b.err = fmt.Errorf("commit: %w", MapError(err))
		}
		g.commits.Add(1)
	}
	close(b.done)
}

// writeHeld writes what b's members held back, merged (mergeLater).
func writeHeld(b *batch) error {
	if len(b.held) == 0 {
		return nil
	}
	for _, s := range mergeLater(b.held).statements() {
		if _, err := b.tx.ExecContext(context.Background(), s.query, s.args...); err != nil {
			return err
		}
	}
	return nil
}
