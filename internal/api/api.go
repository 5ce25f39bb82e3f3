// Package api serves Settle's JSON API: the CRM-shaped object API and the /settle/v1 actions.
// Handlers are thin — decode, call a service, write — and every error is turned into the
// documented error body by one function. The route table is also the source of the OpenAPI
// document, so the two cannot drift apart.
package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/idempotency"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/telemetry"
)

// Deps are the services the API calls.
type Deps struct {
	Auth        *auth.Service
	Idempotency *idempotency.Store
	CRM         *crm.Service
	Payments    *payment.Service
	Invoices    *invoice.Service
	Checkout    *checkout.Service
	Files       *files.Store
	Logger      *slog.Logger
	Metrics     *telemetry.Metrics
	// Ready reports whether the process can serve traffic (database reachable and migrated).
	Ready   func(ctx context.Context) error
	Version string

	// TestClocks reads and advances test clocks.
	TestClocks TestClocks
}

// API is the JSON API's handlers and route table.
type API struct {
	deps   Deps
	routes []Route
}

// New builds the API over deps.
func New(deps Deps) *API {
	a := &API{deps: deps}
	a.routes = a.routeTable()
	return a
}

// Routes returns the route table, for the OpenAPI document and for tests that must cover
// every route.
func (a *API) Routes() []Route { return a.routes }

// Register adds every route to mux.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range a.routes {
		mux.Handle(rt.Method+" "+rt.Path, a.handler(rt))
	}
}
