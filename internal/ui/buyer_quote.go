package ui

import (
	"cmp"
	"net/http"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// buyerQuote is a quote as its page, /quotes/{token}, reads it.
type buyerQuote struct {
	q   checkout.Quote
	src paySource
}

// quote reads the quote of the path's token; one past its expiration date is read as
// expired. Its form accepts and pays it by the methods checkout.MethodsFor takes in its
// currency, without a quantity or an address. A draft has no page.
func (b *buyerSite) quote(r *http.Request) (buyerQuote, int64, error) {
	token := r.PathValue("token")
	q, err := b.ui.deps.Checkout.QuoteByToken(r.Context(), token)
	if err == nil && q.Status == checkout.QuoteDraft {
		err = problem.NotFound("quote %q", token)
	}
	src := paySource{Type: checkout.SourceQuote, ID: token, AccountID: q.AccountID, Path: "/quotes/" + token,
		Methods: checkout.MethodsFor(q.Totals.Currency)}
	return buyerQuote{q: q, src: src}, q.AccountID, err
}

// buyerQuoteData is what a quote's page shows.
type buyerQuoteData struct {
	Merchant, Expires string
	Order             buyerOrder
	// State is the catalog key prefix of what replaces the form of a quote that was
	// accepted or has expired; Pay is the form, nil when State is set.
	State string
	Pay   *payForm
}

// quotePage shows a quote, with the form that accepts and pays it while it is published.
// An expired quote is 410 Gone.
func (b *buyerSite) quotePage(w http.ResponseWriter, r *http.Request, lang string, bq buyerQuote, acct auth.Account) error {
	status := http.StatusOK
	if bq.q.Status == checkout.QuoteExpired {
		status = http.StatusGone
	}
	return b.renderQuote(w, r, lang, bq, acct, firstMethod(bq.src), status)
}

// payQuote accepts and pays a published quote. One accepted already (409 Conflict) or
// expired (410 Gone) shows so, and nothing is read of the form or charged.
func (b *buyerSite) payQuote(w http.ResponseWriter, r *http.Request, lang string, bq buyerQuote, acct auth.Account) error {
	switch bq.q.Status {
	case checkout.QuotePublished:
	case checkout.QuoteExpired:
		return b.renderQuote(w, r, lang, bq, acct, newForm(nil), http.StatusGone)
	default:
		return b.renderQuote(w, r, lang, bq, acct, newForm(nil), http.StatusConflict)
	}
	return b.checkout(w, r, lang, bq.src, func(f *form, status int) error {
		return b.renderQuote(w, r, lang, bq, acct, f, status)
	})
}

// renderQuote shows a quote, with f while it is published.
func (b *buyerSite) renderQuote(w http.ResponseWriter, r *http.Request, lang string, bq buyerQuote, acct auth.Account, f *form, status int) error {
	order, err := b.ui.order(bq.q.Items, lang)
	if err != nil {
		return err
	}
	br := brandOf(acct)
	data := buyerQuoteData{Merchant: br.Name, Expires: b.ui.buyerDate(lang, bq.q.ExpiresAt.In(location(acct.Timezone))), Order: order}
	switch bq.q.Status {
	case checkout.QuotePublished:
		data.Pay = b.payForm(w, r, lang, bq.src, f, "buyer.quote.submit", order.Totals.Total)
		data.Pay.Title = "buyer.quote.pay_title"
	case checkout.QuoteExpired:
		data.State = "buyer.quote.expired"
	default:
		data.State = "buyer.quote.accepted"
	}
	return b.render(w, r, lang, buyerView{name: "buyer_quote", Status: status, Title: "buyer.quote.title",
		Heading: buyerQuoteTitle(bq.q), Brand: br, Form: f, Data: data})
}

// buyerQuoteTitle is a quote's title, or its number when it has none.
func buyerQuoteTitle(q checkout.Quote) string {
	return cmp.Or(q.Title, "#"+strconv.FormatInt(q.ID, 10))
}

// quoteDone shows the receipt of the payment that accepted the quote, to the browser that
// made it.
func (b *buyerSite) quoteDone(w http.ResponseWriter, r *http.Request, lang string, bq buyerQuote, acct auth.Account) error {
	return b.receipt(w, r, lang, bq.src, buyerQuoteTitle(bq.q), acct, func(id int64) (payment.Payment, error) {
		return b.ui.deps.Checkout.SourcePayment(r.Context(), bq.q.AccountID, checkout.SourceQuote, bq.q.ID, id)
	})
}
