package processor

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/settlehq/settle/internal/db"
)

// Store keeps, in tx, an event delivered from outside the transaction that made it (a
// connected processor's webhook), with the charge it concerns, so that Pending finds it
// while it waits for an earlier event of that charge. Storing an id already stored is a
// no-op and reports false.
func Store(ctx context.Context, tx *sql.Tx, chargeID string, e NewEvent) (bool, error) {
	row, err := e.row()
	if err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO processor_events (id, account_id, type, object_id, data, created_at, charge_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`, append(row, chargeID)...)
	if err != nil {
		return false, fmt.Errorf("store event %s: %w", e.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Pending returns the events stored with Store about an account's charge that are not
// applied yet, in the order the processor made them: by creation time, then by id, which
// does not depend on the order they arrived in.
func Pending(ctx context.Context, q db.Querier, accountID int64, chargeID string) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, id, account_id, type, object_id, data, created_at
		FROM processor_events WHERE account_id = $1 AND charge_id = $2 AND applied_at IS NULL
		ORDER BY created_at, id`, accountID, chargeID)
	return db.CollectRows[Event](rows, err)(func(r db.Scanner) (Event, error) {
		var e Event
		var data string
		err := r.Scan(&e.Seq, &e.ID, &e.AccountID, &e.Type, &e.ObjectID, &data, &e.CreatedAt)
		e.Data, e.CreatedAt = json.RawMessage(data), e.CreatedAt.UTC()
		return e, err
	})
}
