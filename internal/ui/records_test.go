package ui_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// record creates a record in the app's first account, as the API would.
func record(t *testing.T, a *apptest.App, accountID int64, typ string, props map[string]string) crm.Record {
	t.Helper()
	rec, err := a.CRM.Create(context.Background(), accountID, typ, crm.Input{Properties: props}, crm.Source{Type: "API", ID: "test"})
	if err != nil {
		t.Fatalf("create %s %v: %v", typ, props, err)
	}
	return rec
}

// stored reads a live record of the app's first account.
func stored(t *testing.T, a *apptest.App, typ, id string) crm.Record {
	t.Helper()
	rec, err := a.CRM.Get(context.Background(), a.Account.ID, typ, id, "", crm.ReadOptions{})
	if err != nil {
		t.Fatalf("read %s %s: %v", typ, id, err)
	}
	return rec.Record
}

var createdRecord = regexp.MustCompile(`^/(contacts|companies|deals)/(\d+)\?notice=record_created$`)

func TestCreateListAndSearchRecords(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		form := url.Values{"p.firstname": {"Ada"}, "p.lastname": {"Lovelace"}, "p.email": {"ada@example.com"}}
		res, body := d.submit("/contacts", "/contacts", form)
		wantStatus(t, res, body, http.StatusSeeOther)
		m := createdRecord.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil || m[1] != "contacts" {
			t.Fatalf("created a contact and went to %q", res.Header.Get("Location"))
		}
		if c := stored(t, a, "contacts", m[2]); c.Values["email"] != "ada@example.com" || c.Values["lastname"] != "Lovelace" {
			t.Errorf("stored %v", c.Values)
		}
		_, body = d.get(res.Header.Get("Location"))
		wantContains(t, body, "<h1>Ada Lovelace</h1>", "The record was created.", `value="ada@example.com"`)

		cases := []struct {
			name, path string
			want, lack []string
		}{
			{name: "the list", path: "/contacts", want: []string{`<a href="/contacts/` + m[2] + `">Ada Lovelace</a>`, "ada@example.com"}},
			{name: "a search by name", path: "/contacts?q=lovel", want: []string{"Ada Lovelace", "Results for “lovel”: 1"}},
			{name: "a search by email", path: "/contacts?q=ADA%40example", want: []string{"Ada Lovelace"}},
			{name: "a search without match", path: "/contacts?q=babbage", want: []string{"No contacts match “babbage”."},
				lack: []string{"Ada Lovelace"}},
			{name: "the archived contacts", path: "/contacts?archived=1", want: []string{"No archived contacts."},
				lack: []string{"Ada Lovelace"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.get(tc.path)
				wantStatus(t, res, body, http.StatusOK)
				wantContains(t, body, tc.want...)
				wantLacks(t, body, tc.lack...)
			})
		}
	})
}

func TestCreateRecordRefusals(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		record(t, a, a.Account.ID, "contacts", map[string]string{"email": "taken@example.com"})
		cases := []struct {
			name, path string
			form       url.Values
			wantStatus int
			want       []string
		}{
			{name: "an empty form", path: "/contacts", form: url.Values{"p.email": {""}},
				wantStatus: http.StatusBadRequest, want: []string{"Fill in at least one field."}},
			{name: "an email already used", path: "/contacts", form: url.Values{"p.email": {"TAKEN@example.com"}},
				wantStatus: http.StatusConflict, want: []string{"Another record already has this value"}},
			{name: "an amount that is no number", path: "/deals", form: url.Values{"p.dealname": {"Big"}, "p.amount": {"abc"}},
				wantStatus: http.StatusBadRequest, want: []string{`id="f-p-amount-error">Enter a number`, `value="abc"`}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.submit(tc.path, tc.path, tc.form)
				wantStatus(t, res, body, tc.wantStatus)
				wantContains(t, body, tc.want...)
			})
		}
		for _, typ := range []string{"contacts", "deals"} {
			page, err := a.CRM.List(context.Background(), a.Account.ID, typ, crm.ListOptions{Limit: 10})
			if want := map[string]int{"contacts": 1, "deals": 0}[typ]; err != nil || len(page.Results) != want {
				t.Errorf("%s: %d records (%v), want %d", typ, len(page.Results), err, want)
			}
		}
	})
}

func TestRecordListPages(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		for i := 1; i <= 30; i++ {
			record(t, a, a.Account.ID, "companies", map[string]string{"name": fmt.Sprintf("Company %02d", i)})
		}
		d := signedIn(t, a, a.Admin.Email)
		_, body := d.get("/companies")
		next := regexp.MustCompile(`href="(/companies\?after=\d+)" class="button" rel="next"`).FindStringSubmatch(body)
		if n := strings.Count(body, `class="row-title"`); n != 25 || next == nil {
			t.Fatalf("first page: %d rows, next link %v", n, next)
		}
		wantContains(t, body, "Company 01", "Company 25")
		_, body = d.get(next[1])
		if n := strings.Count(body, `class="row-title"`); n != 5 {
			t.Errorf("second page: %d rows, want 5", n)
		}
		wantContains(t, body, "Company 26", "Company 30", `href="/companies?after=0"`)
		wantLacks(t, body, "Company 25", `rel="next"`)
	})
}

func TestRecordSearchCountsUpToTheCap(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		dbtest.BulkContacts(t, a.DB, a.Account.ID, time.Now().UTC(), crm.MaxSearchResults+1, "Many")
		dbtest.BulkContacts(t, a.DB, a.Account.ID, time.Now().UTC(), crm.MaxSearchResults, "Exact")
		d := signedIn(t, a, a.Admin.Email)
		cases := []struct {
			name, path, want string
		}{
			{"more than 10,000", "/contacts?q=many&lang=en", "Results for “many”: 10,000+</p>"},
			{"more than 10,000, in French", "/contacts?q=many&lang=fr", "Résultats pour « many » : 10\u00a0000+</p>"},
			{"more than 10,000, in German", "/contacts?q=many&lang=de", "Ergebnisse für „many“: 10.000+</p>"},
			{"more than 10,000, in Spanish", "/contacts?q=many&lang=es", "Resultados para «many»: 10.000+</p>"},
			{"exactly 10,000", "/contacts?q=exact&lang=en", "Results for “exact”: 10,000</p>"},
			{"exactly 10,000, in French", "/contacts?q=exact&lang=fr", "Résultats pour « exact » : 10\u00a0000</p>"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.get(tc.path)
				wantStatus(t, res, body, http.StatusOK)
				wantContains(t, html.UnescapeString(body), tc.want) // as a reader sees it: "+", not "&#43;"
			})
		}
	})
}

func TestEditRecordProperties(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		c := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "ada@example.com", "firstname": "Ada"})
		deal := record(t, a, a.Account.ID, "deals", map[string]string{"dealname": "Big", "closedate": "2026-12-01T15:30:00Z"})
		contactPage, dealPage := "/contacts/"+c.IDString(), "/deals/"+deal.IDString()
		refusals := []struct {
			name, page string
			form       url.Values
			want       []string
		}{
			{name: "an invalid email", page: contactPage, form: url.Values{"p.email": {"not-an-email"}, "p.firstname": {"Augusta"}},
				want: []string{`id="f-p-email-error">Enter an email address`, `value="not-an-email"`, `value="Augusta"`,
					"Some fields need your attention. Nothing was saved."}},
			{name: "a read-only property", page: contactPage, form: url.Values{"p.hs_object_id": {"99"}, "p.firstname": {"Augusta"}},
				want: []string{"Settle sets this property; it cannot be changed."}},
			{name: "an unknown option", page: contactPage, form: url.Values{"p.hs_language": {"xx"}, "p.firstname": {"Augusta"}},
				want: []string{`id="f-p-hs-language-error">Choose one of the options offered.`}},
			{name: "a currency in lower case", page: dealPage, form: url.Values{"p.deal_currency_code": {"eur"}, "p.dealname": {"Bigger"}},
				want: []string{`id="f-p-deal-currency-code-error">Enter an ISO 4217 currency code`}},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.submit(tc.page, tc.page, tc.form)
				wantStatus(t, res, body, http.StatusBadRequest)
				wantContains(t, body, tc.want...)
				if got := stored(t, a, "contacts", c.IDString()); got.Values["firstname"] != "Ada" || got.Values["email"] != "ada@example.com" {
					t.Errorf("the contact changed: %v", got.Values)
				}
				if got := stored(t, a, "deals", deal.IDString()); got.Values["dealname"] != "Big" {
					t.Errorf("the deal changed: %v", got.Values)
				}
			})
		}

		// The form posts every field; only the ones changed are written, so the deal's close
		// time, shown as its date, survives.
		res, body := d.submit(dealPage, dealPage, url.Values{"p.dealname": {"Bigger"}, "p.closedate": {"2026-12-01"},
			"p.amount": {"1250.5"}, "p.deal_currency_code": {"EUR"}, "p.dealstage": {"closedwon"}})
		wantRedirect(t, res, body, dealPage+"?notice=saved")
		got := stored(t, a, "deals", deal.IDString())
		if got.Values["dealname"] != "Bigger" || got.Values["closedate"] != "2026-12-01T15:30:00.000Z" || got.Values["amount"] != "1250.5" {
			t.Errorf("saved deal %v", got.Values)
		}
		_, body = d.get(dealPage + "?notice=saved")
		wantContains(t, body, "Your changes were saved.", "<h1>Bigger</h1>", "€1,250.50", "Closed won",
			"Changed Amount, Currency, Deal name, Deal stage", "by Administrator")

		res, body = d.submit(contactPage, contactPage, url.Values{"p.firstname": {"Augusta"}, "p.hs_language": {"fr"}, "p.email": {"ada@example.com"}})
		wantRedirect(t, res, body, contactPage+"?notice=saved")
		if got := stored(t, a, "contacts", c.IDString()); got.Values["firstname"] != "Augusta" || got.Values["hs_language"] != "fr" {
			t.Errorf("saved contact %v", got.Values)
		}
		_, body = d.get(contactPage + "?lang=fr")
		wantContains(t, body, "Modification : Prénom, Langue préférée", `<option value="fr" selected>Français</option>`, "Création")
	})
}

func TestAssociateRecords(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		d := signedIn(t, a, a.Admin.Email)
		ada := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "ada@example.com", "firstname": "Ada"})
		acme := record(t, a, a.Account.ID, "companies", map[string]string{"name": "Acme", "domain": "acme.test"})
		labels, err := a.CRM.CreateLabel(ctx, a.Account.ID, "contacts", "companies", crm.LabelInput{Label: "Employer", InverseLabel: "Employee"})
		if err != nil {
			t.Fatal(err)
		}
		contactPage, companyPage := "/contacts/"+ada.IDString(), "/companies/"+acme.IDString()
		companyLink, contactLink := `href="/companies/`+acme.IDString()+`"`, `href="/contacts/`+ada.IDString()+`"`

		res, body := d.get(contactPage + "?add=companies&q=acme")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, `<details class="assoc-add" open>`, `name="to_id" value="`+acme.IDString()+`" checked`,
			fmt.Sprintf(`<option value="%d">Employer</option>`, labels[0].TypeID), `<option value="1">Primary</option>`)

		refusals := []struct {
			name string
			form url.Values
			want string
		}{
			{name: "no record chosen", form: url.Values{"q": {"acme"}}, want: "Choose a record to associate."},
			{name: "a record not there", form: url.Values{"to_id": {"999999"}}, want: "This record does not exist or is archived."},
			{name: "a label of other types", form: url.Values{"to_id": {acme.IDString()}, "type_id": {"388"}}, want: "Choose one of the labels offered."},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) {
				form := cloneValues(tc.form)
				form.Set("to_type", "companies")
				res, body := d.submit(contactPage, contactPage+"/associations", form)
				wantStatus(t, res, body, http.StatusBadRequest)
				wantContains(t, body, `<p class="field-error" id="add-companies-error" role="alert">`+tc.want, "No companies associated yet.")
			})
		}

		res, body = d.submit(contactPage, contactPage+"/associations", url.Values{"to_type": {"companies"}, "to_id": {acme.IDString()},
			"type_id": {fmt.Sprint(labels[0].TypeID)}})
		wantRedirect(t, res, body, contactPage+"?notice=associated")
		_, body = d.get(contactPage)
		wantContains(t, body, `<a href="/companies/`+acme.IDString()+`" class="assoc-name">Acme</a>`, `<span class="tag tag-label">Employer</span>`,
			"Associated with <a "+companyLink+">Acme</a>")
		_, body = d.get(companyPage)
		wantContains(t, body, `<a href="/contacts/`+ada.IDString()+`" class="assoc-name">Ada</a>`, `<span class="tag tag-label">Employee</span>`,
			"Associated with <a "+contactLink+">Ada</a>")

		labelsPath := contactPage + "/associations/companies/" + acme.IDString()
		res, body = d.submit(contactPage, labelsPath, url.Values{"type_id": {"1"}})
		wantRedirect(t, res, body, contactPage+"?notice=labels_saved")
		_, body = d.get(contactPage)
		wantContains(t, body, `<span class="tag tag-label">Primary</span>`)
		wantLacks(t, body, `<span class="tag tag-label">Employer</span>`)
		_, body = d.get(companyPage)
		wantContains(t, body, `<span class="tag tag-label">Primary</span>`)
		wantLacks(t, body, `<span class="tag tag-label">Employee</span>`)

		res, body = d.submit(contactPage, labelsPath+"/delete", nil)
		wantRedirect(t, res, body, contactPage+"?notice=association_removed")
		_, body = d.get(contactPage)
		wantContains(t, body, "No companies associated yet.", "No longer associated with <a "+companyLink+">Acme</a>")
		_, body = d.get(companyPage)
		wantContains(t, body, "No contacts associated yet.", "No longer associated with <a "+contactLink+">Ada</a>")
		page, err := a.CRM.Associations(ctx, a.Account.ID, "contacts", ada.IDString(), "companies", 0, 10)
		if err != nil || len(page.Results) != 0 {
			t.Errorf("associations left: %+v, %v", page, err)
		}
	})
}

// TestTimelineNewestFirst reads the timeline as a user would: what happened, newest first.
func TestTimelineNewestFirst(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		deal := record(t, a, a.Account.ID, "deals", map[string]string{"dealname": "Big"})
		acme := record(t, a, a.Account.ID, "companies", map[string]string{"name": "Acme"})
		page := "/deals/" + deal.IDString()
		steps := []struct {
			action string
			form   url.Values
		}{
			{page, url.Values{"p.amount": {"10"}}},
			{page + "/associations", url.Values{"to_type": {"companies"}, "to_id": {acme.IDString()}}},
			{page + "/archive", nil},
			{page + "/restore", nil},
		}
		for _, s := range steps {
			res, body := d.submit(page, s.action, s.form)
			wantStatus(t, res, body, http.StatusSeeOther)
		}
		_, body := d.get(page)
		timeline := body[strings.Index(body, `<ol class="timeline">`):]
		want := []string{"Restored", "Archived", "Associated with", "Changed Amount", "Created"}
		last := -1
		for _, w := range want {
			i := strings.Index(timeline, `<p class="timeline-text">`+w)
			if i < 0 || i < last {
				t.Errorf("%q is missing or not after the newer entries", w)
			}
			last = i
		}
		wantContains(t, timeline, "through the API", "by Administrator")
	})
}

func TestArchiveAndRestoreRecord(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, a.Admin.Email)
		deal := record(t, a, a.Account.ID, "deals", map[string]string{"dealname": "Big deal"})
		page := "/deals/" + deal.IDString()

		res, body := d.get(page + "/archive")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Archive the deal Big deal?", `action="`+page+`/archive"`)
		res, body = d.submit(page+"/archive", page+"/archive", nil)
		wantRedirect(t, res, body, "/deals?notice=record_archived")
		_, body = d.get("/deals?notice=record_archived")
		wantContains(t, body, "The record was archived.", "No deals yet.")
		_, body = d.get("/deals?archived=1")
		wantContains(t, body, "Big deal")
		res, body = d.get(page)
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "This deal is archived", `action="`+page+`/restore"`, "<fieldset class=\"property-group\" disabled>")
		wantLacks(t, body, "Save properties")
		res, body = d.submit(page, page, url.Values{"p.dealname": {"Changed while archived"}})
		wantStatus(t, res, body, http.StatusNotFound)

		res, body = d.submit(page, page+"/restore", nil)
		wantRedirect(t, res, body, page+"?notice=record_restored")
		if got := stored(t, a, "deals", deal.IDString()); got.Values["dealname"] != "Big deal" {
			t.Errorf("restored deal %v", got.Values)
		}
		_, body = d.get("/deals")
		wantContains(t, body, "Big deal")
	})
}

func TestRecordPagesAreIsolated(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		ada := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "ada@example.com", "firstname": "Ada"})
		acme := record(t, a, a.Account.ID, "companies", map[string]string{"name": "Acme"})
		if _, err := a.CRM.Associate(ctx, a.Account.ID, "contacts", ada.IDString(), "companies", acme.IDString(), nil, crm.Source{Type: "API"}); err != nil {
			t.Fatal(err)
		}
		acctB, _, _ := a.OtherAccount(t, "neighbour@other.test")
		own := record(t, a, acctB.ID, "contacts", map[string]string{"email": "bob@other.test"})
		d := signedIn(t, a, "neighbour@other.test")
		contact, company := "/contacts/"+ada.IDString(), "/companies/"+acme.IDString()
		link := contact + "/associations/companies/" + acme.IDString()
		cases := []struct {
			name, method, path string
			form               url.Values
		}{
			{name: "open A's contact", method: "GET", path: contact},
			{name: "open A's company", method: "GET", path: company},
			{name: "open the archiving of A's contact", method: "GET", path: contact + "/archive"},
			{name: "change A's contact", method: "POST", path: contact, form: url.Values{"p.firstname": {"Owned"}}},
			{name: "archive A's contact", method: "POST", path: contact + "/archive"},
			{name: "restore A's contact", method: "POST", path: contact + "/restore"},
			{name: "associate A's contact", method: "POST", path: contact + "/associations",
				form: url.Values{"to_type": {"contacts"}, "to_id": {own.IDString()}}},
			{name: "relabel A's association", method: "POST", path: link, form: url.Values{"type_id": {"1"}}},
			{name: "remove A's association", method: "POST", path: link + "/delete"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var res *http.Response
				var body string
				if tc.method == "GET" {
					res, body = d.get(tc.path)
				} else {
					res, body = d.submit("/contacts", tc.path, tc.form)
				}
				wantStatus(t, res, body, http.StatusNotFound)
				wantContains(t, body, "Page not found")
				wantLacks(t, body, "ada@example.com", "Acme")
			})
		}
		t.Run("associate B's contact with A's company", func(t *testing.T) {
			page := "/contacts/" + own.IDString()
			res, body := d.submit(page, page+"/associations", url.Values{"to_type": {"companies"}, "to_id": {acme.IDString()}})
			wantStatus(t, res, body, http.StatusBadRequest)
			wantContains(t, body, "This record does not exist or is archived.")
			wantLacks(t, body, "Acme")
		})
		for _, page := range []string{"/contacts", "/contacts?q=ada", "/companies", "/contacts/" + own.IDString() + "?add=companies"} {
			_, body := d.get(page)
			wantLacks(t, body, "ada@example.com", "Acme")
		}
		if got := stored(t, a, "contacts", ada.IDString()); got.Values["firstname"] != "Ada" {
			t.Errorf("A's contact is now %v", got.Values)
		}
		page, err := a.CRM.Associations(ctx, a.Account.ID, "contacts", ada.IDString(), "companies", 0, 10)
		if err != nil || len(page.Results) != 1 || len(page.Results[0].Types) != 1 {
			t.Errorf("A's association is now %+v, %v", page, err)
		}
		if tl, err := a.CRM.Timeline(ctx, a.Account.ID, "contacts", ada.IDString()); err != nil || len(tl) != 2 {
			t.Errorf("A's timeline has %d entries (%v), want created and associated", len(tl), err)
		}
	})
}

func TestRecordFormsNeedTheirCSRFToken(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		ada := record(t, a, a.Account.ID, "contacts", map[string]string{"email": "ada@example.com", "firstname": "Ada"})
		acme := record(t, a, a.Account.ID, "companies", map[string]string{"name": "Acme"})
		if _, err := a.CRM.Associate(ctx, a.Account.ID, "contacts", ada.IDString(), "companies", acme.IDString(), nil, crm.Source{Type: "API"}); err != nil {
			t.Fatal(err)
		}
		contact := "/contacts/" + ada.IDString()
		cases := []struct {
			name, path string
			form       url.Values
		}{
			{name: "create", path: "/contacts", form: url.Values{"p.email": {"mallory@example.com"}}},
			{name: "change", path: contact, form: url.Values{"p.firstname": {"Mallory"}}},
			{name: "archive", path: contact + "/archive"},
			{name: "remove an association", path: contact + "/associations/companies/" + acme.IDString() + "/delete"},
		}
		d := signedIn(t, a, a.Admin.Email)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := d.post(tc.path, tc.form)
				wantStatus(t, res, body, http.StatusForbidden)
				wantContains(t, body, "This form has expired")
			})
		}
		contacts, err := a.CRM.List(ctx, a.Account.ID, "contacts", crm.ListOptions{Limit: 10})
		if err != nil || len(contacts.Results) != 1 || contacts.Results[0].Values["firstname"] != "Ada" {
			t.Errorf("contacts now %+v, %v", contacts.Results, err)
		}
		page, err := a.CRM.Associations(ctx, a.Account.ID, "contacts", ada.IDString(), "companies", 0, 10)
		if err != nil || len(page.Results) != 1 {
			t.Errorf("the association is gone: %+v, %v", page, err)
		}
	})
}
