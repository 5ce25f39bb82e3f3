package db

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// Some rows a transaction writes are never read back before it commits: timeline entries,
// property history, a charge's processor records. Later holds them until the transaction's
// body is done; then each table's rows go in one multi-row INSERT, and on PostgreSQL every
// held statement goes to the server in one pipelined round trip. A payment with half a
// dozen timeline entries and processor rows costs one round trip instead of a dozen.

// laterMaxArgs bounds the parameters of one flushed INSERT. SQLite allows 32,766, but its
// driver looks each parameter's name up in a list as long as the statement's, so binding
// costs grow with the square of the parameters: a transaction holding many payments' rows
// wrote them in 38% less time in 400-parameter chunks than in 3,000-parameter ones.
const laterMaxArgs = 400

// laterQueue is what one transaction holds, in the order each statement was first queued.
type laterQueue struct {
	mu      sync.Mutex
	entries []*laterEntry
	inserts map[string]*laterEntry // the merged INSERTs by head
}

// laterEntry is a merged INSERT (query is its head, tail what follows its rows, args its
// rows one after another) or a single statement.
type laterEntry struct {
	query string
	tail  string // an ON CONFLICT clause after the rows of a merged INSERT, or ""
	width int    // values per row of a merged INSERT; 0 for a single statement
	args  []any
}

// key is what the rows of one merged INSERT share.
func (e *laterEntry) key() string { return e.query + "\x00" + e.tail }

// Later queues a row for insert — "INSERT INTO table (col, …)" followed by one value per
// column — to be written in tx after the transaction's body returns and before it commits,
// merged with the other rows of the same insert. If the transaction rolls back, or the
// savepoint the row was queued in does, the row is dropped with it. Every row of one insert
// must have as many values.
func (d *DB) Later(tx *sql.Tx, insert string, values ...any) {
	d.LaterInsert(tx, insert, "", values...)
}

// LaterInsert is Later for an insert whose rows are followed by tail, an ON CONFLICT
// clause; rows merge with those of the same insert and tail.
func (d *DB) LaterInsert(tx *sql.Tx, insert, tail string, values ...any) {
	q := d.laterQueue(tx)
	q.mu.Lock()
	defer q.mu.Unlock()
	n := &laterEntry{query: insert, tail: tail, width: len(values)}
	e := q.inserts[n.key()]
	if e == nil {
		e = n
		q.inserts[e.key()] = e
		q.entries = append(q.entries, e)
	}
	e.args = append(e.args, values...)
}

// LaterExec queues a statement whose outcome the caller does not need (no rows, no count)
// to run in tx with the rows of Later, after those queued before it. Its error, if any,
// fails the transaction when it commits.
func (d *DB) LaterExec(tx *sql.Tx, query string, args ...any) {
	q := d.laterQueue(tx)
	q.mu.Lock()
	defer q.mu.Unlock()
	q.entries = append(q.entries, &laterEntry{query: query, args: args})
}

func (d *DB) laterQueue(tx *sql.Tx) *laterQueue {
	v, _ := d.later.LoadOrStore(tx, &laterQueue{inserts: map[string]*laterEntry{}})
	return v.(*laterQueue)
}

// laterMark is how much tx had queued at one moment: its number of entries and the values
// of each merged insert.
type laterMark struct {
	entries int
	values  map[*laterEntry]int
}

// markLater returns what tx has queued now, for dropLaterSince.
func (d *DB) markLater(tx *sql.Tx) laterMark {
	v, ok := d.later.Load(tx)
	if !ok {
		return laterMark{}
	}
	q := v.(*laterQueue)
	q.mu.Lock()
	defer q.mu.Unlock()
	m := laterMark{entries: len(q.entries), values: map[*laterEntry]int{}}
	for _, e := range q.entries {
		m.values[e] = len(e.args)
	}
	return m
}

// dropLaterSince forgets what tx queued after mark (a savepoint rolled back).
func (d *DB) dropLaterSince(tx *sql.Tx, mark laterMark) {
	v, ok := d.later.Load(tx)
	if !ok {
		return
	}
	q := v.(*laterQueue)
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.entries[mark.entries:] {
		if q.inserts[e.key()] == e {
			delete(q.inserts, e.key())
		}
	}
	q.entries = q.entries[:mark.entries]
	for _, e := range q.entries {
		if e.width > 0 {
			e.args = e.args[:mark.values[e]]
		}
	}
}

// statement is one SQL statement with its arguments.
type statement struct {
	query string
	args  []any
}

// takeLater returns the statements that write what tx has queued, and forgets them.
func (d *DB) takeLater(tx *sql.Tx) []statement {
	return d.detachLater(tx).statements()
}

// detachLater returns what tx has queued, nil for nothing, and forgets it.
func (d *DB) detachLater(tx *sql.Tx) *laterQueue {
	v, ok := d.later.LoadAndDelete(tx)
	if !ok {
		return nil
	}
	return v.(*laterQueue)
}

// statements are the statements that write q: each merged insert in chunks of at most
// laterMaxArgs parameters, in the order q's entries were first queued.
func (q *laterQueue) statements() []statement {
	if q == nil {
		return nil
	}
	var out []statement
	for _, e := range q.entries {
		if e.width == 0 {
			out = append(out, statement{e.query, e.args})
			continue
		}
		per := max(1, laterMaxArgs/e.width) * e.width
		for start := 0; start < len(e.args); start += per {
			chunk := e.args[start:min(start+per, len(e.args))]
			query := e.query + " VALUES " + ValueRows(len(chunk)/e.width, e.width)
			if e.tail != "" {
				query += " " + e.tail
			}
			out = append(out, statement{query, chunk})
		}
	}
	return out
}

// mergeLater combines the queues of the writers sharing one transaction, in the order they
// wrote, into one: the rows of one insert go into one merged insert, so that a shared
// commit also shares statements. Each writer's statements still run in the order it queued
// them (a charge's row after its payment method's): a row joins an earlier writer's insert
// only when that insert comes after everything the writer queued before the row, and
// starts a new insert of the same head otherwise.
func mergeLater(qs []*laterQueue) *laterQueue {
	if len(qs) == 1 {
		return qs[0]
	}
	out := &laterQueue{inserts: map[string]*laterEntry{}}
	pos := map[*laterEntry]int{} // where each merged insert is in out.entries
	for _, q := range qs {
		last := -1 // where this writer's previous entry went
		for _, e := range q.entries {
			if m, ok := out.inserts[e.key()]; ok && e.width > 0 && pos[m] > last {
				m.args = append(m.args, e.args...)
				last = pos[m]
				continue
			}
			if e.width > 0 {
				e = &laterEntry{query: e.query, tail: e.tail, width: e.width, args: append([]any(nil), e.args...)}
				out.inserts[e.key()] = e
				pos[e] = len(out.entries)
			}
			last = len(out.entries)
			out.entries = append(out.entries, e)
		}
	}
	return out
}

// flushLater writes what tx has queued: on PostgreSQL in one pipelined round trip over the
// transaction's connection, which also carries the transaction's COMMIT (the caller's
// tx.Commit then only closes it); elsewhere one statement after another.
func (d *DB) flushLater(ctx context.Context, tx *sql.Tx) error {
	stmts := d.takeLater(tx)
	if c, ok := d.txConns.Load(tx); ok {
		return commitWith(ctx, c.(*sql.Conn), stmts)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s.query, s.args...); err != nil {
			return err
		}
	}
	return nil
}

// ValueRows returns the placeholders of a multi-row VALUES list, "($1, $2), ($3, $4)" for n
// rows of width values, the arguments given one row after another.
func ValueRows(n, width int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i*width + j + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}
