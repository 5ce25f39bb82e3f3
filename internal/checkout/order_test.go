package checkout

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

func testLink() Link {
	monthly := &lineitem.Billing{Frequency: lineitem.FrequencyMonthly, Term: lineitem.FixedTerm(12)}
	return Link{ID: 7, Name: "Gym", Currency: "USD", Active: true, AllowQuantity: true, Methods: []Method{MethodCard, MethodACH},
		Items: []lineitem.Item{
			{Name: "Membership", UnitPrice: 5000, Currency: "USD", Quantity: 1, Billing: monthly},
			{Name: "Towels", UnitPrice: 250, Currency: "USD", Quantity: 4},
		}}
}

func cardInput() Input {
	return Input{SourceType: SourcePaymentLink, Buyer: payment.Buyer{Email: "ada@example.com"},
		Method: processor.TokenizeParams{Card: &processor.CardDetails{Number: "4242424242424242"}}}
}

func ptr[T any](v T) *T { return &v }

// refusals lists the "field CODE" pairs of an invalid-input error.
func refusals(t *testing.T, err error) []string {
	t.Helper()
	var inv *problem.InvalidError
	if err == nil {
		return nil
	}
	if !errors.As(err, &inv) {
		t.Fatalf("error %v is not invalid input", err)
	}
	var out []string
	for _, f := range inv.Fields {
		out = append(out, f.Field+" "+f.Code)
	}
	return out
}

func TestOrderRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		link func(*Link)
		in   func(*Input)
		want []string
	}{
		{"fine", nil, nil, nil},
		{"inactive", func(l *Link) { l.Active = false }, nil, []string{"source.id INACTIVE_LINK"}},
		{"a method not allowed", nil, func(in *Input) {
			in.Method = processor.TokenizeParams{SEPA: &processor.SEPADetails{IBAN: "DE89370400440532013000"}}
		}, []string{"payment_method.type METHOD_NOT_ALLOWED"}},
		{"no method", nil, func(in *Input) { in.Method = processor.TokenizeParams{} }, []string{"payment_method REQUIRED"}},
		{"no email", nil, func(in *Input) { in.Buyer.Email = " " }, []string{"buyer.email REQUIRED"}},
		{"a malformed email", nil, func(in *Input) { in.Buyer.Email = "ada@@example.com" }, []string{"buyer.email INVALID_EMAIL"}},
		{"quantity 0", nil, func(in *Input) { in.Quantity = ptr[int64](0) }, []string{"quantity INVALID_RANGE"}},
		{"quantity 10^9", nil, func(in *Input) { in.Quantity = ptr[int64](1_000_000_000) }, []string{"quantity INVALID_RANGE"}},
		{"a line past the maximum", nil, func(in *Input) { in.Quantity = ptr[int64](250_000) }, []string{"quantity INVALID_RANGE"}},
		{"a quantity the link does not allow", func(l *Link) { l.AllowQuantity = false }, func(in *Input) { in.Quantity = ptr[int64](1) },
			[]string{"quantity QUANTITY_NOT_ALLOWED"}},
		{"no billing address", func(l *Link) { l.CollectBillingAddress = true }, nil, []string{"billing_address REQUIRED"}},
		{"a billing address", func(l *Link) { l.CollectBillingAddress = true }, func(in *Input) {
			in.Billing = payment.Address{Line1: "1 Main St", Country: "US"}
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, in := testLink(), cardInput()
			if tc.link != nil {
				tc.link(&l)
			}
			if tc.in != nil {
				tc.in(&in)
			}
			_, err := l.order(in)
			if got := refusals(t, err); !slices.Equal(got, tc.want) {
				t.Fatalf("refusals %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOrderMultipliesEveryLine(t *testing.T) {
	t.Parallel()
	in := cardInput()
	in.Quantity = ptr[int64](3)
	o, err := testLink().order(in)
	if err != nil {
		t.Fatal(err)
	}
	if o.items[0].Quantity != 3 || o.items[1].Quantity != 12 || o.totals.Total != 3*5000+12*250 {
		t.Fatalf("quantities %d and %d, total %d; want 3, 12 and %d", o.items[0].Quantity, o.items[1].Quantity, o.totals.Total, 3*5000+12*250)
	}
	if len(o.groups) != 1 || o.groups[0].Amount != 15000 {
		t.Fatalf("groups %+v, want one of 15000 a month", o.groups)
	}
	if testLink().Items[0].Quantity != 1 {
		t.Fatal("the link's own items changed")
	}
}

func TestTermPeriodAndCRMFrequency(t *testing.T) {
	t.Parallel()
	cases := []struct {
		f         lineitem.Frequency
		payments  int
		period    string
		frequency string
	}{
		{lineitem.FrequencyMonthly, 12, "P12M", "monthly"},
		{lineitem.FrequencyQuarterly, 4, "P12M", "quarterly"},
		{lineitem.FrequencyAnnually, 3, "P3Y", "annually"},
		{lineitem.FrequencyBiweekly, 5, "P10W", "biweekly"},
		{"every 10 days", 3, "P30D", ""},
		{"every 18 months", 2, "P36M", ""},
	}
	for _, tc := range cases {
		b := lineitem.Billing{Frequency: tc.f, Term: lineitem.FixedTerm(tc.payments)}
		if got := termPeriod(b); got != tc.period {
			t.Errorf("termPeriod(%s × %d) = %q, want %q", tc.f, tc.payments, got, tc.period)
		}
		if got := crmFrequency(tc.f); got != tc.frequency {
			t.Errorf("crmFrequency(%s) = %q, want %q", tc.f, got, tc.frequency)
		}
	}
}

func TestSubscriptionProperties(t *testing.T) {
	t.Parallel()
	anchor := time.Date(2026, 1, 31, 15, 4, 5, 0, time.UTC)
	group := func(f lineitem.Frequency, payments int) lineitem.Group {
		return lineitem.Group{Billing: lineitem.Billing{Frequency: f, Term: lineitem.FixedTerm(payments)}, Currency: "USD", Amount: 1999,
			Items: []lineitem.Item{{Name: "A"}, {Name: "B"}}}
	}
	cases := []struct {
		name string
		g    lineitem.Group
		want map[string]string
	}{
		{"monthly, clamped to February", group(lineitem.FrequencyMonthly, 12), map[string]string{"hs_status": "active", "hs_name": "A, B",
			"hs_next_payment_due_date": "2026-02-28", "hs_recurring_billing_start_date": "2026-01-31",
			"hs_recurring_billing_number_of_payments": "12", "hs_last_payment_amount": "19.99", "hs_recurring_billing_frequency": "monthly"}},
		{"until cancelled", group("every 10 days", 0), map[string]string{"hs_status": "active", "hs_next_payment_due_date": "2026-02-10",
			"hs_recurring_billing_number_of_payments": "", "hs_recurring_billing_frequency": ""}},
		{"a single payment is complete at once", group(lineitem.FrequencyAnnually, 1), map[string]string{"hs_status": "expired",
			"hs_next_payment_due_date": "", "hs_recurring_billing_number_of_payments": "1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := subscriptionProperties(tc.g, anchor)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}
