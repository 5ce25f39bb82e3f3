package crm_test

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
)

type fixture struct {
	db    *db.DB
	svc   *crm.Service
	clock *clock.Fixed
	acct  int64
	other int64
}

var api = crm.Source{Type: "API", ID: "test"}

func newFixture(t testing.TB, engine config.Engine) fixture {
	t.Helper()
	d := dbtest.Open(t, engine)
	clk := &clock.Fixed{T: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	users := auth.NewService(d, clk)
	a, _, err := users.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Acme", Country: "US",
		Admin: auth.NewUser{Email: "admin@acme.test", Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := users.CreateAccount(context.Background(), auth.FirstRun{AccountName: "Other", Country: "US",
		Admin: auth.NewUser{Email: "admin@other.test", Password: "a long password"}})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: d, svc: crm.NewService(d, clk, crm.NewRegistry()), clock: clk, acct: a.ID, other: b.ID}
}

func (f fixture) create(t *testing.T, typ string, props map[string]string) crm.Record {
	t.Helper()
	r, err := f.svc.Create(context.Background(), f.acct, typ, crm.Input{Properties: props}, api)
	if err != nil {
		t.Fatalf("create %s %v: %v", typ, props, err)
	}
	return r
}

func TestCreateGetUpdate(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		c := f.create(t, "contacts", map[string]string{"email": "Ada@Example.com", "firstname": "Ada", "hs_language": "fr",
			"hs_marketable_status": "TRUE"})
		if c.Values["email"] != "Ada@Example.com" || c.Values["hs_marketable_status"] != "true" || c.Values["hs_object_id"] != c.IDString() ||
			c.Values["createdate"] != "2026-11-25T12:00:00.000Z" {
			t.Fatalf("created %+v", c.Values)
		}
		f.clock.Advance(time.Hour)
		up, err := f.svc.Update(ctx, f.acct, "0-1", "ada@example.com", "email", map[string]string{"firstname": "Augusta", "phone": ""}, api)
		if err != nil || up.Values["firstname"] != "Augusta" || up.Values["lastmodifieddate"] != "2026-11-25T13:00:00.000Z" {
			t.Fatalf("update: %+v, %v", up.Values, err)
		}
		got, err := f.svc.Get(ctx, f.acct, "contacts", c.IDString(), "", crm.ReadOptions{History: []string{"firstname"}})
		if err != nil || len(got.History["firstname"]) != 2 || *got.History["firstname"][0].Value != "Augusta" {
			t.Fatalf("get with history: %+v, %v", got.History, err)
		}
		if _, err := f.svc.Get(ctx, f.other, "contacts", c.IDString(), "", crm.ReadOptions{}); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("another account read the contact: %v", err)
		}
		d := f.create(t, "deals", map[string]string{"dealname": "Big", "amount": "1000.50", "deal_currency_code": "EUR", "closedate": "2026-12-01"})
		if d.Values["amount"] != "1000.5" || d.Values["closedate"] != "2026-12-01T00:00:00.000Z" {
			t.Fatalf("deal %+v", d.Values)
		}
		// A create answers with the record as a read returns it, to the microsecond.
		f.clock.Advance(1234567 * time.Microsecond)
		e := f.create(t, "deals", map[string]string{"dealname": "Exact", "amount": "7"})
		read, err := f.svc.Get(ctx, f.acct, "deals", e.IDString(), "", crm.ReadOptions{})
		if err != nil || read.ID != e.ID || !read.CreatedAt.Equal(e.CreatedAt) || !read.UpdatedAt.Equal(e.UpdatedAt) ||
			!maps.Equal(read.Values, e.Values) {
			t.Errorf("created %d at %v, %v: %v; read %d at %v, %v: %v (%v)", e.ID, e.CreatedAt, e.UpdatedAt, e.Values,
				read.ID, read.CreatedAt, read.UpdatedAt, read.Values, err)
		}
	})
}

func TestCreateRefusesBadInput(t *testing.T) {
	cases := []struct {
		name  string
		typ   string
		props map[string]string
		codes []string
	}{
		{"unknown property", "contacts", map[string]string{"email": "a@b.test", "shoe_size": "42"}, []string{"PROPERTY_DOESNT_EXIST"}},
		{"read-only property", "contacts", map[string]string{"hs_object_id": "5"}, []string{"READ_ONLY_VALUE"}},
		{"number", "deals", map[string]string{"amount": "abc"}, []string{"INVALID_NUMBER"}},
		{"too many decimals", "deals", map[string]string{"amount": "1.1234567"}, []string{"INVALID_NUMBER"}},
		{"option", "deals", map[string]string{"dealstage": "CLOSEDWON"}, []string{"INVALID_OPTION"}},
		{"email", "contacts", map[string]string{"email": "not an email"}, []string{"INVALID_EMAIL"}},
		{"datetime", "deals", map[string]string{"closedate": "soon"}, []string{"INVALID_DATETIME"}},
		{"bool", "contacts", map[string]string{"hs_marketable_status": "yes"}, []string{"INVALID_BOOLEAN"}},
		{"currency", "deals", map[string]string{"deal_currency_code": "usd"}, []string{"INVALID_CURRENCY"}},
		{"several at once", "deals", map[string]string{"amount": "x", "dealstage": "y", "nope": "z"},
			[]string{"INVALID_NUMBER", "INVALID_OPTION", "PROPERTY_DOESNT_EXIST"}},
	}
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.Create(context.Background(), f.acct, tc.typ, crm.Input{Properties: tc.props}, api)
				var inv *problem.InvalidError
				if !errors.As(err, &inv) || len(inv.Fields) != len(tc.codes) {
					t.Fatalf("Create = %v; want %d problems %v", err, len(tc.codes), tc.codes)
				}
				for i, code := range tc.codes {
					if inv.Fields[i].Code != code {
						t.Errorf("problem %d: %s, want %s", i, inv.Fields[i].Code, code)
					}
				}
			})
		}
		page, _ := f.svc.List(context.Background(), f.acct, "deals", crm.ListOptions{Limit: 10})
		if len(page.Results) != 0 {
			t.Fatalf("refused creations wrote %d deals", len(page.Results))
		}
	})
}

func TestUniqueEmail(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		c := f.create(t, "contacts", map[string]string{"email": "ada@example.com"})
		_, err := f.svc.Create(ctx, f.acct, "contacts", crm.Input{Properties: map[string]string{"email": "ADA@example.com"}}, api)
		if !errors.Is(err, problem.ErrConflict) || !contains(err.Error(), "Existing ID: "+c.IDString()) {
			t.Fatalf("duplicate email: %v", err)
		}
		if _, err := f.svc.Create(ctx, f.other, "contacts", crm.Input{Properties: map[string]string{"email": "ada@example.com"}}, api); err != nil {
			t.Fatalf("another account cannot use the same email: %v", err)
		}
		if err := f.svc.Archive(ctx, f.acct, "contacts", c.IDString(), api); err != nil {
			t.Fatal(err)
		}
		again := f.create(t, "contacts", map[string]string{"email": "ada@example.com"})
		if _, err := f.svc.Restore(ctx, f.acct, "contacts", c.IDString(), api); !errors.Is(err, problem.ErrConflict) {
			t.Fatalf("restoring over a live duplicate: %v", err)
		}
		if err := f.svc.Archive(ctx, f.acct, "contacts", again.IDString(), api); err != nil {
			t.Fatal(err)
		}
		if r, err := f.svc.Restore(ctx, f.acct, "contacts", c.IDString(), api); err != nil || r.ArchivedAt != nil {
			t.Fatalf("restore: %+v, %v", r, err)
		}
		grace := f.create(t, "contacts", map[string]string{"email": "grace@example.com"})
		_, err = f.svc.Update(ctx, f.acct, "contacts", grace.IDString(), "", map[string]string{"email": "Ada@Example.com"}, api)
		if !errors.Is(err, problem.ErrConflict) || !contains(err.Error(), "Existing ID: "+c.IDString()) {
			t.Fatalf("changing an email to one a live contact holds: %v", err)
		}
		if r, err := f.svc.Update(ctx, f.acct, "contacts", grace.IDString(), "", map[string]string{"email": "GRACE@example.com"}, api); err != nil || r.Values["email"] != "GRACE@example.com" {
			t.Fatalf("changing the case of a contact's own email: %+v, %v", r.Values, err)
		}
	})
}

func contains(s, sub string) bool {
	return len(s) >= len(sub) && (s == sub || len(sub) == 0 || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestAssociationsAndCardinality(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		alice := f.create(t, "contacts", map[string]string{"email": "alice@example.com"})
		bob := f.create(t, "contacts", map[string]string{"email": "bob@example.com"})
		pay := f.create(t, "commerce_payments", map[string]string{"hs_initial_amount": "10", "hs_initiated_date": "2026-11-25"})
		if _, err := f.svc.Associate(ctx, f.acct, "payments", pay.IDString(), "contacts", alice.IDString(), nil, api); err != nil {
			t.Fatal(err)
		}
		types, err := f.svc.Associate(ctx, f.acct, "contacts", bob.IDString(), "commerce_payments", pay.IDString(), nil, api)
		if err != nil || len(types) != 1 || types[0].TypeID != 388 {
			t.Fatalf("associate from the contact side: %+v, %v", types, err)
		}
		page, err := f.svc.Associations(ctx, f.acct, "commerce_payments", pay.IDString(), "contacts", 0, 10)
		if err != nil || len(page.Results) != 1 || page.Results[0].ID != bob.ID || page.Results[0].Types[0].TypeID != 387 {
			t.Fatalf("a payment has one contact, the last one: %+v, %v", page, err)
		}
		// Contacts may have many payments.
		pay2 := f.create(t, "commerce_payments", map[string]string{"hs_initial_amount": "20", "hs_initiated_date": "2026-11-25"})
		if _, err := f.svc.Associate(ctx, f.acct, "payments", pay2.IDString(), "contacts", bob.IDString(), nil, api); err != nil {
			t.Fatal(err)
		}
		page, _ = f.svc.Associations(ctx, f.acct, "contacts", bob.IDString(), "commerce_payments", 0, 1)
		if len(page.Results) != 1 || page.Next == 0 {
			t.Fatalf("first page: %+v", page)
		}
		page, _ = f.svc.Associations(ctx, f.acct, "contacts", bob.IDString(), "commerce_payments", page.Next, 1)
		if len(page.Results) != 1 || page.Results[0].ID != pay2.ID || page.Next != 0 {
			t.Fatalf("second page: %+v", page)
		}
		if _, err := f.svc.Associate(ctx, f.acct, "contacts", bob.IDString(), "products", "1", nil, api); err == nil {
			t.Fatal("contacts were associated with products, which have no definition")
		}
		if _, err := f.svc.Associate(ctx, f.other, "contacts", bob.IDString(), "deals", "1", nil, api); !errors.Is(err, problem.ErrNotFound) {
			t.Fatalf("another account associated A's contact: %v", err)
		}
		tl, err := f.svc.Timeline(ctx, f.acct, "commerce_payments", pay.IDString())
		if err != nil || len(tl) != 4 { // created, associated alice, dissociated alice, associated bob
			t.Fatalf("payment timeline: %+v, %v", tl, err)
		}
	})
}

func TestIDOf(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		f := newFixture(t, engine)
		ctx := context.Background()
		ada, _ := f.liveAndArchived(t)
		notFound := func(err error) bool { return errors.Is(err, problem.ErrNotFound) }
		invalid := func(err error) bool { var inv *problem.InvalidError; return errors.As(err, &inv) }
		cases := []struct {
			name, prop, value string
			account           int64
			want              int64
			failed            func(error) bool // nil when it must succeed
		}{
			{"by email, any case", "email", "ADA@example.com", f.acct, ada.ID, nil},
			{"nobody", "email", "nobody@example.com", f.acct, 0, notFound},
			{"archived", "email", "gone@example.com", f.acct, 0, notFound},
			{"another account's", "email", "ada@example.com", f.other, 0, notFound},
			{"not unique", "firstname", "Ada", f.acct, 0, invalid},
		}
		for _, tc := range cases {
			id, err := f.svc.IDOf(ctx, tc.account, "contacts", tc.prop, tc.value)
			if id != tc.want || (tc.failed == nil) != (err == nil) || (tc.failed != nil && !tc.failed(err)) {
				t.Errorf("%s: IDOf = %d, %v; want %d", tc.name, id, err, tc.want)
			}
		}
	})
}

// liveAndArchived creates two contacts, ada@example.com and gone@example.com, and archives
// the second.
func (f fixture) liveAndArchived(t *testing.T) (ada, gone crm.Record) {
	t.Helper()
	ada = f.create(t, "contacts", map[string]string{"email": "ada@example.com"})
	gone = f.create(t, "contacts", map[string]string{"email": "gone@example.com"})
	if err := f.svc.Archive(context.Background(), f.acct, "contacts", gone.IDString(), api); err != nil {
		t.Fatal(err)
	}
	return ada, gone
}
