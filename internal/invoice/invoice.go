// Package invoice makes the CRM's invoices a feature. An invoice bills the line items
// associated with it; its amounts are computed by lineitem and kept current while it is a
// draft. Finalizing gives it the account's next number, without gaps, dates it and freezes
// it; it is then paid (by payments), voided or marked uncollectible, and can be emailed (a
// job) and printed as a PDF with the account's branding.
package invoice

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/riverqueue/river"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/money"
)

// Type is the CRM object type of invoices.
const Type = "invoices"

// lineItemType is the CRM object type of the lines an invoice bills.
const lineItemType = "line_items"

// Enqueuer adds a job in the caller's transaction; the jobs client provides it.
type Enqueuer interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) error
}

// Service finalizes, voids, sends and prints invoices, and keeps their amounts right.
type Service struct {
	db       *db.DB
	clocks   *clock.Accounts
	crm      *crm.Service
	accounts *auth.Service
	jobs     Enqueuer
	catalog  *i18n.Catalog
	files    *files.Store
}

// Deps are what a Service needs.
type Deps struct {
	DB       *db.DB
	Clocks   *clock.Accounts
	CRM      *crm.Service
	Accounts *auth.Service
	Jobs     Enqueuer
	// Catalog holds the texts of invoice PDFs.
	Catalog *i18n.Catalog
	// Files holds the account's logo, printed on its invoices.
	Files *files.Store
}

// New returns a Service and makes it the CRM's hook for invoices and line items, so that
// writes through the CRM API keep amounts current and leave finalized invoices alone.
func New(d Deps) *Service {
	s := &Service{db: d.DB, clocks: d.Clocks, crm: d.CRM, accounts: d.Accounts, jobs: d.Jobs, catalog: d.Catalog, files: d.Files}
	d.CRM.SetHook(Type, invoiceHook{s})
	d.CRM.SetHook(lineItemType, lineItemHook{s})
	return s
}

// source is the source Settle's own invoice writes carry in history and timelines.
func source() crm.Source { return crm.Source{Type: "SYSTEM", ID: "invoices"} }

// inTx runs fn in one transaction that every service called with the ctx it gets joins.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error { return fn(s.db.WithTx(ctx, tx), tx) })
}

// Invoice is an invoice as its CRM record holds it.
type Invoice struct {
	ID        int64
	AccountID int64
	// Number is the invoice's number, such as INV-0001; empty until it is finalized.
	Number string
	Status Status
	// Currency is the currency of its line items; empty on a draft without any.
	Currency string
	// Billed is what it bills (hs_amount_billed), Paid what was paid (hs_amount_paid) and
	// Due what is left to pay (hs_balance_due).
	Billed, Paid, Due money.Amount
	// IssueDate and DueDate are days written YYYY-MM-DD, empty when not set.
	IssueDate, DueDate string
	// Language is the language it is written in (hs_language), empty when not set.
	Language string
	Record   crm.Record
}

// fromRecord reads an invoice's record.
func fromRecord(accountID int64, rec crm.Record) Invoice {
	v := rec.Values
	cur := v["hs_currency"]
	return Invoice{ID: rec.ID, AccountID: accountID, Number: v["hs_number"], Status: statusOf(rec), Currency: cur,
		Billed: amountOf(v["hs_amount_billed"], cur), Paid: amountOf(v["hs_amount_paid"], cur),
		Due: amountOf(v["hs_balance_due"], cur), IssueDate: v["hs_invoice_date"], DueDate: v["hs_due_date"],
		Language: v["hs_language"], Record: rec}
}

// amountOf reads a decimal property in currency cur; empty or unreadable is zero.
func amountOf(value, cur string) money.Amount {
	a, err := money.ParseDecimal(value, cur)
	if value == "" || err != nil {
		return money.Amount{Currency: cur}
	}
	return a
}

// Get reads an invoice of the account.
func (s *Service) Get(ctx context.Context, accountID, id int64) (Invoice, error) {
	e, err := s.crm.Get(ctx, accountID, Type, idString(id), "", crm.ReadOptions{})
	if err != nil {
		return Invoice{}, err
	}
	return fromRecord(accountID, e.Record), nil
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// describe names an invoice in messages: by its number once it has one.
func describe(rec crm.Record) string {
	if n := rec.Values["hs_number"]; n != "" {
		return "Invoice " + n
	}
	return "Invoice " + rec.IDString()
}
