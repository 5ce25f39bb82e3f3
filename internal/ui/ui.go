// Package ui serves the dashboard: server-rendered pages for the account's users, in their
// language, behind a session cookie with CSRF protection. Templates and static files are
// embedded in the binary. Handlers are linear — read the form, call the auth service with the
// signed-in account, render — and service errors meet HTTP in one place (errors.go).
package ui

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/payment"
)

// Deps are the services the dashboard uses.
type Deps struct {
	Auth    *auth.Service
	Logger  *slog.Logger
	Config  config.Config
	Version string
	// Clock tells whether an API token has expired; nil means the system clock.
	Clock clock.Clock
	// TestClocks reads and advances the account's test clock.
	TestClocks TestClocks
	// CRM reads and writes the account's contacts, companies, deals and their associations.
	CRM *crm.Service
	// Payments reads payment records and refunds them.
	Payments *payment.Service
	// Checkout keeps the account's payment links.
	Checkout *checkout.Service
	// Invoices finalizes, voids, sends and prints invoices.
	Invoices *invoice.Service
	// Files keeps uploaded logos, which buyer pages show.
	Files *files.Store
}

// UI is the dashboard's handlers, with its templates and assets read once at start.
type UI struct {
	deps   Deps
	text   *i18n.Catalog
	pages  pages
	assets assets
}

// New builds the dashboard over deps. Templates, catalogs and assets are embedded, so a
// failure to read them is a defect of the build and panics.
func New(deps Deps) *UI {
	u, err := build(deps)
	if err != nil {
		panic(fmt.Sprintf("ui: %v", err))
	}
	return u
}

func build(deps Deps) (*UI, error) {
	if deps.Clock == nil {
		deps.Clock = clock.System{}
	}
	text, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	ps, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &UI{deps: deps, text: text, pages: ps, assets: as}, nil
}

// route is one line of the dashboard's route table.
type route struct {
	pattern string
	handler http.Handler
}

// routes is the dashboard's route table. The JSON API owns /healthz, /readyz, /metrics,
// /openapi.json, /settle/v1/ and /crm/; buyer pages own /pay/, /invoices/pay/ and /quotes/.
func (u *UI) routes() []route {
	rs := []route{
		{"GET /static/", u.assets},
		{"GET /login", u.public(u.loginPage)},
		{"POST /login", u.public(u.login)},
		{"POST /logout", u.signedIn(u.logout)},
		{"GET /{$}", u.signedIn(u.home)},
		{"GET /settings", u.signedIn(u.accountPage)},
		{"POST /settings", u.signedIn(u.saveAccount)},
		{"POST /settings/logo", u.signedIn(u.saveLogo)},
		{"GET /settings/users", u.signedIn(u.usersPage)},
		{"POST /settings/users", u.signedIn(u.addUser)},
		{"GET /settings/users/{id}", u.signedIn(u.userPage)},
		{"POST /settings/users/{id}", u.signedIn(u.saveUser)},
		{"GET /settings/users/{id}/delete", u.signedIn(u.removeUserPage)},
		{"POST /settings/users/{id}/delete", u.signedIn(u.removeUser)},
		{"GET /settings/api-tokens", u.signedIn(u.tokensPage)},
		{"POST /settings/api-tokens", u.signedIn(u.createToken)},
		{"POST /settings/api-tokens/{id}/revoke", u.signedIn(u.revokeToken)},
		{"GET /settings/test-clock", u.signedIn(u.testClockPage)},
		{"POST /settings/test-clock", u.signedIn(u.advanceTestClock)},
	}
	for _, k := range recordKinds() {
		rs = append(rs, u.recordRoutes(k)...)
	}
	rs = append(rs, u.paymentRoutes()...)
	rs = append(rs, u.buyerRoutes()...)
	rs = append(rs, u.sellingRoutes()...)
	for _, s := range sections() {
		rs = append(rs, route{"GET " + s.Path, u.signedIn(u.sectionPage(s))})
	}
	return rs
}

// recordRoutes are the routes of a kind of CRM record: its index, its create form, each
// record's page, properties, archive and restore, and its associations.
func (u *UI) recordRoutes(k recordKind) []route {
	p := k.Path()
	return append([]route{
		{"GET " + p, u.signedIn(u.recordsPage(k))},
		{"POST " + p, u.signedIn(u.createRecord(k))},
		{"GET " + p + "/{id}", u.signedIn(u.recordPage(k))},
		{"POST " + p + "/{id}", u.signedIn(u.saveRecord(k))},
		{"GET " + p + "/{id}/archive", u.signedIn(u.archiveRecordPage(k))},
		{"POST " + p + "/{id}/archive", u.signedIn(u.archiveRecord(k))},
		{"POST " + p + "/{id}/restore", u.signedIn(u.restoreRecord(k))},
	}, u.associationRoutes(k)...)
}

// paymentRoutes are the payments list and each payment's panel (SPEC F23): its properties,
// which only payments recorded outside a processor may change, its refund form and its
// associations. Payments are recorded by the processor and the API, never created here.
func (u *UI) paymentRoutes() []route {
	p := paymentKind.Path()
	return append([]route{
		{"GET " + p, u.signedIn(u.paymentsPage)},
		{"GET " + p + "/{id}", u.signedIn(u.paymentPage)},
		{"POST " + p + "/{id}", u.signedIn(u.saveRecord(paymentKind))},
		{"GET " + p + "/{id}/refund", u.signedIn(u.refundPage)},
		{"POST " + p + "/{id}/refund", u.signedIn(u.refund)},
	}, u.associationRoutes(paymentKind)...)
}

// associationRoutes are the forms of a record page's association cards.
func (u *UI) associationRoutes(k recordKind) []route {
	p := k.Path()
	return []route{
		{"POST " + p + "/{id}/associations", u.signedIn(u.addAssociation(k))},
		{"POST " + p + "/{id}/associations/{type}/{to}", u.signedIn(u.saveAssociationLabels(k))},
		{"POST " + p + "/{id}/associations/{type}/{to}/delete", u.signedIn(u.removeAssociation(k))},
	}
}

// Register adds the dashboard's routes to mux.
func (u *UI) Register(mux *http.ServeMux) {
	for _, rt := range u.routes() {
		mux.Handle(rt.pattern, rt.handler)
	}
}
