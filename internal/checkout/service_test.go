package checkout_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

func item(name string, price int64) lineitem.Item {
	return lineitem.Item{Name: name, UnitPrice: price, Currency: "USD", Quantity: 1}
}

func mustCreate(t *testing.T, a *apptest.App, accountID int64, in checkout.LinkInput) checkout.Link {
	t.Helper()
	l, err := a.Checkout.Create(context.Background(), accountID, in)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLinkStore(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		other, _, _ := a.OtherAccount(t, "boss@neighbour.test")
		first := mustCreate(t, a, a.Account.ID, checkout.LinkInput{Name: " First <b> ", Items: []lineitem.Item{item("A", 100)},
			Methods: []checkout.Method{checkout.MethodSEPA, checkout.MethodCard, checkout.MethodSEPA}})
		second := mustCreate(t, a, a.Account.ID, checkout.LinkInput{Name: "Second", Items: []lineitem.Item{item("B", 200)}})
		theirs := mustCreate(t, a, other.ID, checkout.LinkInput{Name: "Theirs", Items: []lineitem.Item{item("C", 300)}})
		if first.Name != "First <b>" || first.Slug == second.Slug || len(first.Slug) != 16 || first.Currency != "USD" ||
			!slices.Equal(first.Methods, []checkout.Method{checkout.MethodCard, checkout.MethodSEPA}) ||
			!slices.Equal(second.Methods, []checkout.Method{checkout.MethodCard}) {
			t.Fatalf("links %+v and %+v", first, second)
		}
		if got, err := a.Checkout.LinkBySlug(ctx, theirs.Slug); err != nil || got.ID != theirs.ID || got.AccountID != other.ID {
			t.Fatalf("by slug: %+v, %v", got, err)
		}
		for _, bad := range []struct {
			name string
			err  error
		}{
			{"another account's link", get(a, a.Account.ID, theirs.ID)},
			{"an unknown slug", bySlug(a, "aaaaaaaaaaaaaaaa")},
			{"an id as a slug", bySlug(a, "1")},
		} {
			if !errors.Is(bad.err, problem.ErrNotFound) {
				t.Errorf("%s: %v, want ErrNotFound", bad.name, bad.err)
			}
		}
		page, next, err := a.Checkout.List(ctx, a.Account.ID, 1, 0)
		if err != nil || len(page) != 1 || page[0].ID != second.ID || next != second.ID {
			t.Fatalf("first page %+v, next %d, %v", page, next, err)
		}
		page, next, err = a.Checkout.List(ctx, a.Account.ID, 1, next)
		if err != nil || len(page) != 1 || page[0].ID != first.ID || next != 0 || page[0].Items[0].Name != "A" {
			t.Fatalf("last page %+v, next %d, %v", page, next, err)
		}
	})
}

func TestLinkUpdates(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		l := mustCreate(t, a, a.Account.ID, checkout.LinkInput{Name: "Plan", Items: []lineitem.Item{item("A", 100)}})
		var wg sync.WaitGroup
		name, yes := "Renamed", true
		for _, p := range []checkout.LinkPatch{{Name: &name}, {AllowQuantity: &yes}, {CollectBillingAddress: &yes}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.Checkout.Update(ctx, a.Account.ID, l.ID, p); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, err := a.Checkout.Get(ctx, a.Account.ID, l.ID)
		if err != nil || got.Name != name || !got.AllowQuantity || !got.CollectBillingAddress || got.Slug != l.Slug || !got.UpdatedAt.After(l.CreatedAt) {
			t.Fatalf("after concurrent updates: %+v, %v", got, err)
		}
		eur := item("B", 100)
		eur.Currency = "EUR"
		if _, err := a.Checkout.Update(ctx, a.Account.ID, l.ID, checkout.LinkPatch{Items: []lineitem.Item{item("A", 100), eur}}); err == nil {
			t.Fatal("a link in two currencies was accepted")
		}
		if got, err = a.Checkout.Deactivate(ctx, a.Account.ID, l.ID); err != nil || got.Active {
			t.Fatalf("deactivated: %+v, %v", got, err)
		}
		if got, err = a.Checkout.Get(ctx, a.Account.ID, l.ID); err != nil || got.Active || len(got.Items) != 1 {
			t.Fatalf("after a refused change and a deactivation: %+v, %v", got, err)
		}
	})
}

func cardCheckout(slug, email, number string) checkout.Input {
	return checkout.Input{SourceType: checkout.SourcePaymentLink, SourceID: slug, Buyer: payment.Buyer{Email: email},
		Method: processor.TokenizeParams{Card: &processor.CardDetails{Number: number, ExpMonth: 12, ExpYear: 2040, CVC: "123"}}}
}

// TestCheckoutWithOneSubscription: a custom frequency and a one-time item make one
// subscription, which the payment is associated with; its exact schedule is kept.
func TestCheckoutWithOneSubscription(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		every10 := item("Plants watered", 1500)
		every10.Billing = &lineitem.Billing{Frequency: "every 10 days", Term: lineitem.FixedTerm(3)}
		l := mustCreate(t, a, a.Account.ID, checkout.LinkInput{Name: "Garden", Items: []lineitem.Item{item("Visit", 4000), every10}})
		res, err := a.Checkout.Checkout(ctx, cardCheckout(l.Slug, "gardener@example.com", "4242424242424242"))
		if err != nil || len(res.SubscriptionIDs) != 1 || res.Payment.Amount.Minor != 5500 {
			t.Fatalf("checkout: %+v, %v", res, err)
		}
		linked, err := a.Payments.Related(ctx, res.Payment)
		deal, sub := linked.Deal, linked.Subscription
		if err != nil || sub != res.SubscriptionIDs[0] || deal == 0 {
			t.Fatalf("payment's deal %d and subscription %d, want subscription %d: %v", deal, sub, res.SubscriptionIDs[0], err)
		}
		s, err := a.CRM.Get(ctx, a.Account.ID, "subscriptions", itoa(sub), "", crm.ReadOptions{})
		start := res.Payment.InitiatedAt
		if err != nil || s.Values["hs_recurring_billing_frequency"] != "" ||
			s.Values["hs_next_payment_due_date"] != start.AddDate(0, 0, 10).Format(time.DateOnly) || s.Values["hs_last_payment_amount"] != "15" {
			t.Fatalf("subscription %v, %v", s.Values, err)
		}
		var freq string
		var payments int
		if err := a.DB.Read.QueryRowContext(ctx, `SELECT frequency, payments FROM checkout_subscriptions WHERE account_id = $1 AND subscription_id = $2`,
			a.Account.ID, sub).Scan(&freq, &payments); err != nil || freq != "every 10 days" || payments != 3 {
			t.Fatalf("schedule %q × %d, %v", freq, payments, err)
		}
	})
}

func TestDeclinedCheckoutWritesNothing(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		ctx := context.Background()
		monthly := item("Plan", 900)
		monthly.Billing = &lineitem.Billing{Frequency: lineitem.FrequencyMonthly}
		l := mustCreate(t, a, a.Account.ID, checkout.LinkInput{Name: "Plan", Items: []lineitem.Item{monthly}})
		_, err := a.Checkout.Checkout(ctx, cardCheckout(l.Slug, "broke@example.com", "4000000000009995"))
		var declined *payment.DeclinedError
		if !errors.As(err, &declined) || declined.Code != "insufficient_funds" {
			t.Fatalf("checkout: %v, want a decline for insufficient funds", err)
		}
		for _, typ := range []string{"contacts", payment.Type, "deals", "line_items", "subscriptions"} {
			if page, err := a.CRM.List(ctx, a.Account.ID, typ, crm.ListOptions{Limit: 10}); err != nil || len(page.Results) != 0 {
				t.Errorf("%s after a decline: %d, %v", typ, len(page.Results), err)
			}
		}
	})
}

func get(a *apptest.App, accountID, id int64) error {
	_, err := a.Checkout.Get(context.Background(), accountID, id)
	return err
}

func bySlug(a *apptest.App, slug string) error {
	_, err := a.Checkout.LinkBySlug(context.Background(), slug)
	return err
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
