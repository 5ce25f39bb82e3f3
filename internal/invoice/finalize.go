package invoice

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// NumberPrefix begins every invoice number, followed by the account's sequence on at least
// four digits: INV-0001, INV-0002… INV-9999, INV-10000. Accounts have no setting for it.
const NumberPrefix = "INV-"

// DefaultTermDays is how many days after its invoice date an invoice is due when it is
// finalized without a due date and its draft names none (or one already past): net 30.
const DefaultTermDays = 30

// FinalizeInput is what finalizing an invoice may be told.
type FinalizeInput struct {
	// DueDate is the day payment is due, written YYYY-MM-DD, no earlier than the invoice
	// date; empty keeps the draft's hs_due_date when it is not past, else DefaultTermDays.
	DueDate string
}

// Finalize turns a draft into an open invoice, in one transaction: it computes the amounts
// from its line items, dates it today on the account's clock, sets its due date and gives it
// the account's next number. It refuses an invoice that is not a draft, has no line items or
// comes to nothing. Numbers have no gaps: the counter is taken last and stays locked until
// the transaction ends, and a finalize that fails or rolls back afterwards gives it back.
func (s *Service) Finalize(ctx context.Context, accountID, id int64, in FinalizeInput) (Invoice, error) {
	var out Invoice
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		inv, err := s.crm.LockRecord(ctx, tx, accountID, Type, id)
		if err != nil {
			return err
		}
		if err := checkMove(inv, StatusOpen); err != nil {
			return err
		}
		props, err := s.finalProperties(ctx, tx, accountID, inv, in)
		if err != nil {
			return err
		}
		rec, err := s.crm.SetProperties(ctx, accountID, Type, id, props, source())
		out = fromRecord(accountID, rec)
		return err
	})
	return out, err
}

// finalProperties are what finalizing writes: amounts, dates, number and status.
func (s *Service) finalProperties(ctx context.Context, tx *sql.Tx, accountID int64, inv crm.Record, in FinalizeInput) (map[string]string, error) {
	b, err := s.billOf(ctx, accountID, inv)
	if err != nil {
		return nil, err
	}
	if err := billable(inv, b); err != nil {
		return nil, err
	}
	today, err := s.today(ctx, tx, accountID)
	if err != nil {
		return nil, err
	}
	due, err := dueDate(in.DueDate, inv.Values["hs_due_date"], today)
	if err != nil {
		return nil, err
	}
	number, err := nextNumber(ctx, tx, accountID)
	if err != nil {
		return nil, err
	}
	props := amountProps(inv, b)
	props["hs_number"], props["hs_invoice_status"] = number, string(StatusOpen)
	props["hs_invoice_date"], props["hs_due_date"] = today.Format(time.DateOnly), due.Format(time.DateOnly)
	return props, nil
}

// billable refuses to finalize an invoice that bills nothing.
func billable(inv crm.Record, b bill) error {
	switch {
	case len(b.Lines) == 0:
		return problem.Invalid("line_items", "REQUIRED",
			describe(inv)+" has no line items: associate at least one before finalizing it.")
	case b.Totals.Total == 0:
		return problem.Invalid("line_items", "ZERO_TOTAL", describe(inv)+" comes to 0: an invoice must bill something.")
	}
	return nil
}

// today is the day it is on the account's clock, in the account's time zone, at midnight UTC.
func (s *Service) today(ctx context.Context, q db.Querier, accountID int64) (time.Time, error) {
	acct, err := s.accounts.Account(ctx, accountID)
	if err != nil {
		return time.Time{}, err
	}
	now, err := s.clocks.Now(ctx, q, accountID)
	if err != nil {
		return time.Time{}, err
	}
	if loc, err := clock.LoadLocation(acct.Timezone); err == nil {
		now = now.In(loc)
	}
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
}

// dueDate decides an invoice's due date: the one given, else the draft's when not past, else
// DefaultTermDays after today.
func dueDate(given, draft string, today time.Time) (time.Time, error) {
	if given == "" {
		if d, err := time.Parse(time.DateOnly, draft); err == nil && !d.Before(today) {
			return d, nil
		}
		return today.AddDate(0, 0, DefaultTermDays), nil
	}
	d, err := time.Parse(time.DateOnly, given)
	if err != nil {
		return time.Time{}, problem.Invalid("due_date", "INVALID_FORMAT",
			fmt.Sprintf("%q is not a day written YYYY-MM-DD, such as 2026-04-30.", given))
	}
	if d.Before(today) {
		return time.Time{}, problem.Invalid("due_date", "INVALID_RANGE",
			fmt.Sprintf("The due date must be on or after the invoice date, %s.", today.Format(time.DateOnly)))
	}
	return d, nil
}

// nextNumber takes the account's next invoice number in tx. The counter row stays locked
// until tx ends, so concurrent finalizes of one account take turns from here to their commit.
func nextNumber(ctx context.Context, tx *sql.Tx, accountID int64) (string, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO invoice_numbers (account_id, last_number) VALUES ($1, 1)
		ON CONFLICT (account_id) DO UPDATE SET last_number = invoice_numbers.last_number + 1
		RETURNING last_number`, accountID).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("take an invoice number: %w", err)
	}
	return FormatNumber(n), nil
}

// FormatNumber writes the nth invoice number of an account: FormatNumber(1) is INV-0001.
func FormatNumber(n int64) string { return fmt.Sprintf("%s%04d", NumberPrefix, n) }
