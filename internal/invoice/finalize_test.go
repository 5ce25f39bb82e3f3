package invoice_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/invoice"
	"github.com/settlehq/settle/internal/problem"
)

// threeLines come to 4 562,98 €: 3 × 1 200 with 20% tax (4 320), 2 × 99,99 less 12.5% (25,00,
// rounded up from 24,9975) with 8.875% tax (15,53, up from 15,529475) (190,51), and 3 × 19,99
// less 2,50 a unit (52,47).
var threeLines = []map[string]string{
	line("Consulting", "1200", "3", "hs_tax_rate", "20"),
	line("Training", "99.99", "2", "hs_discount_percentage", "12.5", "hs_tax_rate", "8.875"),
	line("Support", "19.99", "3", "discount", "2.5"),
}

func TestFinalize(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		inv := e.draft(t, nil, threeLines...)
		got, err := e.invoices.Get(ctx, e.accountID, inv.ID)
		if err != nil || got.Status != invoice.StatusDraft || got.Billed.String() != "4562.98 EUR" || got.Due.Minor != 456298 {
			t.Fatalf("draft: %+v, %v", got, err)
		}
		open, err := e.invoices.Finalize(ctx, e.accountID, inv.ID, invoice.FinalizeInput{})
		if err != nil {
			t.Fatal(err)
		}
		got = open
		if got.Number != "INV-0001" || got.Status != invoice.StatusOpen || got.IssueDate != "2026-03-28" || got.DueDate != "2026-04-27" ||
			got.Currency != "EUR" || got.Billed.Minor != 456298 || got.Paid.Minor != 0 || got.Due.Minor != 456298 {
			t.Errorf("finalized: %+v; want INV-0001, open, dated 2026-03-28 in Paris, due 2026-04-27, 4562.98 EUR billed and due", got)
		}
	})
}

func TestFinalizeDueDate(t *testing.T) {
	cases := []struct {
		name, draft, given, want, code string
	}{
		{name: "net 30 by default", want: "2026-04-27"},
		{name: "the date given", given: "2026-05-15", want: "2026-05-15"},
		{name: "due on the invoice date", given: "2026-03-28", want: "2026-03-28"},
		{name: "the draft's", draft: "2026-06-01", want: "2026-06-01"},
		{name: "the date given over the draft's", draft: "2026-06-01", given: "2026-05-15", want: "2026-05-15"},
		{name: "a draft's past date gives way to net 30", draft: "2026-01-01", want: "2026-04-27"},
		{name: "before the invoice date", given: "2026-03-27", code: "INVALID_RANGE"},
		{name: "not a day", given: "28/03/2026", code: "INVALID_FORMAT"},
	}
	forEach(t, func(t *testing.T, e *env) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				props := map[string]string{}
				if tc.draft != "" {
					props["hs_due_date"] = tc.draft
				}
				inv := e.draft(t, props, line("Audit", "100", "1"))
				got, err := e.invoices.Finalize(context.Background(), e.accountID, inv.ID, invoice.FinalizeInput{DueDate: tc.given})
				if tc.code != "" {
					assertCode(t, err, tc.code)
					return
				}
				if err != nil || got.DueDate != tc.want {
					t.Errorf("due %q, %v; want %s", got.DueDate, err, tc.want)
				}
			})
		}
	})
}

func TestFinalizeRefuses(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		open := e.draft(t, nil, line("Audit", "100", "1"))
		if _, err := e.invoices.Finalize(ctx, e.accountID, open.ID, invoice.FinalizeInput{}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			id   int64
			code string
		}{
			{"no line items", e.draft(t, nil).ID, "REQUIRED"},
			{"a zero total", e.draft(t, nil, line("Gift", "0", "2")).ID, "ZERO_TOTAL"},
			{"an open invoice", open.ID, "INVALID_TRANSITION"},
			{"a line item Settle wrote that cannot be billed", e.systemDraft(t, line("Half", "10", "0.5")).ID, "INVALID_NUMBER"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.invoices.Finalize(ctx, e.accountID, tc.id, invoice.FinalizeInput{})
				assertCode(t, err, tc.code)
			})
		}
		if _, err := e.invoices.Finalize(ctx, e.accountID, 999_999, invoice.FinalizeInput{}); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("finalize a missing invoice: %v", err)
		}
		next := e.draft(t, nil, line("Audit", "100", "1"))
		if got, err := e.invoices.Finalize(ctx, e.accountID, next.ID, invoice.FinalizeInput{}); err != nil || got.Number != "INV-0002" {
			t.Errorf("after refusals the next number is %q, %v; want INV-0002", got.Number, err)
		}
	})
}

// systemDraft creates a draft as Settle would, without hooks, with a line item.
func (e *env) systemDraft(t *testing.T, l map[string]string) crm.Record {
	t.Helper()
	ctx := context.Background()
	inv, err := e.crm.Create(ctx, e.accountID, invoice.Type, crm.Input{System: true, Properties: map[string]string{"hs_invoice_status": "draft"}}, api)
	if err != nil {
		t.Fatal(err)
	}
	in := crm.Input{System: true, Properties: l, Associations: []crm.AssociationInput{{ToType: invoice.Type, ToID: inv.IDString()}}}
	if _, err := e.crm.Create(ctx, e.accountID, "line_items", in, api); err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestConcurrentFinalizesNumberWithoutGaps(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		const n = 20
		drafts := make([]crm.Record, n)
		for i := range drafts {
			drafts[i] = e.draft(t, nil, line("Audit", "100", "1"))
		}
		numbers := make([]string, n)
		var wg sync.WaitGroup
		for i, d := range drafts {
			wg.Go(func() {
				inv, err := e.invoices.Finalize(context.Background(), e.accountID, d.ID, invoice.FinalizeInput{})
				if err != nil {
					t.Errorf("finalize %d: %v", d.ID, err)
				}
				numbers[i] = inv.Number
			})
		}
		wg.Wait()
		slices.Sort(numbers)
		for i, got := range numbers {
			if want := invoice.FormatNumber(int64(i + 1)); got != want {
				t.Fatalf("numbers %v: want INV-0001 to INV-0020, each once", numbers)
			}
		}
	})
}

func TestRolledBackFinalizeLeavesNoGap(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		first, rolled, next := e.draft(t, nil, line("A", "1", "1")), e.draft(t, nil, line("B", "1", "1")), e.draft(t, nil, line("C", "1", "1"))
		finalize := func(ctx context.Context, id int64) string {
			t.Helper()
			inv, err := e.invoices.Finalize(ctx, e.accountID, id, invoice.FinalizeInput{})
			if err != nil {
				t.Fatal(err)
			}
			return inv.Number
		}
		if got := finalize(ctx, first.ID); got != "INV-0001" {
			t.Fatalf("first number %s", got)
		}
		abort := errors.New("the request failed after finalizing")
		err := e.db.InTx(ctx, func(tx *sql.Tx) error {
			if got := finalize(e.db.WithTx(ctx, tx), rolled.ID); got != "INV-0002" {
				t.Errorf("number inside the transaction %s, want INV-0002", got)
			}
			return abort
		})
		if !errors.Is(err, abort) {
			t.Fatalf("transaction: %v", err)
		}
		if inv, err := e.invoices.Get(ctx, e.accountID, rolled.ID); err != nil || inv.Status != invoice.StatusDraft || inv.Number != "" {
			t.Errorf("rolled back invoice: %+v, %v", inv, err)
		}
		if got := finalize(ctx, next.ID); got != "INV-0002" {
			t.Errorf("after a rollback the next number is %s, want INV-0002", got)
		}
		if got := finalize(ctx, rolled.ID); got != "INV-0003" {
			t.Errorf("the rolled back invoice got %s, want INV-0003", got)
		}
	})
}

func TestNumbersAreCountedPerAccount(t *testing.T) {
	forEach(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		mine := e.draft(t, nil, line("A", "1", "1"))
		if _, err := e.invoices.Finalize(ctx, e.accountID, mine.ID, invoice.FinalizeInput{}); err != nil {
			t.Fatal(err)
		}
		other := e.otherAccount(t)
		theirs := other.draft(t, nil, line("A", "1", "1"))
		if _, err := e.invoices.Finalize(ctx, e.accountID, theirs.ID, invoice.FinalizeInput{}); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("finalized another account's invoice: %v", err)
		}
		inv, err := e.invoices.Finalize(ctx, other.accountID, theirs.ID, invoice.FinalizeInput{})
		if err != nil || inv.Number != "INV-0001" {
			t.Errorf("another account's first number: %q, %v", inv.Number, err)
		}
	})
}

// assertCode checks that err is an InvalidError with code among its problems.
func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("error %v, want %s", err, code)
	}
	for _, f := range inv.Fields {
		if f.Code == code {
			return
		}
	}
	t.Errorf("error %v, want %s", err, code)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
