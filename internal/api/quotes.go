package api

import (
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
)

// QuoteJSON is a quote as /settle/v1 shows it: its total in minor units of its currency.
// Its other properties and its line items are read and written through the CRM API.
type QuoteJSON struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Status string `json:"status" enum:"DRAFT,PUBLISHED,ACCEPTED,EXPIRED"`
	// Amount is what accepting it pays: its total after discounts, tax included.
	Amount    int64     `json:"amount"`
	Currency  string    `json:"currency"`
	ExpiresAt time.Time `json:"expires_at"`
	// URL is the public page where the buyer accepts and pays it, {base}/quotes/{token};
	// its token is also the source id of a checkout of the quote.
	URL            string `json:"url"`
	PropertiesLink string `json:"properties_link"`
}

func (a *API) quoteRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/settle/v1/quotes/{id}/publish", Scope: auth.ScopeQuotesWrite, Tag: "Quotes",
			Summary:  "Publish a draft quote with line items, a contact and an expiration date ahead, so that its buyer can accept and pay it",
			Response: QuoteJSON{}, Status: 200, handle: a.publishQuote},
	}
}

func (a *API) publishQuote(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "quote")
	if err != nil {
		return err
	}
	q, err := a.deps.Checkout.Publish(r.Context(), p.AccountID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, QuoteJSON{ID: formatID(q.ID), Title: q.Title, Status: string(q.Status), Amount: q.Totals.Total,
		Currency: q.Totals.Currency, ExpiresAt: q.ExpiresAt.UTC(), URL: q.URL, PropertiesLink: "/crm/v3/objects/quotes/" + formatID(q.ID)})
	return nil
}
