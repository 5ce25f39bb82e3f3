// Package payment keeps Settle's payment records (the commerce_payments object): recording a
// payment with everything that follows from it in one transaction — the buyer's contact, the
// company and deal, associations, timeline entries, and the follow-ups that send receipts and
// notify — the status machine, refunds, and the processor's events as they arrive.
package payment

import (
	"context"
	"database/sql"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/processor"
)

// Type is the CRM object type of payment records.
const Type = "commerce_payments"

// Processor is what payments ask of the account's processor.
type Processor interface {
	Pay(ctx context.Context, p processor.PayParams) (processor.Charge, error)
	Refund(ctx context.Context, p processor.RefundParams) (processor.Refund, error)
}

// Service records payments and everything they cause.
type Service struct {
	db        *db.DB
	clocks    *clock.Accounts
	crm       *crm.Service
	accounts  *auth.Service
	processor Processor
	// observers and handlers are registered while the app is wired, before it serves.
	observers []StatusObserver
	handlers  map[string]FollowupHandler
}

// Deps are what a Service needs.
type Deps struct {
	DB        *db.DB
	Clocks    *clock.Accounts
	CRM       *crm.Service
	Accounts  *auth.Service
	Processor Processor
}

// New returns a Service and makes it the CRM's hook for payment records, so that payments
// recorded through the CRM API follow the same rules.
func New(d Deps) *Service {
	s := &Service{db: d.DB, clocks: d.Clocks, crm: d.CRM, accounts: d.Accounts, processor: d.Processor}
	d.CRM.SetHook(Type, externalHook{s})
	return s
}

// settle is the source Settle's own writes carry in history and timelines.
func settle() crm.Source { return crm.Source{Type: "PAYMENTS", ID: "settle"} }

// inTx runs fn in one transaction that every service called with the ctx it gets joins.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error { return fn(s.db.WithTx(ctx, tx), tx) })
}

// accountKey carries, in the context of one write, the account it writes for.
type accountKey struct{}

// account returns the account a write is for: the one the write already read (withAccount),
// or a fresh read.
func (s *Service) account(ctx context.Context, id int64) (auth.Account, error) {
	if a, ok := ctx.Value(accountKey{}).(auth.Account); ok && a.ID == id {
		return a, nil
	}
	return s.accounts.Account(ctx, id)
}

// withAccount keeps a, just read, in ctx for the rest of the write.
func withAccount(ctx context.Context, a auth.Account) context.Context {
	return context.WithValue(ctx, accountKey{}, a)
}
