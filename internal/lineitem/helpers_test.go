package lineitem_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/problem"
)

// usd returns a valid one-time item of quantity × price cents.
func usd(name string, price, quantity int64) lineitem.Item {
	return lineitem.Item{Name: name, UnitPrice: price, Currency: "USD", Quantity: quantity}
}

// recurring returns it billed at f for term.
func recurring(it lineitem.Item, f lineitem.Frequency, term lineitem.Term) lineitem.Item {
	it.Billing = &lineitem.Billing{Frequency: f, Term: term}
	return it
}

// pct parses a percentage written in a test.
func pct(t *testing.T, s string) lineitem.Percent {
	t.Helper()
	p, err := lineitem.ParsePercent(s)
	if err != nil {
		t.Fatalf("ParsePercent(%q): %v", s, err)
	}
	return p
}

// refusals returns the "field CODE" pairs of an invalid-input error, failing on any other
// error; nil for nil.
func refusals(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("error %v (%T) is not a *problem.InvalidError", err, err)
	}
	out := make([]string, len(inv.Fields))
	for i, f := range inv.Fields {
		out[i] = f.Field + " " + f.Code
	}
	return out
}

// wantRefusals fails unless err refuses exactly want, in order.
func wantRefusals(t *testing.T, err error, want ...string) {
	t.Helper()
	if got := refusals(t, err); !slices.Equal(got, want) {
		t.Fatalf("refusals %q, want %q (error: %v)", got, want, err)
	}
}
