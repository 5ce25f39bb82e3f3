package db

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// Some rows a transaction writes are never read back before it commits: timeline entries,
// property history. Later holds them until the transaction's body is done and then writes
// each table's rows in one multi-row INSERT, so that a payment with half a dozen timeline
// entries costs one statement (one round trip on PostgreSQL) instead of six.

// laterMaxArgs bounds the parameters of one flushed INSERT (SQLite allows 32,766).
const laterMaxArgs = 30000

// laterQueue is what one transaction has queued: the INSERT heads in their first order and
// each head's rows.
type laterQueue struct {
	mu    sync.Mutex
	heads []string
	rows  map[string]*laterRows
}

type laterRows struct {
	width int   // columns per row
	args  []any // the rows' values, row after row
}

// Later queues a row for insert — "INSERT INTO table (col, …)" followed by one value per
// column — to be written in tx after the transaction's body returns and before it commits.
// If the transaction rolls back, or the savepoint the row was queued in does, the row is
// dropped with it. Every row of one insert must have as many values.
func (d *DB) Later(tx *sql.Tx, insert string, values ...any) {
	v, _ := d.later.LoadOrStore(tx, &laterQueue{rows: map[string]*laterRows{}})
	q := v.(*laterQueue)
	q.mu.Lock()
	defer q.mu.Unlock()
	r := q.rows[insert]
	if r == nil {
		r = &laterRows{width: len(values)}
		q.rows[insert] = r
		q.heads = append(q.heads, insert)
	}
	r.args = append(r.args, values...)
}

// laterMark is how many values each insert of tx had queued at one moment.
type laterMark map[string]int

// markLater returns what tx has queued now, for dropLaterSince.
func (d *DB) markLater(tx *sql.Tx) laterMark {
	v, ok := d.later.Load(tx)
	if !ok {
		return nil
	}
	q := v.(*laterQueue)
	q.mu.Lock()
	defer q.mu.Unlock()
	m := laterMark{}
	for head, r := range q.rows {
		m[head] = len(r.args)
	}
	return m
}

// dropLaterSince forgets the rows tx queued after mark (a savepoint rolled back).
func (d *DB) dropLaterSince(tx *sql.Tx, mark laterMark) {
	v, ok := d.later.Load(tx)
	if !ok {
		return
	}
	q := v.(*laterQueue)
	q.mu.Lock()
	defer q.mu.Unlock()
	for head, r := range q.rows {
		r.args = r.args[:mark[head]]
	}
}

// flushLater writes and forgets what tx has queued.
func (d *DB) flushLater(ctx context.Context, tx *sql.Tx) error {
	v, ok := d.later.LoadAndDelete(tx)
	if !ok {
		return nil
	}
	q := v.(*laterQueue)
	for _, head := range q.heads {
		r := q.rows[head]
		per := max(1, laterMaxArgs/r.width) * r.width
		for start := 0; start < len(r.args); start += per {
			chunk := r.args[start:min(start+per, len(r.args))]
			if _, err := tx.ExecContext(ctx, head+" VALUES "+valueRows(len(chunk)/r.width, r.width), chunk...); err != nil {
				return err
			}
		}
	}
	return nil
}

// valueRows returns "($1, $2), ($3, $4)" for n rows of width values.
func valueRows(n, width int) string {
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
