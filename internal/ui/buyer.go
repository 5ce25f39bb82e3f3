package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/telemetry"
)

// buyerSite serves the buyer's pages: a payment link's checkout, an invoice's pay page and a
// quote's acceptance, public, without a session, in the merchant's brand and the buyer's
// language. Who pays is only ever what the form says (SPEC F9): a dashboard session in the
// same browser is never read.
type buyerSite struct {
	ui    *UI
	pages buyerPages
}

// buyerRoutes are the buyer pages: for payment links, invoices and quotes, the page with its
// form, the form's post and the receipt a successful payment leads to; for invoices, their
// PDF too. Templates are embedded, so a failure to parse them is a defect of the build and
// panics.
func (u *UI) buyerRoutes() []route {
	ps, err := parseBuyerPages()
	if err != nil {
		panic(fmt.Sprintf("ui: %v", err))
	}
	b := &buyerSite{ui: u, pages: ps}
	return []route{
		{"GET /pay/{slug}", serveBuyer(b, b.link, b.payPage)},
		{"POST /pay/{slug}", serveBuyer(b, b.link, b.pay)},
		{"GET /pay/{slug}/done/{receipt}", serveBuyer(b, b.link, b.donePage)},
		{"GET /invoices/pay/{token}", serveBuyer(b, b.invoice, b.invoicePage)},
		{"POST /invoices/pay/{token}", serveBuyer(b, b.invoice, b.payInvoice)},
		{"GET /invoices/pay/{token}/pdf", serveBuyer(b, b.invoice, b.invoicePDF)},
		{"GET /invoices/pay/{token}/done/{receipt}", serveBuyer(b, b.invoice, b.invoiceDone)},
		{"GET /quotes/{token}", serveBuyer(b, b.quote, b.quotePage)},
		{"POST /quotes/{token}", serveBuyer(b, b.quote, b.payQuote)},
		{"GET /quotes/{token}/done/{receipt}", serveBuyer(b, b.quote, b.quoteDone)},
		{"GET /brand/logo/{id}", http.HandlerFunc(b.logo)},
	}
}

// logo serves an account's current logo to its buyer pages. Only a file that some account
// shows as its logo now is served; its id changes with the logo, so it may be cached for
// good.
func (b *buyerSite) logo(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	acct, err := b.ui.deps.Auth.LogoOwner(r.Context(), id)
	var f files.File
	var data []byte
	if err == nil {
		f, data, err = b.ui.deps.Files.Open(r.Context(), acct, id)
	}
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, problem.ErrNotFound) {
			status = http.StatusNotFound
		} else {
			b.ui.deps.Logger.ErrorContext(r.Context(), "logo", "file", id, "error", err.Error())
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	_, _ = w.Write(data)
}

// buyerFunc answers one buyer request in lang, for what the page sells (a link, an invoice,
// a quote) and the account it belongs to.
type buyerFunc[S any] func(w http.ResponseWriter, r *http.Request, lang string, s S, acct auth.Account) error

// serveBuyer wraps a buyer page: it chooses the language (?lang=, then the browser's), reads
// what the path names with load and its account, and turns errors into the buyer's error
// pages.
func serveBuyer[S any](b *buyerSite, load func(*http.Request) (S, int64, error), h buyerFunc[S]) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := b.ui.language(w, r, "", "")
		s, accountID, err := load(r)
		var acct auth.Account
		if err == nil {
			acct, err = b.ui.deps.Auth.Account(r.Context(), accountID)
		}
		if err == nil {
			err = h(w, r, lang, s, acct)
		}
		if err != nil {
			b.fail(w, r, lang, acct, err)
		}
	})
}

// link reads the payment link of the path's slug.
func (b *buyerSite) link(r *http.Request) (checkout.Link, int64, error) {
	l, err := b.ui.deps.Checkout.LinkBySlug(r.Context(), r.PathValue("slug"))
	return l, l.AccountID, err
}

// goneError is something a buyer can no longer pay: a deactivated link, a voided invoice.
// Its page is 410 Gone, with the title and body of the catalog keys key.title and key.body.
type goneError struct{ key string }

func (e goneError) Error() string { return "gone: " + e.key }

// errLinkInactive is a deactivated link: it takes no more payments.
var errLinkInactive = goneError{"buyer.inactive"}

// fail answers a buyer request that failed: an unknown page or payment is 404, something
// that takes no more payments 410 Gone, anything else 500 with the request id to find its
// log line.
func (b *buyerSite) fail(w http.ResponseWriter, r *http.Request, lang string, acct auth.Account, err error) {
	id := telemetry.RequestID(r.Context())
	status, key := http.StatusInternalServerError, "buyer.error_page"
	var gone goneError
	switch {
	case errors.As(err, &gone):
		status, key = http.StatusGone, gone.key
	case errors.Is(err, problem.ErrNotFound):
		status, key = http.StatusNotFound, "buyer.not_found"
	default:
		b.ui.deps.Logger.ErrorContext(r.Context(), "buyer page failed", "request_id", id, "method", r.Method,
			"path", r.URL.Path, "error", err.Error())
	}
	if acct.ID == 0 {
		acct.Name = "Settle"
	}
	vw := buyerView{name: "buyer_gone", Status: status, Title: key + ".title", Brand: brandOf(acct),
		Data: errorData{Body: key + ".body", RequestID: id}}
	if rerr := b.render(w, r, lang, vw); rerr != nil {
		http.Error(w, http.StatusText(status), status)
	}
}

// payPage shows the checkout form of an active link.
func (b *buyerSite) payPage(w http.ResponseWriter, r *http.Request, lang string, l checkout.Link, acct auth.Account) error {
	if !l.Active {
		return errLinkInactive
	}
	values := url.Values{"quantity": {"1"}}
	if len(l.Methods) > 0 {
		values.Set("method", string(l.Methods[0]))
	}
	return b.renderForm(w, r, lang, l, acct, newForm(values), http.StatusOK)
}

// pay charges the buyer for an active link.
func (b *buyerSite) pay(w http.ResponseWriter, r *http.Request, lang string, l checkout.Link, acct auth.Account) error {
	if !l.Active {
		return errLinkInactive
	}
	return b.checkout(w, r, lang, linkSource(l), func(f *form, status int) error {
		return b.renderForm(w, r, lang, l, acct, f, status)
	})
}

// checkout charges the buyer for src through the checkout service and sends them to the
// receipt; a declined card or a refused field shows the form again with again, with what
// they typed except the card's number and CVC. A form whose CSRF token is not this
// browser's for src is refused before anything is read.
func (b *buyerSite) checkout(w http.ResponseWriter, r *http.Request, lang string, src paySource, again func(f *form, status int) error) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return problem.Invalid("", "INVALID_FORM", "The form could not be read.")
	}
	f := newForm(postedCopy(r.PostForm))
	f.forget("card.number")
	f.forget("card.cvc")
	f.forget(csrfField)
	if err := checkCheckoutToken(r, src.Path); err != nil {
		f.Message = b.ui.text.T(lang, "buyer.error.expired")
		return again(f, http.StatusForbidden)
	}
	in, rc, err := readCheckout(src, r.PostForm, lang)
	if err == nil {
		var res checkout.Result
		res, err = b.ui.deps.Checkout.Checkout(r.Context(), in)
		rc.PaymentID = res.Payment.ID
	}
	if err == nil {
		to := src.Path + "/done/" + rc.token(storedBuyerSecret(r), src.Path) + langQuery(r)
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	status, err := b.refusal(f, lang, err)
	if err != nil {
		return err
	}
	return again(f, status)
}

// refusal shows on f why a checkout was refused and returns the status to show the form
// with: 402 for a declined card, 400 for fields to correct. A link deactivated meanwhile,
// and any other error, is returned.
func (b *buyerSite) refusal(f *form, lang string, err error) (int, error) {
	var declined *payment.DeclinedError
	var inv *problem.InvalidError
	switch {
	case errors.As(err, &declined):
		f.refuse("card.number", b.ui.declineMessage(lang, declined.Code))
		return http.StatusPaymentRequired, nil
	case errors.As(err, &inv) && slices.ContainsFunc(inv.Fields, func(fe problem.FieldError) bool { return fe.Code == "INACTIVE_LINK" }):
		return 0, errLinkInactive
	case b.ui.refuseOn(f, lang, err):
		return http.StatusBadRequest, nil
	}
	return 0, err
}

// postedCopy copies posted values, so that forgetting a field of the form leaves the request
// as it was.
func postedCopy(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// langQuery carries a language chosen with ?lang= on to the next page.
func langQuery(r *http.Request) string {
	if lang := r.URL.Query().Get("lang"); lang != "" {
		return "?lang=" + url.QueryEscape(lang)
	}
	return ""
}

// payData is what the checkout page of a link shows besides its form.
type payData struct {
	Order buyerOrder
	Pay   *payForm
}

// renderForm shows the checkout form of l with f.
func (b *buyerSite) renderForm(w http.ResponseWriter, r *http.Request, lang string, l checkout.Link, acct auth.Account, f *form, status int) error {
	q, err := strconv.ParseInt(f.Value("quantity"), 10, 64)
	if err != nil || !l.AllowQuantity {
		q = 1
	}
	order, err := b.ui.order(scaledItems(l.Items, q), lang)
	if err != nil {
		return err
	}
	data := payData{Order: order, Pay: b.payForm(w, r, lang, linkSource(l), f, "buyer.pay.submit", order.Totals.Total)}
	return b.render(w, r, lang, buyerView{name: "buyer_pay", Status: status, Title: "buyer.pay.title", Heading: l.Name,
		Brand: brandOf(acct), Form: f, Data: data})
}
