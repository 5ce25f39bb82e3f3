package builtin_test

import (
	"context"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/processor/builtin"
)

// TestAccountFeesOverTheDefaults sets one account's card fee: its charges pay it (capped),
// the other accounts' cards keep the defaults.
func TestAccountFeesOverTheDefaults(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		h := newHarness(t, engine)
		if err := h.proc.SetFee(context.Background(), h.accounts["US"], "card", builtin.FeeSchedule{Percent: "1.5", Fixed: 10, Cap: 120}); err != nil {
			t.Fatal(err)
		}
		defaults := builtin.DefaultFees()
		cases := []struct {
			name string
			tc   instrumentCase
			want builtin.FeeSchedule
		}{
			{"card, under the cap", instrumentCase{method: card("4242424242424242"), amount: "40.00", currency: "USD"},
				builtin.FeeSchedule{Percent: "1.5", Fixed: 10, Cap: 120}},
			{"card, capped", instrumentCase{method: card("4242424242424242"), amount: "100.00", currency: "USD"},
				builtin.FeeSchedule{Percent: "1.5", Fixed: 10, Cap: 120}},
			{"a British card", instrumentCase{method: card("4242424242424242"), amount: "100.00", currency: "GBP", country: "GB"},
				defaults["card"]},
			{"another account's card", instrumentCase{method: card("4242424242424242"), amount: "100.00", currency: "CAD", country: "CA"},
				defaults["card"]},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := h.pay(t, tc.tc)
				want, err := tc.want.Fee(c.Settlement)
				if err != nil {
					t.Fatal(err)
				}
				if c.Fee != want {
					t.Errorf("fee %v, want %v", c.Fee, want)
				}
			})
		}
		if c := h.pay(t, cases[1].tc); c.Fee.Minor != 120 {
			t.Errorf("the cap: fee %v, want 1.20", c.Fee)
		}
	})
}
