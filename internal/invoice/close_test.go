package invoice_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
)

func TestStatusMoves(t *testing.T) {
	type step struct {
		action string // finalize, void, uncollectible or pay (a payment of everything billed)
		code   string // the refusal, or "" when the step succeeds
	}
	cases := []struct {
		name  string
		steps []step
		want  invoice.Status
	}{
		{"void an open invoice", []step{{"finalize", ""}, {"void", ""}}, invoice.StatusVoid},
		{"mark an open invoice uncollectible", []step{{"finalize", ""}, {"uncollectible", ""}}, invoice.StatusUncollectible},
		{"void a draft", []step{{"void", "INVALID_TRANSITION"}}, invoice.StatusDraft},
		{"mark a draft uncollectible", []step{{"uncollectible", "INVALID_TRANSITION"}}, invoice.StatusDraft},
		{"void a paid invoice", []step{{"finalize", ""}, {"pay", ""}, {"void", "INVALID_TRANSITION"}}, invoice.StatusPaid},
		{"void twice", []step{{"finalize", ""}, {"void", ""}, {"void", "INVALID_TRANSITION"}}, invoice.StatusVoid},
		{"finalize a void invoice", []step{{"finalize", ""}, {"void", ""}, {"finalize", "INVALID_TRANSITION"}}, invoice.StatusVoid},
		{"void an uncollectible invoice", []step{{"finalize", ""}, {"uncollectible", ""}, {"void", "INVALID_TRANSITION"}}, invoice.StatusUncollectible},
		{"mark a void invoice uncollectible", []step{{"finalize", ""}, {"void", ""}, {"uncollectible", "INVALID_TRANSITION"}}, invoice.StatusVoid},
		{"void an invoice with a payment", []step{{"finalize", ""}, {"pay part", ""}, {"void", "PARTIALLY_PAID"}}, invoice.StatusOpen},
	}
	forEach(t, func(t *testing.T, e *env) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				inv := e.draft(t, nil, line("Audit", "100", "1"))
				for _, s := range tc.steps {
					err := e.act(inv.ID, s.action)
					if s.code == "" && err != nil {
						t.Fatalf("%s: %v", s.action, err)
					}
					if s.code != "" {
						assertCode(t, err, s.code)
					}
				}
				got, err := e.invoices.Get(context.Background(), e.accountID, inv.ID)
				if err != nil || got.Status != tc.want {
					t.Errorf("status %s, %v; want %s", got.Status, err, tc.want)
				}
			})
		}
	})
}

// act does one thing to an invoice. A payment is what payments write: the amount paid and,
// once it covers the bill, the status.
func (e *env) act(id int64, action string) error {
	ctx := context.Background()
	var err error
	switch action {
	case "finalize":
		_, err = e.invoices.Finalize(ctx, e.accountID, id, invoice.FinalizeInput{})
	case "void":
		_, err = e.invoices.Void(ctx, e.accountID, id)
	case "uncollectible":
		_, err = e.invoices.MarkUncollectible(ctx, e.accountID, id)
	case "pay":
		_, err = e.crm.SetProperties(ctx, e.accountID, invoice.Type, id, map[string]string{"hs_amount_paid": "100",
			"hs_balance_due": "0", "hs_invoice_status": "paid"}, crm.Source{Type: "PAYMENTS"})
	case "pay part":
		_, err = e.crm.SetProperties(ctx, e.accountID, invoice.Type, id, map[string]string{"hs_amount_paid": "40",
			"hs_balance_due": "60"}, crm.Source{Type: "PAYMENTS"})
	}
	return err
}

func TestVoidLeavesNothingDue(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		inv := e.draft(t, nil, line("Audit", "100", "1"))
		if err := e.act(inv.ID, "finalize"); err != nil {
			t.Fatal(err)
		}
		got, err := e.invoices.Void(context.Background(), e.accountID, inv.ID)
		if err != nil || got.Status != invoice.StatusVoid || got.Number != "INV-0001" || got.Billed.Minor != 10000 || got.Due.Minor != 0 {
			t.Errorf("void: %+v, %v; want INV-0001 voided, 100 billed and nothing due", got, err)
		}
	})
}
