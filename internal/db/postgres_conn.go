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
// held-back rows (see Later).

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
	beginPending bool // a transaction was begun and BEGIN is not sent yet
	ended        bool // the open transaction's COMMIT was sent by commitWith
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
	c.beginPending, c.ended = true, false
	return &pgTx{c: c, ctx: ctx}, nil
}

// sendBegin sends a held-back BEGIN on its own.
func (c *pgConn) sendBegin(ctx context.Context) error {
	if !c.beginPending {
		return nil
	}
	c.beginPending = false
	_, err := c.Conn.Conn().Exec(ctx, "begin")
	return err
}

// ExecContext implements driver.ExecerContext: a held-back BEGIN goes in the same round
// trip. A statement without arguments may be several (a migration's script), which only
// PostgreSQL's simple protocol takes, so BEGIN is sent before it on its own.
func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if !c.beginPending || len(args) == 0 {
		if err := c.sendBegin(ctx); err != nil {
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

// QueryContext implements driver.QueryerContext. A held-back BEGIN is sent first, on its
// own: queries that should carry it go through DB.QueryTx or DB.QueryRowTx.
func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.sendBegin(ctx); err != nil {
		return nil, err
	}
	return c.Conn.QueryContext(ctx, query, args)
}

// PrepareContext implements driver.ConnPrepareContext; a prepared statement runs inside the
// transaction, so a held-back BEGIN is sent first.
func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.sendBegin(ctx); err != nil {
		return nil, err
	}
	return c.Conn.PrepareContext(ctx, query)
}

// Prepare implements driver.Conn.
func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// queryAfterBegin runs query in the transaction with a held-back BEGIN in the same round
// trip and calls row for each row it returns.
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

// afterBegin sends the held-back BEGIN and query in one round trip and, once BEGIN has
// succeeded, hands the batch's results to read for query's.
func (c *pgConn) afterBegin(ctx context.Context, query string, args []any, read func(pgx.BatchResults) error) error {
	c.beginPending = false
	b := &pgx.Batch{}
	b.Queue("begin")
	b.Queue(query, args...)
	return sendBatch(ctx, c.Conn.Conn(), b, func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			return err
		}
		return read(br)
	})
}

// commitWith runs stmts in the open transaction and commits it in one round trip, with a
// held-back BEGIN before them. The first error is returned.
func (c *pgConn) commitWith(ctx context.Context, stmts []statement) error {
	b := &pgx.Batch{}
	if c.beginPending {
		b.Queue("begin")
		c.beginPending = false
	}
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
// end) or its COMMIT went in a pipeline (over already).
func (t *pgTx) end(command string) (pgconn.CommandTag, error) {
	c := t.c
	if c.beginPending || c.ended {
		c.beginPending, c.ended = false, false
		return pgconn.CommandTag{}, nil
	}
	return c.Conn.Conn().Exec(t.ctx, command)
}
