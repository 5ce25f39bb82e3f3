package builtin

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// FeeDispute names the fee a dispute costs, beside the payment methods' fees.
const FeeDispute = "dispute"

// FeeSchedule is what the built-in processor charges for one kind of payment: a percentage
// of the amount plus a fixed part, at most Cap when Cap is set. Amounts are minor units of
// the settlement currency.
type FeeSchedule struct {
	// Percent is a decimal percentage such as "2.9"; "0" charges no percentage.
	Percent string
	Fixed   int64
	// Cap bounds the fee; zero means no cap.
	Cap int64
}

// DefaultFees are the fees of API.md §3, used unless an account sets its own.
func DefaultFees() map[string]FeeSchedule {
	return map[string]FeeSchedule{
		string(processor.MethodCard): {Percent: "2.9", Fixed: 30},
		string(processor.MethodACH):  {Percent: "0.8", Cap: 500},
		string(processor.MethodSEPA): {Percent: "0.8", Cap: 600},
		string(processor.MethodBACS): {Percent: "1", Cap: 400},
		string(processor.MethodPAD):  {Percent: "1", Cap: 500},
		FeeDispute:                   {Percent: "0", Fixed: 1500},
	}
}

// percent reads the schedule's percentage as a fraction; a zero percentage is the zero Rate.
func (f FeeSchedule) percent() (money.Rate, error) {
	if f.Percent == "0" || f.Percent == "0.0" {
		return money.Rate{}, nil
	}
	r, err := money.ParseRate(f.Percent)
	if err != nil {
		return money.Rate{}, err
	}
	return r.Percent(), nil
}

// Fee returns the fee on amount, rounded half away from zero once, then capped.
func (f FeeSchedule) Fee(amount money.Amount) (money.Amount, error) {
	pct, err := f.percent()
	if err != nil {
		return money.Amount{}, err
	}
	fee := money.Amount{Currency: amount.Currency}
	if !pct.IsZero() {
		if fee, err = amount.Times(pct); err != nil {
			return money.Amount{}, err
		}
	}
	fee.Minor += f.Fixed
	if f.Cap > 0 && fee.Minor > f.Cap {
		fee.Minor = f.Cap
	}
	return fee, nil
}

func (f FeeSchedule) validate(kind string) error {
	inv := &problem.InvalidError{}
	if _, ok := DefaultFees()[kind]; !ok {
		inv.Addf("method", "INVALID_OPTION", "%q is not a payment method or dispute.", kind)
	}
	if _, err := f.percent(); err != nil {
		inv.Addf("percent", "INVALID_FORMAT", "%q is not a percentage such as 2.9.", f.Percent)
	}
	if f.Fixed < 0 || f.Cap < 0 {
		inv.Add("fixed", "NEGATIVE", "Fees cannot be negative.")
	}
	return inv.OrNil()
}

// SetFee sets the fee an account pays for one payment method (or FeeDispute).
func (p *Processor) SetFee(ctx context.Context, accountID int64, kind string, f FeeSchedule) error {
	if err := f.validate(kind); err != nil {
		return err
	}
	return p.db.InTx(ctx, func(tx *sql.Tx) error {
		var capMinor sql.NullInt64
		if f.Cap > 0 {
			capMinor = sql.NullInt64{Int64: f.Cap, Valid: true}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO processor_fees (account_id, method, percent, fixed_minor, cap_minor, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, method) DO UPDATE
			SET percent = excluded.percent, fixed_minor = excluded.fixed_minor, cap_minor = excluded.cap_minor,
			updated_at = excluded.updated_at`, accountID, kind, f.Percent, f.Fixed, capMinor, p.clocks.Base().Now())
		return err
	})
}

// Fees returns the fees an account pays: the defaults, with its own settings over them.
func (p *Processor) Fees(ctx context.Context, accountID int64) (map[string]FeeSchedule, error) {
	return fees(ctx, p.db.Reader(ctx), accountID)
}

func fees(ctx context.Context, q db.Querier, accountID int64) (map[string]FeeSchedule, error) {
	out := DefaultFees()
	rows, err := q.QueryContext(ctx, `SELECT method, percent, fixed_minor, cap_minor FROM processor_fees WHERE account_id = $1`, accountID)
	if err != nil {
		return nil, db.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var fee feeRow
		if err := rows.Scan(&fee.kind, &fee.percent, &fee.fixed, &fee.cap); err != nil {
			return nil, db.MapError(err)
		}
		fee.apply(out)
	}
	return out, db.MapError(rows.Err())
}

// feeRow is a row of processor_fees, all null when read through an outer join that found
// none.
type feeRow struct {
	kind, percent sql.NullString
	fixed, cap    sql.NullInt64
}

// apply sets the fee the row holds in all.
func (r feeRow) apply(all map[string]FeeSchedule) {
	if r.kind.Valid {
		all[r.kind.String] = FeeSchedule{Percent: r.percent.String, Fixed: r.fixed.Int64, Cap: r.cap.Int64}
	}
}

// fee returns the fee of kind on amount for m, from the fees read with it.
func (m merchant) fee(kind string, amount money.Amount) (money.Amount, error) {
	fee, err := m.fees[kind].Fee(amount)
	if err != nil {
		return money.Amount{}, fmt.Errorf("fee %s of account %d: %w", kind, m.id, err)
	}
	return fee, nil
}

// feeFor returns the fee of kind on amount for an account.
func feeFor(ctx context.Context, q db.Querier, accountID int64, kind string, amount money.Amount) (money.Amount, error) {
	all, err := fees(ctx, q, accountID)
	if err != nil {
		return money.Amount{}, err
	}
	return merchant{id: accountID, fees: all}.fee(kind, amount)
}

// testRates are the exchange rates of the simulated network: units of the settlement
// currency for one unit of the charge currency.
var testRates = map[[2]string]string{
	{"EUR", "USD"}: "1.0837", {"GBP", "USD"}: "1.2710", {"CAD", "USD"}: "0.7350",
	{"USD", "GBP"}: "0.7868", {"EUR", "GBP"}: "0.8526", {"CAD", "GBP"}: "0.5783",
	{"USD", "CAD"}: "1.3605", {"EUR", "CAD"}: "1.4744", {"GBP", "CAD"}: "1.7292",
}

// rateFor returns the rate from one currency to another, the zero Rate when they are the
// same, and an invalid-input error when the network has none.
func rateFor(from, to string) (money.Rate, error) {
	if from == to {
		return money.Rate{}, nil
	}
	r, ok := testRates[[2]string{from, to}]
	if !ok {
		return money.Rate{}, problem.Invalid("amount.currency", "CURRENCY_UNSUPPORTED",
			fmt.Sprintf("The built-in processor cannot settle %s into %s; charge in %s or one of EUR, GBP, USD, CAD.", from, to, to))
	}
	return money.MustRate(r), nil
}

// settleTime is a moment a day's work falls due: the start of date in loc.
func settleTime(date time.Time, loc *time.Location) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc).UTC()
}
