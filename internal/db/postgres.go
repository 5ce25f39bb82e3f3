package db

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver

	"github.com/settlehq/settle/internal/config"
)

func openPostgres(ctx context.Context, u config.DatabaseURL) (*DB, error) {
	pool, err := sql.Open("pgx", u.DSN)
	if err != nil {
		return nil, fmt.Errorf("postgres URL %s: %w", u.Redacted(), err)
	}
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
	return &DB{Engine: config.Postgres, Write: pool, Read: pool}, nil
}

// pipeline runs stmts on c, the connection of an open transaction, in one round trip: pgx
// sends them all and then reads every answer. The first error is returned.
func pipeline(ctx context.Context, c *sql.Conn, stmts []statement) error {
	return c.Raw(func(driverConn any) error {
		conn, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: %T is not a pgx connection", driverConn)
		}
		b := &pgx.Batch{}
		for _, s := range stmts {
			b.Queue(s.query, s.args...)
		}
		return conn.Conn().SendBatch(ctx, b).Close()
	})
}
