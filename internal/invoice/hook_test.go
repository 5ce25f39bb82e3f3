package invoice_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
)

func TestDraftAmountsFollowLineItems(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inv := e.draft(t, map[string]string{"hs_currency": "EUR"}, line("Audit", "100", "2"))
		lineID := e.lineItems(t, inv.ID)[0]
		loose, err := e.crm.Create(ctx, e.accountID, "line_items", crm.Input{Properties: line("Extra", "5", "1")}, api)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name   string
			do     func() error
			billed int64
		}{
			{"created with its line item", func() error { return nil }, 20000},
			{"a line item changes", func() error {
				_, err := e.crm.Update(ctx, e.accountID, "line_items", itoa(lineID), "", map[string]string{"quantity": "3"}, api)
				return err
			}, 30000},
			{"a line item is associated", func() error {
				_, err := e.crm.Associate(ctx, e.accountID, "line_items", loose.IDString(), invoice.Type, inv.IDString(), nil, api)
				return err
			}, 30500},
			{"a line item is dissociated", func() error {
				return e.crm.Dissociate(ctx, e.accountID, invoice.Type, inv.IDString(), "line_items", itoa(lineID), api)
			}, 500},
			{"a line item is associated in a batch", func() error {
				_, _, err := e.crm.BatchAssociate(ctx, e.accountID, invoice.Type, "line_items",
					[]crm.LinkInput{{FromID: inv.IDString(), ToID: itoa(lineID)}}, api)
				return err
			}, 30500},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			got, err := e.invoices.Get(ctx, e.accountID, inv.ID)
			if err != nil || got.Billed.Minor != s.billed || got.Due.Minor != s.billed || got.Status != invoice.StatusDraft {
				t.Errorf("%s: %+v, %v; want %d billed and due", s.name, got, err, s.billed)
			}
		}
	})
}

func TestDraftRefusesWhatCannotBeBilled(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inv := e.draft(t, map[string]string{"hs_currency": "EUR"}, line("Audit", "100", "1", "hs_line_item_currency_code", "EUR"))
		lineID := e.lineItems(t, inv.ID)[0]
		onInvoice := []crm.AssociationInput{{ToType: invoice.Type, ToID: inv.IDString()}}
		cases := []struct {
			name string
			do   func() error
			code string
		}{
			{"a line item without a price", func() error {
				_, err := e.crm.Create(ctx, e.accountID, "line_items", crm.Input{Properties: map[string]string{"name": "Free?"},
					Associations: onInvoice}, api)
				return err
			}, "REQUIRED"},
			{"a line item in another currency", func() error {
				_, err := e.crm.Create(ctx, e.accountID, "line_items", crm.Input{Properties: line("Audit", "1", "1",
					"hs_line_item_currency_code", "USD"), Associations: onInvoice}, api)
				return err
			}, "CURRENCY_MISMATCH"},
			{"half a unit", func() error {
				_, err := e.crm.Update(ctx, e.accountID, "line_items", itoa(lineID), "", map[string]string{"quantity": "0.5"}, api)
				return err
			}, "INVALID_NUMBER"},
			{"the invoice in another currency than its line items'", func() error {
				_, err := e.crm.Update(ctx, e.accountID, invoice.Type, inv.IDString(), "", map[string]string{"hs_currency": "USD"}, api)
				return err
			}, "CURRENCY_MISMATCH"},
			{"an invoice created open", func() error {
				_, err := e.crm.Create(ctx, e.accountID, invoice.Type, crm.Input{Properties: map[string]string{"hs_invoice_status": "open"}}, api)
				return err
			}, "INVALID_TRANSITION"},
			{"a status written by hand", func() error {
				_, err := e.crm.Update(ctx, e.accountID, invoice.Type, inv.IDString(), "", map[string]string{"hs_invoice_status": "paid"}, api)
				return err
			}, "INVALID_TRANSITION"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { assertCode(t, tc.do(), tc.code) })
		}
		got, err := e.invoices.Get(ctx, e.accountID, inv.ID)
		if err != nil || got.Billed.Minor != 10000 || got.Currency != "EUR" || len(e.lineItems(t, inv.ID)) != 1 {
			t.Errorf("after refusals: %+v, %v", got, err)
		}
	})
}

func TestFinalizedInvoiceIsFrozen(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inv := e.draft(t, nil, line("Audit", "100", "1"))
		lineID := e.lineItems(t, inv.ID)[0]
		loose, err := e.crm.Create(ctx, e.accountID, "line_items", crm.Input{Properties: line("Extra", "5", "1")}, api)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.act(inv.ID, "finalize"); err != nil {
			t.Fatal(err)
		}
		id, li := inv.IDString(), itoa(lineID)
		update := func(typ, id string, props map[string]string) func() error {
			return func() error { _, err := e.crm.Update(ctx, e.accountID, typ, id, "", props, api); return err }
		}
		cases := []struct {
			name string
			do   func() error
		}{
			{"change a line item's price", update("line_items", li, map[string]string{"price": "1"})},
			{"rename a line item", update("line_items", li, map[string]string{"name": "Other"})},
			{"archive a line item", func() error { return e.crm.Archive(ctx, e.accountID, "line_items", li, api) }},
			{"create a line item on it", func() error {
				_, err := e.crm.Create(ctx, e.accountID, "line_items", crm.Input{Properties: line("More", "1", "1"),
					Associations: []crm.AssociationInput{{ToType: invoice.Type, ToID: id}}}, api)
				return err
			}},
			{"associate a line item", func() error {
				_, err := e.crm.Associate(ctx, e.accountID, invoice.Type, id, "line_items", loose.IDString(), nil, api)
				return err
			}},
			{"dissociate a line item", func() error { return e.crm.Dissociate(ctx, e.accountID, "line_items", li, invoice.Type, id, api) }},
			{"dissociate in a batch", func() error {
				_, err := e.crm.BatchDissociate(ctx, e.accountID, invoice.Type, "line_items", []crm.LinkInput{{FromID: id, ToID: li}}, api)
				return err
			}},
			{"change the due date", update(invoice.Type, id, map[string]string{"hs_due_date": "2027-01-01"})},
			{"change the currency", update(invoice.Type, id, map[string]string{"hs_currency": "USD"})},
			{"change the comments", update(invoice.Type, id, map[string]string{"hs_comments": "Oops"})},
			{"archive the invoice", func() error { return e.crm.Archive(ctx, e.accountID, invoice.Type, id, api) }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { assertCode(t, tc.do(), "INVOICE_FINALIZED") })
		}
		if err := update(invoice.Type, id, map[string]string{"hs_language": "fr"})(); err != nil {
			t.Errorf("change the language of a finalized invoice: %v", err)
		}
		if err := update("line_items", loose.IDString(), map[string]string{"price": "6"})(); err != nil {
			t.Errorf("change a line item on no invoice: %v", err)
		}
		got, err := e.invoices.Get(ctx, e.accountID, inv.ID)
		if err != nil || got.Billed.Minor != 10000 || got.Status != invoice.StatusOpen || len(e.lineItems(t, inv.ID)) != 1 {
			t.Errorf("after refusals: %+v, %v", got, err)
		}
	})
}

// lineItems returns the ids of an invoice's line items.
func (e *env) lineItems(t *testing.T, invoiceID int64) []int64 {
	t.Helper()
	page, err := e.crm.Associations(context.Background(), e.accountID, invoice.Type, itoa(invoiceID), "line_items", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range page.Results {
		ids = append(ids, r.ID)
	}
	return ids
}
