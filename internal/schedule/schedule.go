// Package schedule holds the work that falls due at a business time — a bank debit
// settling, funds becoming available, a dispute opening, later renewals, reminders and
// payouts — as rows of one table, due on the clock of the account they belong to. A periodic
// job runs what is due on every account's clock, and advancing a test clock runs what falls
// due up to its new time, so live mode and test mode take the same path.
//
// Each row runs at most once to effect: a runner claims it with a conditional update in the
// same transaction as the handler's writes, so two replicas racing for it cannot both commit.
package schedule

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/db"
)

// maxAttempts is how many times a failing row is tried before it is left for an operator.
const maxAttempts = 10

// Work is one row of the schedule.
type Work struct {
	ID        int64
	AccountID int64
	Kind      string
	Subject   string
	DueAt     time.Time
}

// NewWork is what Add needs.
type NewWork struct {
	AccountID int64
	Kind      string
	Subject   string
	DueAt     time.Time
	CreatedAt time.Time
}

// Handler does one row's work in tx, the transaction that also marks it done. It must write
// only through tx.
type Handler func(ctx context.Context, tx *sql.Tx, w Work) error

// Schedule runs due work with the handlers registered per kind.
type Schedule struct {
	db       *db.DB
	clocks   *clock.Accounts
	logger   *slog.Logger
	handlers map[string]Handler
}

// New returns a schedule over d, telling each account's time with clocks.
func New(d *db.DB, clocks *clock.Accounts, logger *slog.Logger) *Schedule {
	return &Schedule{db: d, clocks: clocks, logger: logger, handlers: map[string]Handler{}}
}

// Handle registers the handler of kind. The composition root registers every kind before
// anything runs.
func (s *Schedule) Handle(kind string, h Handler) { s.handlers[kind] = h }

// insertWork schedules work unless the same kind, subject and due time is there already.
const insertWork = `INSERT INTO schedule (account_id, kind, subject, due_at, created_at)
	VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, subject, due_at) DO NOTHING`

// Add schedules work in tx. Adding the same kind, subject and due time again is a no-op.
func Add(ctx context.Context, tx *sql.Tx, w NewWork) error {
	_, err := tx.ExecContext(ctx, insertWork, w.row()...)
	if err != nil {
		return fmt.Errorf("schedule %s %s: %w", w.Kind, w.Subject, err)
	}
	return nil
}

// AddLater is Add for work that nothing reads before tx commits: the row is written with
// the transaction's other held-back writes (see db.Later).
func AddLater(d *db.DB, tx *sql.Tx, w NewWork) {
	d.LaterExec(tx, insertWork, w.row()...)
}

// row is the values insertWork stores for w.
func (w NewWork) row() []any {
	return []any{w.AccountID, w.Kind, w.Subject, w.DueAt.UTC().Truncate(time.Microsecond), w.CreatedAt.UTC()}
}

// RunDue runs, in due order, every row of account that is due on its clock, and returns how
// many it ran. It stops at the first failure, which is recorded on the row and returned.
func (s *Schedule) RunDue(ctx context.Context, accountID int64) (int, error) {
	ran := 0
	for {
		w, ok, err := s.runNext(ctx, accountID)
		if err != nil {
			return ran, s.fail(ctx, w, err)
		}
		if !ok {
			return ran, nil
		}
		ran++
	}
}

// runNext claims the earliest row of account that is due on its clock and does its work,
// all in one transaction: reading the clock there too means an advance made earlier in the
// same transaction (a request under an Idempotency-Key) is seen. Another runner holding
// the same row makes the conditional claim fail, and the row is skipped by this one.
func (s *Schedule) runNext(ctx context.Context, accountID int64) (Work, bool, error) {
	var w Work
	found := false
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		now, err := s.clocks.Now(ctx, tx, accountID)
		if err != nil {
			return err
		}
		if w, found, err = next(ctx, tx, accountID, now); err != nil || !found {
			return err
		}
		return s.claimAndRun(ctx, tx, w)
	})
	return w, found, err
}

// next reads the earliest pending row of account due at or before now.
func next(ctx context.Context, q db.Querier, accountID int64, now time.Time) (Work, bool, error) {
	var w Work
	err := q.QueryRowContext(ctx, `SELECT id, account_id, kind, subject, due_at FROM schedule
		WHERE account_id = $1 AND done_at IS NULL AND due_at <= $2 AND attempts < $3
		ORDER BY due_at, id LIMIT 1`, accountID, now.UTC(), maxAttempts).
		Scan(&w.ID, &w.AccountID, &w.Kind, &w.Subject, &w.DueAt)
	if err == sql.ErrNoRows {
		return Work{}, false, nil
	}
	w.DueAt = w.DueAt.UTC()
	return w, err == nil, err
}

// claimAndRun marks w done, unless another runner did, and does its work in tx.
func (s *Schedule) claimAndRun(ctx context.Context, tx *sql.Tx, w Work) error {
	h, ok := s.handlers[w.Kind]
	if !ok {
		return fmt.Errorf("no handler for scheduled work of kind %q", w.Kind)
	}
	res, err := tx.ExecContext(ctx, `UPDATE schedule SET done_at = $2, attempts = attempts + 1
		WHERE id = $1 AND done_at IS NULL`, w.ID, s.clocks.Base().Now().UTC())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return h(ctx, tx, w)
}

// fail records a failed attempt on w and returns err naming the work.
func (s *Schedule) fail(ctx context.Context, w Work, err error) error {
	err = fmt.Errorf("scheduled %s %s due %s: %w", w.Kind, w.Subject, w.DueAt.Format(time.RFC3339), err)
	s.logger.ErrorContext(ctx, "scheduled work failed", "account_id", w.AccountID, "work_id", w.ID, "error", err.Error())
	if w.ID == 0 {
		return err
	}
	bg := context.WithoutCancel(ctx)
	uerr := s.db.InTx(bg, func(tx *sql.Tx) error {
		_, execErr := tx.ExecContext(bg, `UPDATE schedule SET attempts = attempts + 1, last_error = $2
			WHERE id = $1 AND done_at IS NULL`, w.ID, err.Error())
		return execErr
	})
	if uerr != nil {
		s.logger.ErrorContext(ctx, "recording a failed attempt", "work_id", w.ID, "error", uerr.Error())
	}
	return err
}

// RunAllDue runs what is due on every account's clock, the periodic job's work. A failing
// account does not hold up the others; the count of rows run and the first error return.
func (s *Schedule) RunAllDue(ctx context.Context) (int, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT DISTINCT account_id FROM schedule
		WHERE done_at IS NULL AND attempts < $1 ORDER BY account_id`, maxAttempts)
	accounts, err := db.CollectRows[int64](rows, err)(func(r db.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return 0, err
	}
	total := 0
	var first error
	for _, id := range accounts {
		n, err := s.RunDue(ctx, id)
		total += n
		if first == nil {
			first = err
		}
	}
	return total, first
}

// Pending lists account's rows not yet done, in due order: what its clock has yet to reach.
func (s *Schedule) Pending(ctx context.Context, accountID int64) ([]Work, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, account_id, kind, subject, due_at FROM schedule
		WHERE account_id = $1 AND done_at IS NULL ORDER BY due_at, id`, accountID)
	return db.CollectRows[Work](rows, err)(func(r db.Scanner) (Work, error) {
		var w Work
		err := r.Scan(&w.ID, &w.AccountID, &w.Kind, &w.Subject, &w.DueAt)
		w.DueAt = w.DueAt.UTC()
		return w, err
	})
}
