package api_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/testenv"
)

// TestInvoiceThroughTheAPI follows an invoice made with the CRM API from draft to paid: its
// amounts follow its three line items, finalizing numbers and freezes it, its PDF reads back
// in its language, sending it runs one job, and once paid it cannot be voided.
func TestInvoiceThroughTheAPI(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		brand := "Brasserie Dupont"
		if _, err := a.Auth.UpdateAccount(context.Background(), a.Account.ID, auth.AccountUpdate{BrandCompanyName: &brand}); err != nil {
			t.Fatal(err)
		}
		inv, lines := invoiceFromTheCRM(t, a)
		url := "/settle/v1/invoices/" + inv
		props := "/crm/v3/objects/invoices/" + inv + "?properties=hs_number,hs_invoice_status,hs_currency,hs_amount_billed,hs_balance_due,hs_invoice_date,hs_due_date"
		a.Run(t, []apptest.Scenario{
			{Name: "the draft bills its line items", Method: "GET", URL: props, ExpectedStatus: 200, ExpectedContent: []string{
				`"hs_invoice_status":"draft"`, `"hs_currency":"USD"`, `"hs_amount_billed":"4562.98"`, `"hs_balance_due":"4562.98"`}},
			{Name: "its status is not written by hand", Method: "PATCH", URL: "/crm/v3/objects/invoices/" + inv, ExpectedStatus: 400,
				Body: `{"properties":{"hs_invoice_status":"open"}}`, ExpectedContent: []string{"INVALID_TRANSITION"}},
			{Name: "a draft takes no payment", Method: "POST", URL: url + "/manual-payments", ExpectedStatus: 400,
				Body: `{"amount":100,"currency":"USD","method":"cash","paid_at":"2026-11-25T10:00:00Z"}`, ExpectedContent: []string{"INVOICE_NOT_PAYABLE"}},
			{Name: "a draft is not sent", Method: "POST", URL: url + "/send", ExpectedStatus: 400, ExpectedContent: []string{"INVOICE_NOT_OPEN"}},
			{Name: "a due date in the past", Method: "POST", URL: url + "/finalize", Body: `{"due_date":"2000-01-01"}`, ExpectedStatus: 400,
				ExpectedContent: []string{"INVALID_RANGE"}},
			{Name: "finalize", Method: "POST", URL: url + "/finalize", Body: `{"due_date":"2099-12-31"}`, ExpectedStatus: 200,
				ExpectedContent: []string{`"number":"INV-0001"`, `"status":"open"`, `"currency":"USD"`, `"amount_billed":456298`,
					`"amount_paid":0`, `"balance_due":456298`, `"due_date":"2099-12-31"`, `"invoice_date":"` + today(t, a) + `"`}},
			{Name: "finalize again", Method: "POST", URL: url + "/finalize", ExpectedStatus: 400, ExpectedContent: []string{"INVALID_TRANSITION"}},
			{Name: "the CRM shows its number", Method: "GET", URL: props, ExpectedStatus: 200,
				ExpectedContent: []string{`"hs_number":"INV-0001"`, `"hs_invoice_status":"open"`, `"hs_due_date":"2099-12-31"`}},
			{Name: "its line items are frozen", Method: "PATCH", URL: "/crm/v3/objects/line_items/" + lines[0], ExpectedStatus: 400,
				Body: `{"properties":{"price":"1"}}`, ExpectedContent: []string{"INVOICE_FINALIZED"}},
			{Name: "and stay on it", Method: "DELETE", URL: "/crm/v4/objects/invoices/" + inv + "/associations/line_items/" + lines[0],
				ExpectedStatus: 400, ExpectedContent: []string{"INVOICE_FINALIZED"}},
			{Name: "it is not archived", Method: "DELETE", URL: "/crm/v3/objects/invoices/" + inv, ExpectedStatus: 400},
			{Name: "its language may change", Method: "PATCH", URL: "/crm/v3/objects/invoices/" + inv, ExpectedStatus: 200,
				Body: `{"properties":{"hs_language":"fr"}}`},
		})
		text := invoicePDFText(t, a, inv)
		usd := func(minor int64) string { return spaced(money.Amount{Minor: minor, Currency: "USD"}.Format("fr")) }
		for _, want := range []string{"Facture", "INV-0001", brand, "Jean Dupont", "jean@globex.test", "Globex SARL", "Consulting", "Training",
			"Support", "Sous-total", usd(385995), usd(3250), usd(73553), usd(456298), "Montant payé", "Solde à payer", "31 décembre 2099"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		a.Run(t, []apptest.Scenario{{Name: "send", Method: "POST", URL: url + "/send", ExpectedStatus: 200,
			ExpectedContent: []string{`"to":"jean@globex.test"`, `"invoice_id":"` + inv + `"`}}})
		waitEmailed(t, a, inv, 1)
		a.Run(t, []apptest.Scenario{
			{Name: "pay it all", Method: "POST", URL: url + "/manual-payments", ExpectedStatus: 201,
				Body: `{"amount":456298,"currency":"USD","method":"wire_transfer","paid_at":"2026-11-25T10:00:00Z"}`},
			{Name: "paid", Method: "GET", URL: props, ExpectedStatus: 200, ExpectedContent: []string{`"hs_invoice_status":"paid"`, `"hs_balance_due":"0"`}},
			{Name: "a paid invoice is not voided", Method: "POST", URL: url + "/void", ExpectedStatus: 400, ExpectedContent: []string{"INVALID_TRANSITION"}},
			{Name: "nor marked uncollectible", Method: "POST", URL: url + "/mark-uncollectible", ExpectedStatus: 400},
		})
	})
}

// invoiceFromTheCRM creates, through the CRM API, a contact, a company and a draft invoice
// for them with three line items that come to 4,562.98 USD: 3 × 1,200 with 20% tax; 2 ×
// 99.99 less 12.5% (25.00, up from 24.9975) with 8.875% tax (15.53, up from 15.529475); and
// 3 × 19.99 less 2.50 a unit. It returns the invoice's id and its line items'.
func invoiceFromTheCRM(t *testing.T, a *apptest.App) (string, []string) {
	t.Helper()
	var contact, company, inv string
	a.Run(t, []apptest.Scenario{
		{Name: "a contact", Method: "POST", URL: "/crm/v3/objects/contacts", ExpectedStatus: 201, Check: idOf(&contact),
			Body: `{"properties":{"email":"jean@globex.test","firstname":"Jean","lastname":"Dupont"}}`},
		{Name: "a company", Method: "POST", URL: "/crm/v3/objects/companies", ExpectedStatus: 201, Check: idOf(&company),
			Body: `{"properties":{"name":"Globex SARL","address":"1 rue de Rivoli","zip":"75001","city":"Paris"}}`},
	})
	a.Run(t, []apptest.Scenario{{Name: "an invoice", Method: "POST", URL: "/crm/v3/objects/invoices", ExpectedStatus: 201, Check: idOf(&inv),
		Body:            `{"properties":{"hs_comments":"Thank you"},"associations":[` + assoc(contact, 177) + `,` + assoc(company, 179) + `]}`,
		ExpectedContent: []string{`"hs_invoice_status":"draft"`}}})
	bodies := []string{
		`{"name":"Consulting","price":"1200","quantity":"3","hs_tax_rate":"20"}`,
		`{"name":"Training","price":"99.99","quantity":"2","hs_discount_percentage":"12.5","hs_tax_rate":"8.875"}`,
		`{"name":"Support","price":"19.99","quantity":"3","discount":"2.50"}`,
	}
	lines := make([]string, len(bodies))
	for i, props := range bodies {
		a.Run(t, []apptest.Scenario{{Name: "a line item", Method: "POST", URL: "/crm/v3/objects/line_items", ExpectedStatus: 201,
			Check: idOf(&lines[i]), Body: `{"properties":` + props + `,"associations":[` + assoc(inv, 410) + `]}`}})
	}
	return inv, lines
}

// assoc is one association of a CRM create body.
func assoc(id string, typeID int) string {
	return `{"to":{"id":"` + id + `"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":` + itoa(int64(typeID)) + `}]}`
}

// today is the day it is for the test app's account, in its time zone.
func today(t *testing.T, a *apptest.App) string {
	t.Helper()
	now, err := a.Clocks.Now(context.Background(), a.DB.Read, a.Account.ID)
	loc, lerr := time.LoadLocation(a.Account.Timezone)
	if err != nil || lerr != nil {
		t.Fatal(err, lerr)
	}
	return now.In(loc).Format(time.DateOnly)
}

func TestClosingInvoices(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		voided := invoiceWithLines(t, a, "v@example.com", invoiceLine("Audit", "100", "1"))
		lost := invoiceWithLines(t, a, "l@example.com", invoiceLine("Audit", "100", "1"))
		for _, inv := range []crm.Record{voided, lost} {
			a.Run(t, []apptest.Scenario{{Name: "finalize", Method: "POST", URL: "/settle/v1/invoices/" + inv.IDString() + "/finalize",
				ExpectedStatus: 200}})
		}
		v, l := "/settle/v1/invoices/"+voided.IDString(), "/settle/v1/invoices/"+lost.IDString()
		a.Run(t, []apptest.Scenario{
			{Name: "void", Method: "POST", URL: v + "/void", ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"voided"`, `"amount_billed":10000`, `"balance_due":0`}},
			{Name: "a void invoice takes no payment", Method: "POST", URL: v + "/manual-payments", ExpectedStatus: 400,
				Body: `{"amount":10000,"currency":"USD","method":"cash","paid_at":"2026-11-25T10:00:00Z"}`, ExpectedContent: []string{"INVOICE_NOT_PAYABLE"}},
			{Name: "is not sent", Method: "POST", URL: v + "/send", ExpectedStatus: 400, ExpectedContent: []string{"INVOICE_NOT_OPEN"}},
			{Name: "nor marked uncollectible", Method: "POST", URL: v + "/mark-uncollectible", ExpectedStatus: 400,
				ExpectedContent: []string{"INVALID_TRANSITION"}},
			{Name: "mark uncollectible", Method: "POST", URL: l + "/mark-uncollectible", ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"uncollectible"`, `"balance_due":10000`}},
			{Name: "an uncollectible invoice is not voided", Method: "POST", URL: l + "/void", ExpectedStatus: 400},
			{Name: "a missing invoice", Method: "POST", URL: "/settle/v1/invoices/999999/void", ExpectedStatus: 404},
		})
		for _, inv := range []crm.Record{voided, lost} {
			if sent, err := a.Invoices.Deliveries(ctx, a.Account.ID, inv.ID); err != nil || len(sent) != 0 {
				t.Errorf("invoice %d was sent: %+v, %v", inv.ID, sent, err)
			}
		}
		if text := invoicePDFText(t, a, voided.IDString()); !strings.Contains(text, "VOID") || !strings.Contains(text, "INV-0001") {
			t.Errorf("the void invoice's PDF:\n%s", text)
		}
	})
}

func TestDraftInvoicePDF(t *testing.T) {
	a := apptest.New(t, config.SQLite)
	draft := invoiceWithLines(t, a, "", invoiceLine("Audit", "100", "1"))
	text := invoicePDFText(t, a, draft.IDString())
	for _, want := range []string{"Invoice", "Draft", "Audit", "$100.00", a.Account.Name} {
		if !strings.Contains(text, want) {
			t.Errorf("the draft's PDF lacks %q:\n%s", want, text)
		}
	}
}

// invoicePDFText reads an invoice's PDF through the API and back with poppler's pdftotext,
// with no-break spaces as plain ones.
func invoicePDFText(t *testing.T, a *apptest.App, id string) string {
	t.Helper()
	bin := testenv.NeedCommand(t, "pdftotext", "apt-get install poppler-utils")
	res, body := a.Do(t, "GET", "/settle/v1/invoices/"+id+"/pdf", "", "", nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(body), "%PDF-") {
		t.Fatalf("PDF: status %d, Content-Type %q, body %.40q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return spaced(string(out))
}

// spaced turns the no-break spaces of formatted numbers into plain ones.
func spaced(s string) string { return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s) }

// waitEmailed waits until an invoice has n deliveries, each emailed, and checks that one
// job was inserted for each.
func waitEmailed(t *testing.T, a *apptest.App, invoiceID string, n int) {
	t.Helper()
	ctx := context.Background()
	id, err := strconv.ParseInt(invoiceID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		sent, err := a.Invoices.Deliveries(ctx, a.Account.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		done := len(sent) == n
		for _, d := range sent {
			done = done && d.EmailedAt != nil
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries %+v, want %d emailed", sent, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var jobs int
	if err := a.DB.Read.QueryRowContext(ctx, `SELECT count(*) FROM river_job WHERE kind = 'invoice_send'`).Scan(&jobs); err != nil || jobs != n {
		t.Errorf("%d invoice_send jobs, %v; want %d", jobs, err, n)
	}
}

// invoiceWithLines creates a draft invoice through the CRM service, as an API client, with
// line items given as their properties and, when email is not empty, a contact.
func invoiceWithLines(t *testing.T, a *apptest.App, email string, lines ...map[string]string) crm.Record {
	t.Helper()
	ctx := context.Background()
	src := crm.Source{Type: "API", ID: "test"}
	inv, err := a.CRM.Create(ctx, a.Account.ID, "invoices", crm.Input{Properties: map[string]string{}}, src)
	if err != nil {
		t.Fatal(err)
	}
	withLinesAndBuyer(t, a, inv, email, lines)
	return inv
}

// withLinesAndBuyer gives rec (an invoice or a quote) line items and, when email is set, a
// contact, all associated with it.
func withLinesAndBuyer(t *testing.T, a *apptest.App, rec crm.Record, email string, lines []map[string]string) {
	t.Helper()
	ctx := context.Background()
	src := crm.Source{Type: "API", ID: "test"}
	on := []crm.AssociationInput{{ToType: rec.Type.Name, ToID: rec.IDString()}}
	for _, l := range lines {
		if _, err := a.CRM.Create(ctx, a.Account.ID, "line_items", crm.Input{Properties: l, Associations: on}, src); err != nil {
			t.Fatal(err)
		}
	}
	if email != "" {
		if _, err := a.CRM.Create(ctx, a.Account.ID, "contacts", crm.Input{Properties: map[string]string{"email": email}, Associations: on}, src); err != nil {
			t.Fatal(err)
		}
	}
}

// invoiceLine is a line item's properties.
func invoiceLine(name, price, quantity string) map[string]string {
	return map[string]string{"name": name, "price": price, "quantity": quantity}
}

// TestCollectingOnInvoicesNeedsManagePayments: a user without "manage payments and
// subscriptions" may write invoices through the CRM API but may not finalize, void, give up
// on or send one, nor record a payment on it — through the API as in the dashboard.
func TestCollectingOnInvoicesNeedsManagePayments(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		_, clerk := a.UserWith(t, "clerk@acme.test", auth.PermViewPayments)
		_, manager := a.UserWith(t, "manager@acme.test", auth.PermManagePayments)
		inv, _ := invoiceFromTheCRM(t, a)
		url := "/settle/v1/invoices/" + inv
		var steps []apptest.Scenario
		for _, action := range []string{"finalize", "void", "mark-uncollectible", "send"} {
			steps = append(steps, apptest.Scenario{Name: "clerk may not " + action, Method: "POST", URL: url + "/" + action,
				Token: clerk, ExpectedStatus: 403, ExpectedContent: []string{`"category":"MISSING_SCOPES"`, "manage_payments"}})
		}
		steps = append(steps,
			apptest.Scenario{Name: "clerk may not record a payment", Method: "POST", URL: url + "/manual-payments", Token: clerk,
				Body: `{"amount":"1.00","currency":"USD","method":"check","paid_at":"2026-11-25T10:00:00Z"}`, ExpectedStatus: 403},
			apptest.Scenario{Name: "the invoice is still a draft", Method: "GET", URL: "/crm/v3/objects/invoices/" + inv + "?properties=hs_invoice_status",
				ExpectedStatus: 200, ExpectedContent: []string{`"hs_invoice_status":"draft"`}},
			apptest.Scenario{Name: "manager finalizes it", Method: "POST", URL: url + "/finalize", Token: manager, ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"open"`}},
		)
		a.Run(t, steps)
	})
}
