package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/settlehq/settle/internal/config"
)

func openPostgres(ctx context.Context, u config.DatabaseURL) (*DB, error) {
	pool, err := sql.Open("pgx", u.DSN)
	if err != nil {
		return nil, fmt.Errorf("postgres URL %s: %w", u.Redacted(), err)
	}
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(32)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.PingContext(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %v; check SETTLE_DATABASE_URL and that the server is running", u.Redacted(), err)
	}
	return &DB{Engine: config.Postgres, Write: pool, Read: pool}, nil
}
