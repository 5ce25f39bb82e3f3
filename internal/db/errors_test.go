package db_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// TestMapError checks which driver errors become which sentinel, and that the original
// error stays in the chain.
func TestMapError(t *testing.T) {
	plain := errors.New("syntax error at or near \"SELCT\"")
	cases := []struct {
		name string
		err  error
		want error // nil: passed through unchanged
	}{
		{"unique violation", &pgconn.PgError{Code: "23505"}, problem.ErrConflict},
		{"serialization failure", &pgconn.PgError{Code: "40001"}, problem.ErrConflict},
		{"server shutting down", &pgconn.PgError{Code: "57P01"}, problem.ErrUnavailable},
		{"bad connection", driver.ErrBadConn, problem.ErrUnavailable},
		{"connection ended under a statement", io.ErrUnexpectedEOF, problem.ErrUnavailable},
		{"connection ended between messages", fmt.Errorf("read: %w", io.EOF), problem.ErrUnavailable},
		{"connection closed before a statement", retryable{}, problem.ErrUnavailable},
		{"deadline", context.DeadlineExceeded, problem.ErrUnavailable},
		{"other driver error", plain, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := db.MapError(c.err)
			if !errors.Is(got, c.err) {
				t.Errorf("MapError(%v) = %v, which lost the original error", c.err, got)
			}
			if c.want == nil && got != c.err {
				t.Errorf("MapError(%v) = %v, want it unchanged", c.err, got)
			}
			if c.want != nil && !errors.Is(got, c.want) {
				t.Errorf("MapError(%v) = %v, want %v in its chain", c.err, got, c.want)
			}
		})
	}
}

// retryable stands for pgx's error of a connection found closed before anything was sent.
type retryable struct{}

func (retryable) Error() string     { return "conn closed" }
func (retryable) SafeToRetry() bool { return true }
