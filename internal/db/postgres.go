package db

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/settlehq/settle/internal/config"
)

func openPostgres(ctx context.Context, u config.DatabaseURL) (*DB, error) {
	connector, err := stdlib.GetDefaultDriver().(driver.DriverContext).OpenConnector(u.DSN)
	if err != nil {
		return nil, fmt.Errorf("postgres URL %s: %w", u.Redacted(), err)
	}
	pool := sql.OpenDB(lazyConnector{connector})
	conns := cmp.Or(u.MaxConns, config.DefaultMaxConns)
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.PingContext(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %v; check SETTLE_DATABASE_URL and that the server is running", u.Redacted(), err)
	}
	d := &DB{Engine: config.Postgres, Write: pool, Read: pool}
	d.groups = newLanes(min(maxLanes, conns/2), pool, &d.txConns)
	return d, nil
}

// commitWith runs stmts in the open transaction of c and commits it, all in one round trip
// (with the transaction's BEGIN too when nothing was sent before).
func commitWith(ctx context.Context, c *sql.Conn, stmts []statement) error {
	return withPgConn(c, func(conn *pgConn) error { return conn.commitWith(ctx, stmts) })
}

// beginOnConn begins a transaction on a connection of pool's own, which it keeps in conns
// (the DB's txConns, read by QueryTx and flushLater) for the caller to delete when the
// transaction ends; shared marks a transaction several callers write in (pgConn.share).
func beginOnConn(ctx context.Context, pool *sql.DB, conns *sync.Map, shared bool) (*sql.Conn, *sql.Tx, error) {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err == nil && shared {
		err = withPgConn(conn, func(c *pgConn) error {
			c.share()
			return nil
		})
	}
	if err != nil {
		if tx != nil {
			_ = tx.Rollback()
		}
		_ = conn.Close()
		return nil, nil, err
	}
	conns.Store(tx, conn)
	return conn, tx, nil
}

// hold keeps command to be sent with the next statement of c's open transaction (see
// pgConn.hold).
func hold(c *sql.Conn, command string) error {
	return withPgConn(c, func(conn *pgConn) error {
		conn.hold(command)
		return nil
	})
}

// withPgConn calls fn with c's driver connection, a Settle PostgreSQL connection.
func withPgConn(c *sql.Conn, fn func(*pgConn) error) error {
	return c.Raw(func(driverConn any) error {
		conn, ok := driverConn.(*pgConn)
		if !ok {
			return fmt.Errorf("%T is not a Settle PostgreSQL connection", driverConn)
		}
		return fn(conn)
	})
}

// QueryRowTx runs query in tx, the transaction of an InTx of d, and scans its one row into
// dest, as tx.QueryRowContext(…).Scan(dest…) does. When it is the transaction's first
// statement on PostgreSQL, the transaction's BEGIN (and any held command, see pgConn.hold)
// goes to the server in the same round trip. dest takes what pgx scans into: Go's basic
// types, time.Time, sql.Scanner.
func (d *DB) QueryRowTx(ctx context.Context, tx *sql.Tx, query string, args []any, dest ...any) error {
	found := false
	err := d.QueryTx(ctx, tx, query, args, func(scan func(dest ...any) error) error {
		if found {
			return nil
		}
		found = true
		return scan(dest...)
	})
	if err == nil && !found {
		err = sql.ErrNoRows
	}
	return err
}

// QueryTx runs query in tx, the transaction of an InTx of d, and calls row for each row it
// returns, with scan reading that row into its arguments as sql.Rows.Scan does. When it is
// the transaction's first statement on PostgreSQL, the transaction's BEGIN (and any held
// command) goes to the server in the same round trip; scan then takes what pgx scans into
// (see QueryRowTx).
func (d *DB) QueryTx(ctx context.Context, tx *sql.Tx, query string, args []any, row func(scan func(dest ...any) error) error) error {
	if c, ok := d.txConns.Load(tx); ok {
		sent := false
		err := c.(*sql.Conn).Raw(func(driverConn any) error {
			conn, ok := driverConn.(*pgConn)
			if !ok || !conn.pending() {
				return nil
			}
			sent = true
			return conn.queryAfterBegin(ctx, query, args, row)
		})
		if sent || err != nil {
			return err
		}
	}
	rows, err := tx.QueryContext(d.statementContext(ctx), query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, row)
}

// statementContext is the context a statement of an InTx transaction runs under. SQLite's
// write connection runs every statement to its end whatever its context does (see
// stmtCacheConnector.uninterrupted), so there a statement is given ctx without its
// cancellation once ctx is checked: database/sql would otherwise start a goroutine per query
// to watch a context that can change nothing, inside the write turn. A context already done
// still stops the statement before it starts.
func (d *DB) statementContext(ctx context.Context) context.Context {
	if d.Engine != config.SQLite || ctx.Err() != nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// rowReader is what sql.Rows and pgx.Rows both provide.
type rowReader interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// eachRow calls row for each row of rows, with rows.Scan to read it.
func eachRow(rows rowReader, row func(scan func(dest ...any) error) error) error {
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
