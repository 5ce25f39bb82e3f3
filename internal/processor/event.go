package processor

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/settlehq/settle/internal/db"
)

// EventType names what happened.
type EventType string

// The events processors emit.
const (
	EventChargeSucceeded EventType = "charge.succeeded"
	EventChargePending   EventType = "charge.pending"
	EventChargeFailed    EventType = "charge.failed"
	EventRefundSucceeded EventType = "refund.succeeded"
	EventRefundFailed    EventType = "refund.failed"
	EventDisputeOpened   EventType = "dispute.opened"
	EventDisputeClosed   EventType = "dispute.closed"
	EventPayoutPaid      EventType = "payout.paid"
)

// Event is something that happened at a processor. ID is unique across processors and
// stable: the same happening always has the same id, so a duplicate is recognised.
type Event struct {
	Seq       int64
	ID        string
	AccountID int64
	Type      EventType
	// ObjectID is the charge, refund, dispute or payout the event is about.
	ObjectID string
	// Data is the object as it was when the event happened, as JSON.
	Data      json.RawMessage
	CreatedAt time.Time
	// AppliedAt is when a consumer applied the event; nil until then.
	AppliedAt *time.Time
}

// NewEvent is what Emit stores.
type NewEvent struct {
	ID        string
	AccountID int64
	Type      EventType
	ObjectID  string
	Data      any
	CreatedAt time.Time
}

// Sink applies an event in the transaction that emits it.
type Sink func(ctx context.Context, tx *sql.Tx, e Event) error

// Event returns the event as it will be stored.
func (e NewEvent) Event() (Event, error) {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return Event{}, fmt.Errorf("event %s: %w", e.ID, err)
	}
	return Event{ID: e.ID, AccountID: e.AccountID, Type: e.Type, ObjectID: e.ObjectID, Data: data, CreatedAt: e.CreatedAt.UTC()}, nil
}

// insertEvent stores an event unless its id is stored already.
const insertEvent = `INSERT INTO processor_events (id, account_id, type, object_id, data, created_at)
	VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`

// Emit stores an event in tx. Emitting an id already stored is a no-op and reports false,
// so a processor that says the same thing twice is heard once.
func Emit(ctx context.Context, tx *sql.Tx, e NewEvent) (bool, error) {
	row, err := e.row()
	if err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, insertEvent, row...)
	if err != nil {
		return false, fmt.Errorf("store event %s: %w", e.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// EmitLater stores an event in tx when tx is about to commit (see db.Later), for an event
// whose id was just made up and which nothing needs to read or apply before then.
func EmitLater(d *db.DB, tx *sql.Tx, e NewEvent) error {
	row, err := e.row()
	if err == nil {
		d.LaterExec(tx, insertEvent, row...)
	}
	return err
}

// row is the values insertEvent stores for e.
func (e NewEvent) row() ([]any, error) {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", e.ID, err)
	}
	return []any{e.ID, e.AccountID, e.Type, e.ObjectID, string(data), e.CreatedAt.UTC()}, nil
}

// ListEvents returns the events p selects, oldest first.
func ListEvents(ctx context.Context, q db.Querier, p EventsParams) ([]Event, error) {
	limit := p.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := q.QueryContext(ctx, `SELECT seq, id, account_id, type, object_id, data, created_at, applied_at
		FROM processor_events WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, p.AccountID, p.After, limit)
	return db.CollectRows[Event](rows, err)(func(r db.Scanner) (Event, error) {
		var e Event
		var data string
		var applied sql.NullTime
		err := r.Scan(&e.Seq, &e.ID, &e.AccountID, &e.Type, &e.ObjectID, &data, &e.CreatedAt, &applied)
		e.Data, e.CreatedAt = json.RawMessage(data), e.CreatedAt.UTC()
		if applied.Valid {
			t := applied.Time.UTC()
			e.AppliedAt = &t
		}
		return e, err
	})
}

// MarkApplied records, in the consumer's transaction tx, that account's event id was
// applied. It reports false when it already was: the consumer then rolls back or skips its
// effects, so each event takes effect exactly once.
func MarkApplied(ctx context.Context, tx *sql.Tx, accountID int64, id string, at time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE processor_events SET applied_at = $3
		WHERE account_id = $1 AND id = $2 AND applied_at IS NULL`, accountID, id, at.UTC())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		var exists int
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM processor_events WHERE account_id = $1 AND id = $2`, accountID, id).Scan(&exists)
		if err == nil && exists == 0 {
			err = db.NotFoundOr(sql.ErrNoRows, "event %s", id)
		}
	}
	return n == 1, err
}
