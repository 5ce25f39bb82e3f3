package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// The transaction that records a payment event queues it in payment_event_queue (see
// followups); the runner takes the queue in batches. A batch is one transaction: its rows
// deleted, every follow-up recorded in one statement, the handlers run. A committed event
// therefore has its follow-ups carried out exactly once in effect, whichever replica takes
// it, and a payment costs one queued row instead of a job of its own with its own commit.

const (
	// FollowupBatch is the most events one transaction of the runner takes.
	FollowupBatch = 100
	// followupMaxAttempts is how many times a failing event is tried before it is left in
	// the queue, with its last error, for an operator.
	followupMaxAttempts = 25
)

// queuedEvent is one event of the queue.
type queuedEvent struct {
	id int64
	Followup
	kinds    []string
	attempts int
}

// RunFollowups works the queue until ctx is done: after a full batch it takes the next at
// once, otherwise it looks again after idle.
func (s *Service) RunFollowups(ctx context.Context, idle time.Duration, logger *slog.Logger) {
	for ctx.Err() == nil {
		n, err := s.DrainFollowups(ctx)
		if err != nil && ctx.Err() == nil {
			logger.ErrorContext(ctx, "payment follow-ups", "error", err.Error())
		}
		if n == FollowupBatch && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(idle):
		}
	}
}

// DrainFollowups carries out the follow-ups of up to FollowupBatch due events in one
// transaction and returns how many events it took. When one fails the batch is undone, and
// each event runs alone: the others go through, the failing one is retried later.
func (s *Service) DrainFollowups(ctx context.Context) (int, error) {
	var taken []queuedEvent
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if taken, err = s.takeEvents(ctx, tx, 0, FollowupBatch); err != nil || len(taken) == 0 {
			return err
		}
		return s.runEvents(ctx, tx, taken)
	})
	if err == nil || len(taken) == 0 {
		return len(taken), err
	}
	var errs []error
	for _, e := range taken {
		errs = append(errs, s.runAlone(ctx, e))
	}
	return len(taken), errors.Join(errs...)
}

// runAlone carries out the follow-ups of one event in a transaction of its own; a failure
// is recorded on the event, which waits longer after each.
func (s *Service) runAlone(ctx context.Context, e queuedEvent) error {
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		taken, err := s.takeEvents(ctx, tx, e.id, 1)
		if err != nil || len(taken) == 0 {
			return err // another runner took it
		}
		return s.runEvents(ctx, tx, taken)
	})
	if err == nil {
		return nil
	}
	err = fmt.Errorf("payment %d, %s (attempt %d): %w", e.PaymentID, e.Event, e.attempts+1, err)
	retry := s.clocks.Base().Now().UTC().Add(followupBackoff(e.attempts + 1))
	if rerr := s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE payment_event_queue SET attempts = attempts + 1, run_after = $2, last_error = $3
			WHERE id = $1`, e.id, retry, err.Error())
		return err
	}); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// followupBackoff is how long an event waits after its nth failure: 2^n seconds, at most an
// hour.
func followupBackoff(n int) time.Duration {
	return min(time.Second<<min(n, 12), time.Hour)
}

// takeEvents deletes from the queue and returns, in queue order, up to limit events due now
// that other runners do not hold — only event id when id is not 0.
func (s *Service) takeEvents(ctx context.Context, tx *sql.Tx, id int64, limit int) ([]queuedEvent, error) {
	due := `SELECT id FROM payment_event_queue WHERE run_after <= $1 AND attempts < $2 AND ($3 = 0 OR id = $3)
		ORDER BY id LIMIT $4` + s.db.Dialect.SkipLocked()
	rows, err := tx.QueryContext(ctx, `DELETE FROM payment_event_queue WHERE `+s.db.Dialect.InOnce("id", due)+`
		RETURNING id, account_id, payment_id, event, kinds, attempts`,
		s.clocks.Base().Now().UTC(), followupMaxAttempts, id, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []queuedEvent
	for rows.Next() {
		var e queuedEvent
		var kinds string
		if err := rows.Scan(&e.id, &e.AccountID, &e.PaymentID, &e.Event, &kinds, &e.attempts); err != nil {
			return nil, err
		}
		if kinds != "" {
			e.kinds = strings.Split(kinds, ",")
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b queuedEvent) int { return int(a.id - b.id) })
	return out, rows.Err()
}

// QueueState is how the follow-up queue stands: events waiting (Queued), those among them
// that failed at least once and will be tried again (Retrying), and those that failed
// followupMaxAttempts times and wait for an operator (GivenUp).
type QueueState struct {
	Queued, Retrying, GivenUp int64
}

// FollowupQueue reads the state of the follow-up queue, over every account.
func (s *Service) FollowupQueue(ctx context.Context) (QueueState, error) {
	var q QueueState
	err := s.db.Read.QueryRowContext(ctx, `SELECT count(*),
		COALESCE(SUM(CASE WHEN attempts > 0 AND attempts < $1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN attempts >= $1 THEN 1 ELSE 0 END), 0)
		FROM payment_event_queue`, followupMaxAttempts).Scan(&q.Queued, &q.Retrying, &q.GivenUp)
	return q, err
}
