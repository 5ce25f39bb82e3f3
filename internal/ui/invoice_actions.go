package ui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// The actions of an invoice's page, each a form posted to its own path.
const (
	actionFinalize      = "finalize"
	actionVoid          = "void"
	actionUncollectible = "mark_uncollectible"
	actionSend          = "send"
	actionRecord        = "record_payment"
)

// actionFields are the fields each action's form has; a refusal of any other field is
// shown as the form's message.
var actionFields = map[string][]string{
	actionFinalize: {"due_date"},
	actionRecord:   {"amount", "method", "paid_at", "reference"},
}

// invoiceAction runs one action on the invoice of the path, for a user who may collect. What
// the invoice service refuses is shown on the invoice's page, by the action's form, and
// nothing changes; an action done returns to the page with a notice.
func (u *UI) invoiceAction(action string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := mayCollect(v); err != nil {
			return err
		}
		rec, err := u.pathRecord(r, v, invoiceKind(), false)
		if err != nil {
			return err
		}
		err = u.runInvoiceAction(r, v, action, rec.ID)
		act := newForm(r.PostForm)
		if status, ok := u.formFailure(v.Lang, "invoice", act, err, ""); ok {
			return u.renderRefusedAction(w, r, v, rec, action, act, status)
		}
		if err != nil {
			return err
		}
		return redirect(w, r, invoiceKind().RecordPath(rec.IDString()), "invoice_"+action)
	}
}

// runInvoiceAction calls the service behind an action.
func (u *UI) runInvoiceAction(r *http.Request, v *visit, action string, id int64) error {
	ctx, acct, svc := r.Context(), v.Principal.AccountID, u.deps.Invoices
	var err error
	switch action {
	case actionFinalize:
		_, err = svc.Finalize(ctx, acct, id, invoice.FinalizeInput{DueDate: strings.TrimSpace(r.PostForm.Get("due_date"))})
	case actionVoid:
		_, err = svc.Void(ctx, acct, id)
	case actionUncollectible:
		_, err = svc.MarkUncollectible(ctx, acct, id)
	case actionSend:
		_, err = svc.Send(ctx, acct, id)
	case actionRecord:
		var in payment.ManualInput
		if in, err = u.manualInput(r, v, id); err == nil {
			_, err = u.deps.Payments.RecordManual(ctx, acct, id, in)
		}
	}
	return err
}

// renderRefusedAction shows the invoice's page again with the refused action's form as it
// was posted, its errors next to its fields and the others above it.
func (u *UI) renderRefusedAction(w http.ResponseWriter, r *http.Request, v *visit, rec loadedRecord, action string, act *form, status int) error {
	for field, msg := range act.errors {
		if !slices.Contains(actionFields[action], field) {
			act.Message = strings.TrimSpace(act.Message + " " + msg)
			delete(act.errors, field)
		}
	}
	vw, err := u.invoiceView(r, v, rec, nil, status)
	if err != nil {
		return err
	}
	data := vw.Data.(invoiceData)
	data.Failed, data.Act = action, act
	if action == actionRecord {
		data.Manual.Amount, data.Manual.PaidAt = act.Value("amount"), act.Value("paid_at")
		for i := range data.Manual.Methods {
			data.Manual.Methods[i].Selected = data.Manual.Methods[i].Value == act.Value("method")
		}
	}
	vw.Data = data
	return u.render(w, r, v, vw)
}

// manualInput reads the manual payment form: an amount in the invoice's currency (a decimal
// comma is read as a point), a method, the day it was received in the account's time zone
// and a reference.
func (u *UI) manualInput(r *http.Request, v *visit, id int64) (payment.ManualInput, error) {
	inv, err := u.deps.Invoices.Get(r.Context(), v.Principal.AccountID, id)
	if err != nil {
		return payment.ManualInput{}, err
	}
	form := r.PostForm
	bad := &problem.InvalidError{}
	cur := cmp.Or(inv.Currency, v.Account.DefaultCurrency)
	amount, err := money.ParseDecimal(decimalPoint(form.Get("amount")), cur)
	if err != nil || amount.Minor <= 0 {
		bad.Add("amount", "INVALID_AMOUNT", "Enter the amount received.")
	}
	paid, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(form.Get("paid_at")), location(v.Account.Timezone))
	if err != nil {
		bad.Add("paid_at", "INVALID_DATE", "Enter the day the money was received.")
	}
	method := form.Get("method")
	if !slices.Contains(manualMethods, method) {
		bad.Add("method", "INVALID_OPTION", "Choose one of the methods offered.")
	}
	return payment.ManualInput{Amount: amount, Method: method, PaidAt: paid, Reference: strings.TrimSpace(form.Get("reference"))}, bad.OrNil()
}

// decimalPoint reads a decimal comma as a point, as people in many countries write it.
func decimalPoint(raw string) string {
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, ".") {
		raw = strings.Replace(raw, ",", ".", 1)
	}
	return raw
}

// invoicePDF answers with the invoice's PDF, as the API's PDF endpoint does, for a session:
// rendered whole before anything is sent.
func (u *UI) invoicePDF(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	pdf, inv, err := u.deps.Invoices.PDF(r.Context(), v.Principal.AccountID, n)
	if err != nil {
		return err
	}
	name := url.PathEscape(cmp.Or(inv.Number, "invoice-"+id)) + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pdf) // a failed write is a browser gone away: nothing left to tell it
	return nil
}
