package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/settlehq/settle/internal/problem"
)

// MapError translates driver errors into the problem sentinels, keeping the original error in
// the chain: unique violations become ErrConflict, a lost or refused connection
// ErrUnavailable. Other errors, and errors already translated, pass through unchanged.
func MapError(err error) error {
	if err == nil || alreadyMapped(err) {
		return err
	}
	if sentinel := sentinelFor(err); sentinel != nil {
		return fmt.Errorf("%w: %w", sentinel, err)
	}
	return err
}

func alreadyMapped(err error) bool {
	for _, s := range []error{problem.ErrConflict, problem.ErrUnavailable, problem.ErrNotFound,
		problem.ErrForbidden, problem.ErrUnauthenticated} {
		if errors.Is(err, s) {
			return true
		}
	}
	var inv *problem.InvalidError
	return errors.As(err, &inv)
}

func sentinelFor(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgSentinel(pgErr.Code)
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return sqliteSentinel(sqlErr.Code())
	}
	var netErr net.Error
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) || lostConnection(err) {
		return problem.ErrUnavailable
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return problem.ErrUnavailable
	}
	return nil
}

// lostConnection reports whether err is a connection that ended under a statement — pgx
// returns the bare io.ErrUnexpectedEOF (or io.EOF) it read when PostgreSQL restarts or a
// proxy in between drops the connection — or one found closed before a statement was sent
// ("conn closed", which pgx marks safe to retry).
func lostConnection(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || pgconn.SafeToRetry(err)
}

func pgSentinel(code string) error {
	switch code {
	case "23505", "40001", "40P01": // unique_violation, serialization_failure, deadlock_detected
		return problem.ErrConflict
	case "57P01", "57P02", "57P03", "53300": // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
		return problem.ErrUnavailable
	}
	return nil
}

func sqliteSentinel(code int) error {
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return problem.ErrConflict
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return problem.ErrUnavailable
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique-constraint violation on either engine.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		return sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqlErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}
