package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// A PostgreSQL transaction costs two round trips besides its statements: BEGIN before them
// and COMMIT after. Settle's connections save both where they can. BEGIN is held back until
// the transaction's first statement and goes to the server with it; a transaction that
// sends nothing sends no BEGIN either. COMMIT goes in the pipeline of the transaction's
// held-back rows (see Later). Commands that need no answer of their own — the savepoints of
// writers sharing a transaction (see group) — wait in the same way for the next statement.

// lazyConnector opens pgx connections whose transactions begin with their first statement.
type lazyConnector struct{ driver.Connector }

func (c lazyConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("postgres: %T is not a pgx connection", conn)
	}
	return &pgConn{Conn: sc}, nil
}

// pgConn is a pgx connection whose BEGIN waits for the transaction's first statement.
// database/sql calls one connection from one goroutine at a time, so its fields need no lock.
type pgConn struct {
	*stdlib.Conn
	beginPending bool     // a transaction was begun and BEGIN is not sent yet
	held         []string // commands to send, after BEGIN, before the next statement
	ended        bool     // the open transaction's COMMIT was sent by commitWith
	// shared marks a transaction several callers write in (see group): a caller's context
	// ending does not cancel its statement, which pgx would do by closing the connection,
	// and with it the other callers' writes.
	shared bool
}

// share marks the open transaction as shared.
func (c *pgConn) share() { c.shared = true }

// context is ctx, without its cancellation in a shared transaction.
func (c *pgConn) context(ctx context.Context) context.Context {
	if c.shared {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// Begin implements driver.Conn.
func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx. A transaction with options other than the default
// begins at once, with them.
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if opts.Isolation != driver.IsolationLevel(sql.LevelDefault) || opts.ReadOnly {
		tx, err := c.Conn.BeginTx(ctx, opts)
		if err != nil {
			return nil, err
		}
		return &pgTx{c: c, ctx: ctx, eager: tx}, nil
	}
	if c.Conn.Conn().IsClosed() {
		return nil, driver.ErrBadConn
	}
	c.beginPending, c.held, c.ended, c.shared = true, nil, false, false
	return &pgTx{c: c, ctx: ctx}, nil
}

// hold keeps command, which returns nothing, to be sent with the transaction's next
// statement, in the same round trip; its error, if any, is that statement's.
func (c *pgConn) hold(command string) { c.held = append(c.held, command) }

// pending reports whether commands wait to be sent: a held-back BEGIN or held commands.
func (c *pgConn) pending() bool { return c.beginPending || len(c.held) > 0 }

// queuePending adds the commands waiting to be sent to b, and forgets them.
func (c *pgConn) queuePending(b *pgx.Batch) {
	if c.beginPending {
		b.Queue("begin")
	}
	for _, h := range c.held {
		b.Queue(h)
	}
	c.beginPending, c.held = false, nil
}

// sendPending sends the commands waiting to be sent, on their own.
func (c *pgConn) sendPending(ctx context.Context) error {
	if !c.pending() {
		return nil
	}
	b := &pgx.Batch{}
	c.queuePending(b)
	return sendBatch(ctx, c.Conn.Conn(), b, execAll(b.Len()))
}

// execAll reads n results of a batch whose statements return no rows.
func execAll(n int) func(pgx.BatchResults) error {
	return func(br pgx.BatchResults) error {
		for range n {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		return nil
	}
}

// ExecContext implements driver.ExecerContext: a held-back BEGIN and held commands go in the
// same round trip. A statement without arguments may be several (a migration's script),
// which only PostgreSQL's simple protocol takes, so they are sent before it on their own.
func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ctx = c.context(ctx)
	if !c.pending() || len(args) == 0 {
		if err := c.sendPending(ctx); err != nil {
			return nil, err
		}
		return c.Conn.ExecContext(ctx, query, args)
	}
	var tag pgconn.CommandTag
	err := c.afterBegin(ctx, query, namedValues(args), func(br pgx.BatchResults) error {
		var err error
		tag, err = br.Exec()
		return err
	})
	return driver.RowsAffected(tag.RowsAffected()), err
}

// QueryContext implements driver.QueryerContext. A held-back BEGIN and held commands are
// sent first, on their own: queries that should carry them go through DB.QueryTx or
// DB.QueryRowTx.
func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	ctx = c.context(ctx)
	if err := c.sendPending(ctx); err != nil {
		return nil, err
	}
	return c.Conn.QueryContext(ctx, query, args)
}

// PrepareContext implements driver.ConnPrepareContext; a prepared statement runs inside the
// transaction, so what waits to be sent goes first.
func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	ctx = c.context(ctx)
	if err := c.sendPending(ctx); err != nil {
		return nil, err
	}
	return c.Conn.PrepareContext(ctx, query)
}

// Prepare implements driver.Conn.
func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// queryAfterBegin runs query in the transaction with what waits to be sent in the same
// round trip and calls row for each row it returns.
func (c *pgConn) queryAfterBegin(ctx context.Context, query string, args []any, row func(scan func(dest ...any) error) error) error {
	return c.afterBegin(ctx, query, args, func(br pgx.BatchResults) error {
		rows, err := br.Query()
		if err != nil {
			return err
		}
		defer rows.Close()
		return eachRow(rows, row)
	})
}

// afterBegin sends what waits to be sent and query in one round trip and, once those
// commands have succeeded, hands the batch's results to read for query's.
func (c *pgConn) afterBegin(ctx context.Context, query string, args []any, read func(pgx.BatchResults) error) error {
	ctx = c.context(ctx)
	b := &pgx.Batch{}
	c.queuePending(b)
	n := b.Len()
	b.Queue(query, args...)
	return sendBatch(ctx, c.Conn.Conn(), b, func(br pgx.BatchResults) error {
		if err := execAll(n)(br); err != nil {
			return err
		}
		return read(br)
	})
}

// commitWith runs stmts in the open transaction and commits it in one round trip, with what
// waits to be sent before them. The first error is returned.
func (c *pgConn) commitWith(ctx context.Context, stmts []statement) error {
	b := &pgx.Batch{}
	c.queuePending(b)
	for _, s := range stmts {
		b.Queue(s.query, s.args...)
	}
	b.Queue("commit")
	return sendBatch(ctx, c.Conn.Conn(), b, func(br pgx.BatchResults) error {
		var tag pgconn.CommandTag
		for range b.Len() {
			var err error
			if tag, err = br.Exec(); err != nil {
				return err
			}
		}
		c.ended = true
		if tag.String() == "ROLLBACK" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	})
}

// sendBatch sends b, hands its results to read and closes them; the first error is returned.
func sendBatch(ctx context.Context, conn *pgx.Conn, b *pgx.Batch, read func(pgx.BatchResults) error) error {
	br := conn.SendBatch(ctx, b)
	err := read(br)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

func namedValues(args []driver.NamedValue) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}

// pgTx is a transaction of pgConn.
type pgTx struct {
	c     *pgConn
	ctx   context.Context
	eager driver.Tx // a transaction with options, begun by pgx itself
}

// Commit implements driver.Tx.
func (t *pgTx) Commit() error {
	if t.eager != nil {
		return t.eager.Commit()
	}
	tag, err := t.end("commit")
	if err == nil && tag.String() == "ROLLBACK" {
		err = pgx.ErrTxCommitRollback
	}
	return err
}

// Rollback implements driver.Tx. If it fails, the connection is left in its transaction and
// the pool's ResetSession discards it.
func (t *pgTx) Rollback() error {
	if t.eager != nil {
		return t.eager.Rollback()
	}
	_, err := t.end("rollback")
	return err
}

// end sends command, commit or rollback, unless the transaction sent nothing (nothing to
// end) or its COMMIT went in a pipeline (over already). Held commands go before a COMMIT
// and are dropped before a ROLLBACK.
func (t *pgTx) end(command string) (pgconn.CommandTag, error) {
	c := t.c
	if c.beginPending || c.ended {
		c.beginPending, c.held, c.ended = false, nil, false
		return pgconn.CommandTag{}, nil
	}
	if command == "commit" && len(c.held) > 0 {
		err := c.commitWith(t.ctx, nil) // the held commands go with the COMMIT
		c.ended = false
		return pgconn.CommandTag{}, err
	}
	c.held = nil
	return c.Conn.Conn().Exec(t.ctx, command)
}
