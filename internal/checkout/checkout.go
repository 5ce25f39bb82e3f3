// Package checkout sells: payment links, published quotes and open invoices, and the buyer's
// checkout through them. A payment link is a fixed list of line items in one currency,
// offered at a public URL /pay/{slug}; a quote is accepted and paid at /quotes/{token}, an
// invoice paid at /invoices/pay/{token}. A checkout charges the buyer through the payment
// service and, in the same transaction, writes the line items and the subscriptions
// recurring items start (SPEC F1, F9, F12, F13, F25). It knows nothing of HTTP.
package checkout

import (
	"context"
	"database/sql"
	"strings"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
)

// Service keeps payment links and runs checkouts.
type Service struct {
	db       *db.DB
	clock    clock.Clock
	crm      *crm.Service
	payments *payment.Service
	invoices *invoice.Service
	accounts *auth.Service
	clocks   *clock.Accounts
	baseURL  string
}

// Deps are what a Service needs.
type Deps struct {
	DB       *db.DB
	Clock    clock.Clock
	CRM      *crm.Service
	Payments *payment.Service
	// Invoices reads the invoices buyers pay.
	Invoices *invoice.Service
	// Accounts give a quote without a currency the account's default one.
	Accounts *auth.Service
	// Clocks tell each account its time, when quotes expire; nil uses Clock for all.
	Clocks *clock.Accounts
	// BaseURL is the server's public URL, under which links are served as /pay/{slug}.
	BaseURL string
}

// New returns a Service.
func New(d Deps) *Service {
	clocks := d.Clocks
	if clocks == nil {
		clocks = clock.NewAccounts(d.Clock, d.DB.Dialect)
	}
	return &Service{db: d.DB, clock: d.Clock, crm: d.CRM, payments: d.Payments, invoices: d.Invoices, accounts: d.Accounts, clocks: clocks,
		baseURL: strings.TrimRight(d.BaseURL, "/")}
}

// URL returns the public address of a link, where buyers pay.
func (s *Service) URL(l Link) string { return s.baseURL + "/pay/" + l.Slug }

// settle is the source checkout's CRM writes carry in history and timelines.
func settle() crm.Source { return crm.Source{Type: "PAYMENTS", ID: "checkout"} }

// inTx runs fn in one transaction that every service called with the ctx it gets joins.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error { return fn(s.db.WithTx(ctx, tx), tx) })
}
