package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite has one writer, and a durable commit writes every page the transaction changed to
// the write-ahead log: with a payment touching a few dozen tables and indexes, the commit
// cost as much as the statements. PostgreSQL pays per transaction and per statement too: a
// commit, and parsing, planning and starting each statement, cost more than the rows it
// inserts (docs/performance.md, twelfth pass). A group lets concurrent write transactions
// share one commit. Their writes run one after another in the open transaction, each after
// the first inside a savepoint of its own (its failure undoes its writes alone); once no
// caller waits, the transaction commits, and every caller returns only after that commit,
// so an acknowledged write is always a durable one. A caller that finds nobody waiting
// commits at once, so a lone write pays no delay; only under a steady load on SQLite does
// the transaction stay open a moment longer for the next caller (linger).
//
// What the callers hold back for their commit (Later) is written once for the whole group,
// just before the commit: the rows of one insert from every caller go in one statement. A
// failure there — a held-back row the database refuses — fails every caller of the group:
// their writes are in one transaction by then, and none of them is kept.
//
// SQLite has one group, whose leading caller runs the others' writes from a queue (queue.go).
// PostgreSQL has several, its lanes (see lanes.go), each committing on connections of its
// own. There each caller takes the lane's turn and runs its own write (run); the last one
// closes the transaction to newcomers and hands the turn on, and the next caller begins
// another transaction while that one commits. A member's SAVEPOINT and RELEASE are held
// back and go to PostgreSQL with its neighbours' statements, so they cost no round trip of
// their own.

// groupMax bounds the callers that share one SQLite commit, so that the first of them does
// not wait behind an endless queue. PostgreSQL's lanes share less (laneGroupMax).
const groupMax = 32

// lingerTime is how long an SQLite transaction stays open for one more caller, once the
// last one was shared by lingerAfter callers or more (group.linger).
const (
	lingerTime  = 500 * time.Microsecond
	lingerAfter = 4
)

// group commits the write transactions of concurrent callers together.
type group struct {
	write *sql.DB
	// conns is where a PostgreSQL group keeps the connection of each open transaction (the
	// DB's txConns, read by QueryTx and flushLater); nil on SQLite.
	conns *sync.Map
	turn  chan struct{} // on PostgreSQL, holds a token while a caller uses the open transaction
	// On SQLite, mu guards busy (a caller leads a transaction, or holds the turn) and queue,
	// the callers waiting for it (queue.go).
	mu      sync.Mutex
	busy    bool
	queue   []*pending
	waiting atomic.Int32
	open    *batch // the transaction callers are joining; nil between commits
	// lastMembers is how many callers shared SQLite's last transaction, for linger; the
	// transaction's leader sets and reads it.
	lastMembers int
	lingerFor   time.Duration // lingerTime, but in tests
	arrived     chan struct{} // a caller joined SQLite's queue (acquire), for linger
	commits     atomic.Int64
}

// newGroup returns a group writing through write; conns as in group.
func newGroup(write *sql.DB, conns *sync.Map) *group {
	return &group{write: write, conns: conns, turn: make(chan struct{}, 1), lingerFor: lingerTime,
		arrived: make(chan struct{}, 1)}
}

// enter takes a PostgreSQL lane's turn for a caller, waiting at most patience for it, and
// reports whether it did; the caller then runs.
func (g *group) enter(patience time.Duration) bool {
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	return g.lock(patience)
}

// tryEnter takes the turn for a caller if it is free, without waiting.
func (g *group) tryEnter() bool {
	select {
	case g.turn <- struct{}{}:
		return true
	default:
		return false
	}
}

// lock takes the turn, waiting at most patience for it, and reports whether it did.
func (g *group) lock(patience time.Duration) bool {
	if g.tryEnter() {
		return true
	}
	wait := time.NewTimer(patience)
	defer wait.Stop()
	select {
	case g.turn <- struct{}{}:
		return true
	case <-wait.C:
		return false
	}
}

// unlock gives the turn back.
func (g *group) unlock() { <-g.turn }

// load is how many callers hold or wait for the turn.
func (g *group) load() int32 { return g.waiting.Load() + int32(len(g.turn)) }

// batch is one shared transaction.
type batch struct {
	tx      *sql.Tx
	conn    *sql.Conn // the transaction's connection on PostgreSQL; nil on SQLite
	members int
	done    chan struct{} // closed once the commit (or rollback) is over
	err     error         // the commit's outcome, set before done closes
	lost    error         // why the transaction cannot go on, when a member's failure ended it
	held    []*laterQueue // what each member that succeeded held back, in their order
}

// errBatchLost is the answer of callers whose shared transaction ended under another
// member: SQLite abandoned it (a failed I/O, a full disk), or PostgreSQL's connection was
// lost. None of their writes were kept. It wraps the cause, so that a lost connection
// is answered as the service being unavailable.
var errBatchLost = errors.New("the shared write transaction was lost; nothing of it was committed")

// run runs fn, for a caller that took a PostgreSQL lane's turn (enter), in the shared
// transaction and returns once its writes are committed, or with fn's error once its writes
// are undone. fn returns what its caller held back (Later), to be written before the commit.
func (g *group) run(ctx context.Context, fn func(tx *sql.Tx) (*laterQueue, error)) (err error) {
	b, err := g.join(ctx)
	if err != nil {
		g.unlock()
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			g.close(b, fmt.Errorf("a write panicked: %v", p))
			panic(p)
		}
	}()
	fnErr := g.member(ctx, b, fn)
	if b.lost == nil && g.waiting.Load() > 0 && b.members < laneGroupMax {
		g.unlock() // the next caller joins; the last one commits for all
	} else {
		g.close(b, nil)
	}
	if fnErr != nil { // its writes are undone already; the others' commit is not its concern
		return fnErr
	}
	<-b.done
	return b.err
}

// linger keeps SQLite's open transaction b, which its leader runs, open until another
// caller comes or g.lingerFor has passed (lingers).
func (g *group) linger(b *batch) {
	if !g.lingers(b) {
		return
	}
	select {
	case <-g.arrived: // left by a caller that has had its turn since
	default:
	}
	if g.waiting.Load() > 0 {
		return
	}
	wait := time.NewTimer(g.lingerFor)
	defer wait.Stop()
	select {
	case <-g.arrived:
	case <-wait.C:
	}
}

// lingers reports whether b, which no caller waits to join, stays open a moment for more:
// on SQLite, when the last transaction was shared by several callers (lingerAfter). Under
// a steady load the next callers are on their way, and each commit costs its sync and a
// write of every page it changed, many of which the next callers change again. A lone
// writer, whose last transaction was its own, commits at once.
func (g *group) lingers(b *batch) bool {
	return b.lost == nil && b.members < groupMax && g.waiting.Load() == 0 &&
		g.lastMembers >= lingerAfter
}

// join returns the open transaction, beginning one when there is none. The transaction
// outlives the caller that began it, so it does not end with that caller's context.
func (g *group) join(ctx context.Context) (*batch, error) {
	if g.open == nil {
		b, err := g.begin(context.WithoutCancel(ctx))
		if err != nil {
			return nil, fmt.Errorf("begin: %w", MapError(err))
		}
		g.open = b
	}
	g.open.members++
	return g.open, nil
}

// begin begins a transaction; on PostgreSQL a shared one, on a connection of its own kept
// in g.conns (beginOnConn).
func (g *group) begin(ctx context.Context) (*batch, error) {
	if g.conns == nil {
		tx, err := g.write.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		return &batch{tx: tx, done: make(chan struct{})}, nil
	}
	conn, tx, err := beginOnConn(ctx, g.write, g.conns, true)
	if err != nil {
		return nil, err
	}
	return &batch{tx: tx, conn: conn, done: make(chan struct{})}, nil
}

// close closes b, whose caller holds the lane's turn, to newcomers and ends it (finish).
// The turn is given back first: the next caller begins another transaction, on another
// connection, while b commits.
func (g *group) close(b *batch, cause error) {
	g.open = nil
	g.unlock()
	g.finish(b, cause)
}

// member runs fn as b's next caller and returns fn's error. When b's transaction cannot
// go on afterwards, member sets b.lost: SQLite rolls a whole transaction back on some
// errors, and a lost connection ends PostgreSQL's.
//
// The first caller of a batch writes without a savepoint: its failure can roll the whole
// transaction back, which holds nothing else yet. The others write inside a savepoint, so
// that their failure undoes their own writes alone. A savepoint is not free beyond its two
// statements: while one is open, each statement that changes a page already changed since
// it opened journals that page afresh and, when done, walks the statement journal from its
// start to drop the copy. A caller that writes thousands of rows under one savepoint (an
// import, a demo batch) pays that walk on every statement.
func (g *group) member(ctx context.Context, b *batch, fn func(tx *sql.Tx) (*laterQueue, error)) error {
	ctx = context.WithoutCancel(ctx)
	first := b.members == 1
	if !first {
		if err := b.command(ctx, "SAVEPOINT settle_member"); err != nil {
			b.lost = MapError(err)
			return b.lost
		}
	}
	held, err := fn(b.tx)
	switch {
	case err != nil && first:
		b.lost = MapError(err) // the transaction holds no one else's writes
		return b.lost
	case err != nil:
		// Sent at once: on PostgreSQL the transaction refuses everything after a failed
		// statement until then, even preparing the next caller's statements.
		_, rbErr := b.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT settle_member")
		if rbErr == nil {
			rbErr = b.command(ctx, "RELEASE SAVEPOINT settle_member")
		}
		if rbErr != nil {
			b.lost = MapError(rbErr)
		}
		return MapError(err)
	case !first:
		if err := b.command(ctx, "RELEASE SAVEPOINT settle_member"); err != nil {
			b.lost = MapError(err)
			return b.lost
		}
	}
	if held != nil {
		b.held = append(b.held, held)
	}
	return nil
}

// command runs command, a savepoint's, in b. On PostgreSQL it is held back to go with the
// transaction's next statement (pgConn.hold); a failure then is that statement's, and so a
// member's, or the commit's.
func (b *batch) command(ctx context.Context, command string) error {
	if b.conn != nil {
		return hold(b.conn, command)
	}
	_, err := b.tx.ExecContext(ctx, command)
	return err
}

// finish ends b: commits it when it is not lost and nothing went wrong, rolls it back
// otherwise, and wakes its callers.
func (g *group) finish(b *batch, cause error) {
	if b.conn != nil {
		defer b.conn.Close()
		defer g.conns.Delete(b.tx)
	}
	switch {
	case cause != nil:
		_ = b.tx.Rollback()
		b.err = cause
	case b.lost != nil:
		_ = b.tx.Rollback()
		b.err = fmt.Errorf("%w: %w", errBatchLost, b.lost)
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

// writeHeld writes what b's members held back, merged (mergeLater); on PostgreSQL in one
// round trip with the COMMIT, which the caller's Commit then only closes.
func writeHeld(b *batch) error {
	var stmts []statement
	if len(b.held) > 0 {
		stmts = mergeLater(b.held).statements()
	}
	if b.conn != nil {
		return commitWith(context.Background(), b.conn, stmts)
	}
	for _, s := range stmts {
		if _, err := b.tx.ExecContext(context.Background(), s.query, s.args...); err != nil {
			return err
		}
	}
	return nil
}
