package api

import (
	"net/http"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
)

// typeScopes are the read and write scopes of each object type.
var typeScopes = map[string][2]auth.Scope{
	"contacts":          {auth.ScopeContactsRead, auth.ScopeContactsWrite},
	"companies":         {auth.ScopeCompaniesRead, auth.ScopeCompaniesWrite},
	"deals":             {auth.ScopeDealsRead, auth.ScopeDealsWrite},
	"products":          {auth.ScopeProductsRead, auth.ScopeProductsWrite},
	"line_items":        {auth.ScopeLineItemsRead, auth.ScopeLineItemsWrite},
	"quotes":            {auth.ScopeQuotesRead, auth.ScopeQuotesWrite},
	"invoices":          {auth.ScopeInvoicesRead, auth.ScopeInvoicesWrite},
	"subscriptions":     {auth.ScopeSubscriptionsRd, auth.ScopeSubscriptionsWr},
	"commerce_payments": {auth.ScopePaymentsRead, auth.ScopePaymentsWrite},
	"tasks":             {auth.ScopeTasksRead, auth.ScopeTasksWrite},
}

// objectType resolves the {param} path value to a type and checks that p may read it, or
// write it.
func (a *API) objectType(r *http.Request, p auth.Principal, param string, write bool) (*crm.ObjectType, error) {
	t, err := a.deps.CRM.Types().Lookup(r.PathValue(param))
	if err != nil {
		return nil, err
	}
	scope := typeScopes[t.Name][0]
	if write {
		scope = typeScopes[t.Name][1]
	}
	if !p.Can(scope) {
		return nil, missingScopeError{scope: scope}
	}
	return t, nil
}

// source names the caller in property history and timelines.
func source(p auth.Principal) crm.Source {
	return crm.Source{Type: "API", ID: "userId:" + strconv.FormatInt(p.UserID, 10)}
}

// readOptions reads properties, propertiesWithHistory, associations and archived.
func readOptions(r *http.Request) ([]string, crm.ReadOptions) {
	q := r.URL.Query()
	return queryList(q["properties"]), crm.ReadOptions{
		History:      queryList(q["propertiesWithHistory"]),
		Associations: queryList(q["associations"]),
		Archived:     q.Get("archived") == "true",
	}
}
