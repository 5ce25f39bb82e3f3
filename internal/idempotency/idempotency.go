// Package idempotency makes writes safe to retry: a write sent with an Idempotency-Key runs
// once per account and key, in one transaction with the row that records the key, a hash of
// the request and the answer given. A replay gets the first answer; the same key with another
// request is a conflict. The unique key settles races between concurrent requests.
package idempotency

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Retention is how long a key is remembered.
const Retention = 24 * time.Hour

// ErrKeyReused is returned when a key comes back with a different request.
var ErrKeyReused = problem.Conflict("this Idempotency-Key was already used with a different request; use a new key for a new request")

// Response is the answer to remember and replay.
type Response struct {
	Status int
	Body   []byte
}

// Store remembers keys in the database.
type Store struct {
	db    *db.DB
	clock clock.Clock
}

// NewStore returns a Store over d.
func NewStore(d *db.DB, c clock.Clock) *Store { return &Store{db: d, clock: c} }

// Hash returns the fingerprint of a request: its method, target and body.
func Hash(method, target string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + target + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// errDiscard rolls back a write whose answer must not be remembered (a server error).
var errDiscard = errors.New("discard")

// Do runs fn once for (accountID, key). The first call runs fn in a transaction carried by
// the ctx it passes to fn, so that every db.InTx under it joins; the key and fn's Response
// are stored in that transaction. A later call with the same hash gets that Response and
// replayed=true; with another hash, ErrKeyReused. A Response with a 5xx status is returned
// but neither stored nor committed, so that the client can retry.
func (s *Store) Do(ctx context.Context, accountID int64, key, hash string, fn func(ctx context.Context) Response) (resp Response, replayed bool, err error) {
	// A key already stored is answered from a read, without waiting for the write lock.
	if stored, found, err := s.stored(ctx, accountID, key, hash); err != nil || found {
		return stored, found, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		stored, found, err := s.claim(ctx, tx, accountID, key, hash)
		if err != nil || found {
			resp, replayed = stored, found
			return err
		}
		// A savepoint, so that a write fn gave up on (answered with an error) is undone
		// while the key and that answer are kept.
		txCtx := s.db.WithTx(ctx, tx)
		undone := s.db.InSavepoint(txCtx, func(*sql.Tx) error { resp = fn(txCtx); return nil })
		switch {
		case resp.Status >= 500:
			return errDiscard
		case undone != nil && resp.Status < 400:
			return undone // a success whose writes failed must not be remembered as one
		}
		_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = $3, body = $4
			WHERE account_id = $1 AND key = $2`, accountID, key, resp.Status, string(resp.Body))
		return err
	})
	if errors.Is(err, errDiscard) {
		err = nil
	}
	return resp, replayed, err
}

// stored returns what is stored under key, if anything: only committed answers are visible.
func (s *Store) stored(ctx context.Context, accountID int64, key, hash string) (Response, bool, error) {
	r, err := read(ctx, s.db.Read, accountID, key, hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Response{}, false, nil
	}
	return r, err == nil, db.MapError(err)
}

// read returns the answer stored under key, ErrKeyReused when the request differs, or
// sql.ErrNoRows.
func read(ctx context.Context, q db.Querier, accountID int64, key, hash string) (Response, error) {
	var storedHash, body string
	var r Response
	err := q.QueryRowContext(ctx, `SELECT request_hash, status, body FROM idempotency_keys
		WHERE account_id = $1 AND key = $2`, accountID, key).Scan(&storedHash, &r.Status, &body)
	if err != nil {
		return Response{}, err
	}
	if storedHash != hash {
		return Response{}, ErrKeyReused
	}
	r.Body = []byte(body)
	return r, nil
}

// claim inserts the key, or returns what is stored under it. On PostgreSQL a concurrent
// insert of the same key waits for the first transaction to end and then sees its row.
func (s *Store) claim(ctx context.Context, tx *sql.Tx, accountID int64, key, hash string) (Response, bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (account_id, key, request_hash, status, body, created_at)
		VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (account_id, key) DO NOTHING`, accountID, key, hash, s.clock.Now())
	if err != nil {
		return Response{}, false, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return Response{}, false, nil
	}
	r, err := read(ctx, tx, accountID, key, hash)
	return r, err == nil, err
}

// DeleteExpired forgets keys older than Retention and returns how many.
func (s *Store) DeleteExpired(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, s.clock.Now().Add(-Retention))
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}
