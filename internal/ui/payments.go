package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/payment"
)

// paymentsPageSize is how many payments the list shows at once.
const paymentsPageSize = 25

// paymentsData is a page of the account's payments, newest first. The full index, with
// filters and saved views (SPEC F22), comes later.
type paymentsData struct {
	Rows              []paymentRow
	NextURL, FirstURL string
	// Empty is set when the account has no payment at all: the page leads to the payment
	// setup instead (SPEC F26).
	Empty bool
	// Processor and Currencies are the account's payment setup, for the empty state.
	Processor  string
	Currencies string
}

// paymentRow is a payment as a line of the list.
type paymentRow struct {
	URL, Amount, Email, Method string
	Status                     statusBadge
	Date                       time.Time
}

// statusBadge is a payment's status as a coloured label.
type statusBadge struct {
	Label string
	// Tone is the badge's colour: success, pending, neutral, warning or danger.
	Tone string
}

// paymentsPage lists the account's payments page by page: amount, status, date, customer
// and method.
func (u *UI) paymentsPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := mayRead(v, payment.Type); err != nil {
		return err
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	after = max(after, 0)
	pays, next, err := u.deps.Payments.List(r.Context(), v.Principal.AccountID, paymentsPageSize, after)
	if err != nil {
		return err
	}
	data := paymentsData{Empty: after == 0 && len(pays) == 0, Processor: u.text.T(v.Lang, "processor."+string(v.Account.Processor)),
		Currencies: strings.Join(v.Account.Currencies, ", ")}
	fm := u.formats(v)
	for _, p := range pays {
		data.Rows = append(data.Rows, paymentRow{URL: paymentKind.RecordPath(strconv.FormatInt(p.ID, 10)),
			Amount: p.Amount.Format(v.Lang), Email: p.Email, Method: fm.method(p.Record), Date: p.InitiatedAt,
			Status: u.statusBadge(v.Lang, p.Status)})
	}
	if next > 0 {
		data.NextURL = paymentKind.Path() + "?" + url.Values{"after": {strconv.FormatInt(next, 10)}}.Encode()
	}
	if after > 0 {
		data.FirstURL = paymentKind.Path()
	}
	return u.render(w, r, v, view{name: "payments", Title: "nav.payments", Section: paymentKind.Path(), Data: data})
}

// statusTones colours each status: done, still moving, given back, needing attention, lost.
var statusTones = map[payment.Status]string{
	payment.StatusSucceeded: "success", payment.StatusDisputeWon: "success",
	payment.StatusProcessing: "pending", payment.StatusProcessingRefund: "pending",
	payment.StatusPartiallyRefund: "neutral", payment.StatusRefunded: "neutral",
	payment.StatusDisputeNeeds: "warning", payment.StatusDisputeReview: "warning",
	payment.StatusFailed: "danger", payment.StatusDisputeLost: "danger",
}

func (u *UI) statusBadge(lang string, s payment.Status) statusBadge {
	tone, ok := statusTones[s]
	if !ok {
		tone = "neutral"
	}
	return statusBadge{Label: u.statusLabel(lang, string(s)), Tone: tone}
}

// statusLabel names a payment status in lang, as the payment schema's options do.
func (u *UI) statusLabel(lang, status string) string {
	if t, err := u.deps.CRM.Types().Lookup(payment.Type); err == nil {
		if p, ok := t.Property("hs_latest_status"); ok {
			for _, o := range p.Options {
				if o.Value == status {
					return o.Label.In(lang)
				}
			}
		}
	}
	return status
}

// method says how a payment was made: the method's name, the bank or card issuer and the
// last four digits when the processor gave them ("Card · Visa •••• 4242").
func (f formats) method(rec crm.Record) string {
	var parts []string
	if p, ok := rec.Type.Property("hs_payment_method_type"); ok {
		if name := f.value(p, rec); name != "" {
			parts = append(parts, name)
		}
	}
	if issuer := rec.Values["hs_payment_method_bank_or_issuer"]; issuer != "" {
		parts = append(parts, issuer)
	}
	out := strings.Join(parts, " · ")
	if last4 := rec.Values["hs_payment_method_last_4"]; last4 != "" {
		out = strings.TrimSpace(out + " •••• " + last4)
	}
	return out
}
