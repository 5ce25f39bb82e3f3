package api

import (
	"net/http"

	"github.com/settlehq/settle/internal/auth"
)

// Access says who may call a route.
type Access int

// The kinds of access a route can require.
const (
	// Scoped routes need a token carrying Route.Scope, held by a user with its permission.
	Scoped Access = iota
	// Authenticated routes need any valid token.
	Authenticated
	// Public routes need nothing: health, readiness, metrics and the API description.
	Public
	// Buyer routes need no token either: buyers call them from public pages. They act for
	// the account that what the buyer pays belongs to, which Route.payer finds in the
	// request, and honour Idempotency-Key under it.
	Buyer
)

// Route is one entry of the route table: what it matches, who may call it, what it takes and
// returns (for the OpenAPI document) and the function that serves it.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Scope   auth.Scope
	Tag     string
	Summary string
	// Request and Response are zero values of the JSON bodies, described in the OpenAPI
	// document; nil means no body. Status is the success status code.
	Request  any
	Response any
	Status   int
	// Partial routes answer 207 with the same body when some inputs failed.
	Partial bool
	// OptionalBody routes take their Request body or no body at all.
	OptionalBody bool
	// RequestMedia is the Request body's media type when it is not JSON (a file upload's
	// multipart/form-data, whose fields Request describes).
	RequestMedia string
	// Raw routes write something other than JSON (metrics, health text).
	Raw    string
	handle handlerFunc
	// payer identifies the account of a Buyer route's request.
	payer func(r *http.Request) (auth.Principal, error)
}

// handlerFunc serves one request for an authenticated principal; a returned error becomes
// the documented error body.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

func (a *API) routeTable() []Route {
	var routes []Route
	routes = append(routes, a.systemRoutes()...)
	routes = append(routes, a.accountRoutes()...)
	routes = append(routes, a.fileRoutes()...)
	routes = append(routes, a.userRoutes()...)
	routes = append(routes, a.tokenRoutes()...)
	routes = append(routes, a.crmRoutes()...)
	routes = append(routes, a.paymentRoutes()...)
	routes = append(routes, a.testClockRoutes()...)
	routes = append(routes, a.invoiceRoutes()...)
	routes = append(routes, a.paymentLinkRoutes()...)
	routes = append(routes, a.checkoutRoutes()...)
	routes = append(routes, a.quoteRoutes()...)
	return routes
}

// crmRoutes are the CRM-shaped object API (reference/crm-api.md §3 and §4).
func (a *API) crmRoutes() []Route {
	var routes []Route
	routes = append(routes, a.crmObjectRoutes()...)
	routes = append(routes, a.crmBatchRoutes()...)
	routes = append(routes, a.crmSearchRoutes()...)
	routes = append(routes, a.crmPropertyRoutes()...)
	routes = append(routes, a.crmAssociationRoutes()...)
	routes = append(routes, a.crmAssociationBatchRoutes()...)
	return append(routes, a.crmLabelRoutes()...)
}
