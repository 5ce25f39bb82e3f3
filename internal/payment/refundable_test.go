package payment

import (
	"testing"

	"github.com/settlehq/settle/internal/money"
)

func TestRefundable(t *testing.T) {
	usd := func(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: "USD"} }
	cases := []struct {
		name     string
		status   Status
		refunded int64
		want     bool
	}{
		{name: "succeeded", status: StatusSucceeded, want: true},
		{name: "partly refunded", status: StatusPartiallyRefund, refunded: 3000, want: true},
		{name: "partly refunded with nothing left", status: StatusPartiallyRefund, refunded: 10000},
		{name: "refunded", status: StatusRefunded, refunded: 10000},
		{name: "processing", status: StatusProcessing},
		{name: "failed", status: StatusFailed},
		{name: "a refund processing", status: StatusProcessingRefund, refunded: 0},
		{name: "disputed", status: StatusDisputeNeeds},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Payment{Status: tc.status, Amount: usd(10000), Refunded: usd(tc.refunded)}
			if got := p.Refundable(); got != tc.want {
				t.Errorf("Refundable() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRefundReasonsAreTheOnesRefundAccepts(t *testing.T) {
	got := RefundReasons()
	if len(got) != len(reasons) {
		t.Errorf("RefundReasons() = %v; Refund accepts %d reasons", got, len(reasons))
	}
	for _, r := range got {
		if !reasons[r] {
			t.Errorf("Refund refuses %q", r)
		}
	}
}
