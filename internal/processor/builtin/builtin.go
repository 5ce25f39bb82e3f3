// Package builtin is Settle's own processor, offered to merchants in the US, the UK and
// Canada. In test mode it simulates the card and bank-debit networks: the test instruments
// of API.md §3 behave as listed, funds become available after each rail's business-day
// delay, bank debits settle or fail and dispute cards open disputes through the schedule, on
// the account's clock. Card numbers and CVCs are checked and dropped at tokenization: only
// brand, last four digits, expiry and a keyed fingerprint are kept, and none is logged.
package builtin

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
	"github.com/settlehq/settle/internal/schedule"
)

// Countries returns the merchant countries the built-in processor serves, the same as
// auth.BuiltinCountries.
func Countries() []string { return []string{"US", "GB", "CA"} }

// Processor is the built-in processor.
type Processor struct {
	db     *db.DB
	clocks *clock.Accounts
	ledger *ledger.Ledger
	logger *slog.Logger
	sink   processor.Sink
	keys   sync.Map // account id → fingerprint key, as committed
}

var _ processor.Processor = (*Processor)(nil)

// New returns the built-in processor over d, telling each account's time with clocks and
// recording money movements in l.
func New(d *db.DB, clocks *clock.Accounts, l *ledger.Ledger, logger *slog.Logger) *Processor {
	return &Processor{db: d, clocks: clocks, ledger: l, logger: logger}
}

// OnEvent has sink applied to every new event, in the transaction that emits it, so that
// what an event changes (a payment's status) changes with it, exactly once.
func (p *Processor) OnEvent(sink processor.Sink) { p.sink = sink }

// publish stores e and hands it to the sink, unless it was stored before.
func (p *Processor) publish(ctx context.Context, tx *sql.Tx, e processor.NewEvent) error {
	ev, err := e.Event()
	if err != nil {
		return err
	}
	stored, err := processor.Emit(ctx, tx, e)
	if err != nil || !stored || p.sink == nil {
		return err
	}
	return p.sink(ctx, tx, ev)
}

// The kinds of scheduled work the processor does.
const (
	workRelease      = "builtin.release"
	workDebitSettle  = "builtin.debit_settle"
	workDisputeOpen  = "builtin.dispute_open"
	workRefundSettle = "builtin.refund_settle"
)

// Register gives the schedule the processor's handlers.
func (p *Processor) Register(s *schedule.Schedule) {
	s.Handle(workRelease, p.release)
	s.Handle(workDebitSettle, p.settleDebit)
	s.Handle(workDisputeOpen, p.openDispute)
	s.Handle(workRefundSettle, p.settleRefund)
}

// merchant is what the processor needs of an account.
type merchant struct {
	id         int64
	country    string
	settlement string
	testMode   bool
	loc        *time.Location
	now        time.Time
	fees       map[string]FeeSchedule // the account's, over the defaults
}

// loadMerchant reads an account in tx and refuses those the built-in processor cannot serve.
func (p *Processor) loadMerchant(ctx context.Context, tx *sql.Tx, accountID int64) (merchant, error) {
	return p.readMerchant(ctx, tx, accountID, true)
}

// readMerchant reads an account with its fees in tx — often the transaction's first
// statement, which carries its BEGIN (db.QueryTx) — checking that the processor serves it
// when check is set: work already under way (a debit settling) finishes whatever the account
// became since.
func (p *Processor) readMerchant(ctx context.Context, tx *sql.Tx, accountID int64, check bool) (merchant, error) {
	m := merchant{id: accountID, fees: DefaultFees()}
	var tz, proc string
	var offset int64
	found := false
	err := p.db.QueryTx(ctx, tx, `SELECT a.country, a.settlement_currency, a.test_mode, a.timezone, a.processor, `+
		clock.OffsetColumn+`, f.method, f.percent, f.fixed_minor, f.cap_minor
		FROM accounts a LEFT JOIN processor_fees f ON f.account_id = a.id WHERE a.id = $1`, []any{accountID},
		func(scan func(dest ...any) error) error {
			var fee feeRow
			if err := scan(&m.country, &m.settlement, &m.testMode, &tz, &proc, &offset,
				&fee.kind, &fee.percent, &fee.fixed, &fee.cap); err != nil {
				return err
			}
			found = true
			fee.apply(m.fees)
			return nil
		})
	if err != nil || !found {
		return merchant{}, db.NotFoundOr(cmp.Or(err, sql.ErrNoRows), "account %d", accountID)
	}
	if err := m.check(proc); err != nil && check {
		return merchant{}, err
	}
	if m.loc, err = clock.LoadLocation(tz); err != nil {
		m.loc = time.UTC
	}
	m.now = p.clocks.At(accountID, m.testMode, offset).Now
	return m, nil
}

func (m merchant) check(proc string) error {
	switch {
	case !slices.Contains(Countries(), m.country):
		return problem.Invalid("processor", "PROCESSOR_UNAVAILABLE",
			"The built-in processor is offered to accounts based in the US, the UK and Canada; an account in "+m.country+" must connect Stripe.")
	case proc != "builtin":
		return problem.Invalid("processor", "PROCESSOR_NOT_SELECTED", "This account processes payments with "+proc+", not the built-in processor.")
	case !m.testMode:
		return problem.Invalid("", "LIVE_MODE_UNAVAILABLE",
			"The built-in processor's live networks are not connected in this version of Settle; use test mode or connect Stripe.")
	}
	return nil
}

// today is the merchant's current date in its time zone.
func (m merchant) today() time.Time {
	y, mo, d := m.now.In(m.loc).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// newID returns a fresh object id with a prefix, such as ch_3f9a….
func newID(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}

// eventID is the stable id of the event of type typ about object: the same happening always
// gets the same id.
func eventID(object string, typ processor.EventType) string {
	return "evt_" + object + "_" + string(typ)
}
