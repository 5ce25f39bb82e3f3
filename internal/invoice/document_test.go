package invoice_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
)

func TestDocumentLanguage(t *testing.T) {
	cases := []struct {
		name, invoice, contact, want string
	}{
		{"the invoice's", "es", "de", "es"},
		{"the contact's", "", "de", "de"},
		{"the contact's when Settle does not speak the invoice's", "it", "de", "de"},
		{"the account's", "", "", "fr"},
		{"the account's when Settle speaks neither", "it", "ja", "fr"},
	}
	forEach(t, func(t *testing.T, e *env) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				inv := e.draft(t, map[string]string{"hs_language": tc.invoice}, line("Audit", "100", "1"))
				e.withContact(t, inv.ID, map[string]string{"email": "x" + inv.IDString() + "@example.com", "hs_language": tc.contact})
				doc, _, err := e.invoices.Document(context.Background(), e.accountID, inv.ID)
				if err != nil || doc.Language != tc.want {
					t.Errorf("language %q, %v; want %s", doc.Language, err, tc.want)
				}
			})
		}
	})
}

func TestDocument(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inv := e.draft(t, map[string]string{"hs_comments": "Merci !"}, threeLines...)
		e.withContact(t, inv.ID, map[string]string{"email": "jean@example.com", "firstname": "Jean", "lastname": "Dupont"})
		company, err := e.crm.Create(ctx, e.accountID, "companies", crm.Input{Properties: map[string]string{"name": "Globex",
			"address": "1 rue de Rivoli", "zip": "75001", "city": "Paris"}}, api)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.crm.Associate(ctx, e.accountID, invoice.Type, inv.IDString(), "companies", company.IDString(), nil, api); err != nil {
			t.Fatal(err)
		}
		draft, _, err := e.invoices.Document(ctx, e.accountID, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		today := time.Date(2026, time.March, 28, 0, 0, 0, 0, time.UTC)
		if draft.Number != "Brouillon" || draft.Status != "draft" || !draft.IssueDate.Equal(today) || !draft.DueDate.IsZero() {
			t.Errorf("draft: number %q, status %q, dated %s, due %s", draft.Number, draft.Status, draft.IssueDate, draft.DueDate)
		}
		b := draft.Buyer
		if b.Name != "Jean Dupont" || b.Email != "jean@example.com" || !slices.Equal(b.Address, []string{"Globex", "1 rue de Rivoli", "75001 Paris"}) {
			t.Errorf("buyer %+v", b)
		}
		if s := draft.Seller; s.CompanyName != "Brasserie Müller" || s.Colour == "" || draft.Notes != "Merci !" {
			t.Errorf("seller %+v, notes %q", s, draft.Notes)
		}
		if len(draft.Lines) != 3 || draft.Lines[1].Description != "Training" || draft.Lines[1].Discount.Minor != 2500 ||
			draft.Lines[1].Tax.Minor != 1553 || draft.Lines[1].Total.Minor != 19051 {
			t.Errorf("lines %+v", draft.Lines)
		}
		totals := []int64{draft.Subtotal.Minor, draft.Discount.Minor, draft.Tax.Minor, draft.Total.Minor, draft.AmountPaid.Minor, draft.BalanceDue.Minor}
		if want := []int64{385995, 3250, 73553, 456298, 0, 456298}; !slices.Equal(totals, want) || draft.Total.Currency != "EUR" {
			t.Errorf("totals %v %s, want %v EUR", totals, draft.Total.Currency, want)
		}
		if err := e.act(inv.ID, "finalize"); err != nil {
			t.Fatal(err)
		}
		open, _, err := e.invoices.Document(ctx, e.accountID, inv.ID)
		if err != nil || open.Number != "INV-0001" || open.Status != "open" || !open.DueDate.Equal(today.AddDate(0, 0, 30)) {
			t.Errorf("open: number %q, status %q, due %s, %v", open.Number, open.Status, open.DueDate, err)
		}
	})
}
