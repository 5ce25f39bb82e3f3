package ui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

func TestBuyerQuotePage(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		brandAccount(t, a)
		_, expiring := payableQuote(t, a, time.Now().Add(48*time.Hour))
		q, token := payableQuote(t, a, time.Now().AddDate(0, 1, 0))
		_, accepted := payableQuote(t, a, time.Now().AddDate(0, 1, 0))
		payByAPI(t, a, "quote", accepted, "first@example.com")
		advanceTestClock(t, a, 72*time.Hour)
		page := "/quotes/" + token
		runBuyerPages(t, a, []buyerPageCase{
			{name: "english by default", path: page, status: http.StatusOK,
				want: []string{`<html lang="en">`, "<h1 id=\"order-title\">Gym &lt;b&gt;deal&lt;/b&gt;</h1>", `id="quote-merchant">Acme &lt;Studio&gt;`,
					`id="quote-expires">` + q.ExpiresAt.Format("January"), "Membership", "every month, 12 payments", "Discount: −$5.00",
					"Setup", `id="order-total">$75.00`, "Accept and pay", "Accept and pay $75.00", `id="method-card"`, `id="f-ach-routing-number"`,
					`action="/quotes/` + token + `"`},
				lack: []string{"<b>deal", `id="f-quantity"`, "Billing address", `id="order-due"`, `id="error-summary"`}},
			{name: "query language", path: page + "?lang=fr", status: http.StatusOK,
				want: []string{`<html lang="fr">`, "chaque mois, 12 paiements", "Accepter et payer 75,00", "Valable jusqu&#39;au"}},
			{name: "browser language", path: page, headers: []string{"Accept-Language", "de"}, status: http.StatusOK,
				want: []string{`<html lang="de">`, "jeden Monat, 12 Zahlungen", "Gültig bis", "Annehmen und"}},
			{name: "query beats browser", path: page + "?lang=es", headers: []string{"Accept-Language", "de"}, status: http.StatusOK,
				want: []string{`<html lang="es">`, "cada mes, 12 pagos", "Válido hasta", "Aceptar y pagar"}},
			{name: "expired", path: "/quotes/" + expiring, status: http.StatusGone,
				want: []string{"This quote has expired", "This quote expired on ", "ask Acme &lt;Studio&gt; for a new one", "$75.00"}, lack: noForm},
			{name: "expired in German", path: "/quotes/" + expiring + "?lang=de", status: http.StatusGone,
				want: []string{"Dieses Angebot ist am "}, lack: noForm},
			{name: "accepted", path: "/quotes/" + accepted, status: http.StatusOK,
				want: []string{"Quote accepted", "accepted and paid"}, lack: noForm},
			{name: "unknown", path: "/quotes/aaaaaaaaaaaaaaaa", status: http.StatusNotFound, want: []string{"Page not found"}, lack: noForm},
			{name: "an invoice's token", path: "/quotes/" + openInvoiceToken(t, a), status: http.StatusNotFound, lack: noForm},
		})
		if got := quoteStatusOf(t, a, q.ID); got != "PUBLISHED" {
			t.Errorf("showing the quote made it %s", got)
		}
	})
}

func TestBuyerQuoteRefusals(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		q, token := payableQuote(t, a, time.Now().AddDate(0, 1, 0))
		_, expiring := payableQuote(t, a, time.Now().Add(48*time.Hour))
		_, acceptedLater := payableQuote(t, a, time.Now().AddDate(0, 1, 0))
		link := sellingLink(t, a, checkout.LinkInput{})
		page := "/quotes/" + token
		good := cardForm("ada@example.com", "4242 4242 4242 4242")
		runRefusals(t, a, "ada@example.com", []refusalCase{
			{"no CSRF token", func(d *dashboard) (*http.Response, string) { d.get(page); return d.post(page, good) },
				http.StatusForbidden, []string{"This page had expired."}, nil},
			{"a payment link's CSRF token", forged(page, "/pay/"+link.Slug, good), http.StatusForbidden,
				[]string{"This page had expired."}, nil},
			{"a method of another currency", submitted(page, buyerValues(good, "method", "bacs", "bacs.sort_code", "108800",
				"bacs.account_number", "00012345", "bacs.account_holder", "Ada")), http.StatusBadRequest,
				[]string{"This payment method is not accepted here"}, nil},
			{"malformed email", submitted(page, buyerValues(good, "buyer.email", "ada@")), http.StatusBadRequest,
				[]string{"Enter an email address such as name@example.com.", `value="ada@"`}, nil},
			{"html in names", submitted(page, buyerValues(good, "buyer.email", "", "buyer.first_name", "<script>alert(2)</script>")),
				http.StatusBadRequest, []string{`value="&lt;script&gt;alert(2)&lt;/script&gt;"`}, nil},
			{"accepted meanwhile", stale("/quotes/"+acceptedLater, good, func() { payByAPI(t, a, "quote", acceptedLater, "first@example.com") }),
				http.StatusConflict, []string{"Quote accepted"}, noForm},
			{"expired meanwhile", stale("/quotes/"+expiring, good, func() { advanceTestClock(t, a, 72*time.Hour) }),
				http.StatusGone, []string{"This quote has expired"}, noForm},
		})
		if got := quoteStatusOf(t, a, q.ID); got != "PUBLISHED" {
			t.Errorf("refused checkouts left the quote %s", got)
		}
	})
}

func TestBuyerAcceptsQuoteByCard(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		q, token := payableQuote(t, a, time.Now().AddDate(0, 1, 0))
		page := "/quotes/" + token
		d := newDashboard(t, a)
		res, body := d.submit(page+"?lang=fr", page+"?lang=fr", cardForm("ada@example.com", "4242424242424242"))
		wantStatus(t, res, body, http.StatusSeeOther)
		done := res.Header.Get("Location")
		if !strings.HasPrefix(done, page+"/done/") || !strings.HasSuffix(done, "?lang=fr") {
			t.Fatalf("redirect to %q", done)
		}
		res, body = d.get(done)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Paiement reçu", `id="receipt-for">Gym &lt;b&gt;deal&lt;/b&gt;`, `id="receipt-amount">75,00`,
			`id="receipt-email">ada@example.com`)
		if got := quoteStatusOf(t, a, q.ID); got != "ACCEPTED" {
			t.Errorf("quote %s, want ACCEPTED", got)
		}
		wantBuyerRecords(t, a, "ada@example.com", 1)
		res, body = d.get(page)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Devis accepté") // the language chosen is remembered
		wantLacks(t, body, noForm...)
	})
}
