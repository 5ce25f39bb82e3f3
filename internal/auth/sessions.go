package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// SessionTTL is how long a dashboard sign-in lasts.
const SessionTTL = 7 * 24 * time.Hour

// sessionPrefix starts every session secret (the cookie value).
const sessionPrefix = "sess_"

// ErrBadCredentials is returned by Login for an unknown email or a wrong password, without
// saying which.
var ErrBadCredentials = fmt.Errorf("invalid email or password: %w", problem.ErrUnauthenticated)

// Login checks an email and password and opens a session. It returns the session's secret,
// to be set as the cookie, and the principal it stands for.
func (s *Service) Login(ctx context.Context, email, password string) (string, Principal, error) {
	var hash string
	u, err := scanUser(s.db.Reader(ctx).QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users
		WHERE lower(email) = lower($1)`, strings.TrimSpace(email)), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash(), password)
		return "", Principal{}, ErrBadCredentials
	}
	if err != nil {
		return "", Principal{}, db.MapError(err)
	}
	if !CheckPassword(hash, password) {
		return "", Principal{}, ErrBadCredentials
	}
	return s.openSession(ctx, u)
}

func (s *Service) openSession(ctx context.Context, u User) (string, Principal, error) {
	secret := newSecret(sessionPrefix)
	csrf := newSecret("")
	now := s.clock.Now()
	p := principalFor(u)
	p.CSRFToken = csrf
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, user_id, account_id, csrf_token,
			created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			hashSecret(secret), u.ID, u.AccountID, csrf, now, now.Add(SessionTTL)).Scan(&p.SessionID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, u.ID, now)
		return err
	})
	return secret, p, err
}

func principalFor(u User) Principal {
	return Principal{AccountID: u.AccountID, UserID: u.ID, Email: u.Email, Language: u.Language,
		Permissions: u.Permissions}
}

// Session returns the principal of a session secret (a cookie value), or ErrUnauthenticated
// when it is unknown or expired.
func (s *Service) Session(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return Principal{}, fmt.Errorf("no session: %w", problem.ErrUnauthenticated)
	}
	var sessionID int64
	var csrf string
	var expires time.Time
	u, err := scanUser(s.db.Reader(ctx).QueryRowContext(ctx, `SELECT `+prefixed("u.", userColumns)+`,
		s.id, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1`, hashSecret(secret)), &sessionID, &csrf, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.clock.Now().Before(expires)) {
		return Principal{}, fmt.Errorf("the session has ended; sign in again: %w", problem.ErrUnauthenticated)
	}
	if err != nil {
		return Principal{}, db.MapError(err)
	}
	p := principalFor(u)
	p.SessionID, p.CSRFToken = sessionID, csrf
	return p, nil
}

// Logout ends the session of secret. Ending an unknown session is not an error.
func (s *Service) Logout(ctx context.Context, secret string) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashSecret(secret))
		return err
	})
}

// DeleteExpiredSessions removes sessions that ended before now and returns how many.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, s.clock.Now())
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// prefixed qualifies each column of a comma-separated list with prefix.
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
