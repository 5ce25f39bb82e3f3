package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
)

// PaymentLinkJSON is a payment link; url is where buyers pay, slug what a checkout names.
type PaymentLinkJSON struct {
	ID                    string         `json:"id"`
	Slug                  string         `json:"slug"`
	URL                   string         `json:"url"`
	Name                  string         `json:"name"`
	Currency              string         `json:"currency"`
	LineItems             []LinkItemJSON `json:"line_items"`
	PaymentMethods        []string       `json:"payment_methods"`
	AllowQuantity         bool           `json:"allow_quantity"`
	CollectBillingAddress bool           `json:"collect_billing_address"`
	Active                bool           `json:"active"`
	CreatedAt             time.Time      `json:"created_at"`
	UpdatedAt             time.Time      `json:"updated_at"`
}

// PaymentLinkCreate is the body of POST /settle/v1/payment-links; payment_methods defaults
// to card.
type PaymentLinkCreate struct {
	Name                  string         `json:"name"`
	LineItems             []LinkItemJSON `json:"line_items"`
	PaymentMethods        []string       `json:"payment_methods,omitempty"`
	AllowQuantity         bool           `json:"allow_quantity,omitempty"`
	CollectBillingAddress bool           `json:"collect_billing_address,omitempty"`
}

// PaymentLinkUpdate is the body of PATCH /settle/v1/payment-links/{id}: the fields given
// replace the link's; line_items, when given, replaces the whole list.
type PaymentLinkUpdate struct {
	Name                  *string        `json:"name,omitempty"`
	LineItems             []LinkItemJSON `json:"line_items,omitempty"`
	PaymentMethods        []string       `json:"payment_methods,omitempty"`
	AllowQuantity         *bool          `json:"allow_quantity,omitempty"`
	CollectBillingAddress *bool          `json:"collect_billing_address,omitempty"`
	Active                *bool          `json:"active,omitempty"`
}

// PaymentLinkPageJSON is a page of payment links, newest first.
type PaymentLinkPageJSON struct {
	Results []PaymentLinkJSON `json:"results"`
	Paging  *PagingJSON       `json:"paging,omitempty"`
}

func (a *API) paymentLinkRoutes() []Route {
	const path = "/settle/v1/payment-links"
	return []Route{
		{Method: "GET", Path: path, Scope: auth.ScopeLinksRead, Tag: "Payment links", Summary: "List payment links, newest first",
			Response: PaymentLinkPageJSON{}, Status: 200, handle: a.listPaymentLinks},
		{Method: "POST", Path: path, Scope: auth.ScopeLinksWrite, Tag: "Payment links", Summary: "Create a payment link",
			Request: PaymentLinkCreate{}, Response: PaymentLinkJSON{}, Status: 201, handle: a.createPaymentLink},
		{Method: "GET", Path: path + "/{id}", Scope: auth.ScopeLinksRead, Tag: "Payment links", Summary: "Read a payment link",
			Response: PaymentLinkJSON{}, Status: 200, handle: a.getPaymentLink},
		{Method: "PATCH", Path: path + "/{id}", Scope: auth.ScopeLinksWrite, Tag: "Payment links",
			Summary: "Change a payment link; active:true takes a deactivated one back", Request: PaymentLinkUpdate{},
			Response: PaymentLinkJSON{}, Status: 200, handle: a.updatePaymentLink},
		{Method: "DELETE", Path: path + "/{id}", Scope: auth.ScopeLinksWrite, Tag: "Payment links",
			Summary: "Deactivate a payment link; it stays readable with active false", Status: 204, handle: a.deactivatePaymentLink},
	}
}

func (a *API) listPaymentLinks(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	limit, after, err := listPaging(r.URL.Query(), 10, 100)
	if err != nil {
		return err
	}
	links, next, err := a.deps.Checkout.List(r.Context(), p.AccountID, limit, after)
	if err != nil {
		return err
	}
	out := PaymentLinkPageJSON{Results: make([]PaymentLinkJSON, len(links))}
	for i, l := range links {
		out.Results[i] = a.paymentLinkJSON(l)
	}
	if next != 0 {
		out.Paging = nextPage(r, strconv.FormatInt(next, 10))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createPaymentLink(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body PaymentLinkCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	items, err := a.linkItems(r.Context(), p.AccountID, body.LineItems)
	if err != nil {
		return err
	}
	l, err := a.deps.Checkout.Create(r.Context(), p.AccountID, checkout.LinkInput{Name: body.Name, Items: items,
		Methods: linkMethods(body.PaymentMethods), AllowQuantity: body.AllowQuantity, CollectBillingAddress: body.CollectBillingAddress})
	return a.writePaymentLink(w, http.StatusCreated, l, err)
}

func (a *API) getPaymentLink(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "payment link")
	if err != nil {
		return err
	}
	l, err := a.deps.Checkout.Get(r.Context(), p.AccountID, id)
	return a.writePaymentLink(w, http.StatusOK, l, err)
}

func (a *API) updatePaymentLink(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "payment link")
	if err != nil {
		return err
	}
	var body PaymentLinkUpdate
	if err := decode(r, &body); err != nil {
		return err
	}
	patch := checkout.LinkPatch{Name: body.Name, Methods: linkMethods(body.PaymentMethods), AllowQuantity: body.AllowQuantity,
		CollectBillingAddress: body.CollectBillingAddress, Active: body.Active}
	if body.LineItems != nil {
		if patch.Items, err = a.linkItems(r.Context(), p.AccountID, body.LineItems); err != nil {
			return err
		}
	}
	l, err := a.deps.Checkout.Update(r.Context(), p.AccountID, id, patch)
	return a.writePaymentLink(w, http.StatusOK, l, err)
}

func (a *API) deactivatePaymentLink(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "payment link")
	if err != nil {
		return err
	}
	if _, err := a.deps.Checkout.Deactivate(r.Context(), p.AccountID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writePaymentLink answers with a link, or returns err.
func (a *API) writePaymentLink(w http.ResponseWriter, status int, l checkout.Link, err error) error {
	if err != nil {
		return apiItemFields(err)
	}
	writeJSON(w, status, a.paymentLinkJSON(l))
	return nil
}

func (a *API) paymentLinkJSON(l checkout.Link) PaymentLinkJSON {
	out := PaymentLinkJSON{ID: formatID(l.ID), Slug: l.Slug, URL: a.deps.Checkout.URL(l), Name: l.Name, Currency: l.Currency,
		LineItems: make([]LinkItemJSON, len(l.Items)), PaymentMethods: make([]string, len(l.Methods)), AllowQuantity: l.AllowQuantity,
		CollectBillingAddress: l.CollectBillingAddress, Active: l.Active, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
	for i, it := range l.Items {
		out.LineItems[i] = linkItemJSON(it)
	}
	for i, m := range l.Methods {
		out.PaymentMethods[i] = string(m)
	}
	return out
}

func linkMethods(names []string) []checkout.Method {
	if names == nil {
		return nil
	}
	out := make([]checkout.Method, len(names))
	for i, n := range names {
		out[i] = checkout.Method(n)
	}
	return out
}
