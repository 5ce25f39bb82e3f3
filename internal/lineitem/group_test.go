package lineitem_test

import (
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/lineitem"
)

// groupSummary is what a test checks of a group.
type groupSummary struct {
	billing lineitem.Billing
	indexes []int
	names   []string
	amount  int64
}

func summarize(groups []lineitem.Group) []groupSummary {
	var out []groupSummary
	for _, g := range groups {
		var names []string
		for _, it := range g.Items {
			names = append(names, it.Name)
		}
		out = append(out, groupSummary{g.Billing, g.Indexes, names, g.Amount})
	}
	return out
}

func TestGroups(t *testing.T) {
	t.Parallel()
	monthly12 := lineitem.Billing{Frequency: lineitem.FrequencyMonthly, Term: lineitem.FixedTerm(12)}
	monthly := lineitem.Billing{Frequency: lineitem.FrequencyMonthly}
	annually := lineitem.Billing{Frequency: lineitem.FrequencyAnnually, Term: lineitem.FixedTerm(3)}
	biweekly := lineitem.Billing{Frequency: lineitem.FrequencyBiweekly}
	every14Days, err := lineitem.ParseFrequency("every 14 days")
	if err != nil {
		t.Fatal(err)
	}
	taxed := usd("Support", 1000, 2)
	taxed.TaxRate = pct(t, "8.875")
	taxed.Discount.Amount = 100
	cases := []struct {
		name  string
		items []lineitem.Item
		want  []groupSummary
	}{
		{"two monthly 12-payment items and an annual one", []lineitem.Item{
			recurring(usd("Hosting", 2000, 1), monthly12.Frequency, monthly12.Term),
			recurring(usd("Licence", 12000, 1), annually.Frequency, annually.Term),
			usd("Setup", 5000, 1),
			recurring(taxed, monthly12.Frequency, monthly12.Term),
		}, []groupSummary{
			{monthly12, []int{0, 3}, []string{"Hosting", "Support"}, 2000 + 1800 + 160},
			{annually, []int{1}, []string{"Licence"}, 12000},
		}},
		{"12 payments and until cancelled are separate", []lineitem.Item{
			recurring(usd("A", 100, 1), monthly12.Frequency, monthly12.Term),
			recurring(usd("B", 200, 1), monthly.Frequency, monthly.Term),
			recurring(usd("C", 300, 1), monthly12.Frequency, monthly12.Term),
		}, []groupSummary{
			{monthly12, []int{0, 2}, []string{"A", "C"}, 400},
			{monthly, []int{1}, []string{"B"}, 200},
		}},
		{"groups follow first appearance", []lineitem.Item{
			usd("Setup", 5000, 1),
			recurring(usd("Licence", 12000, 1), annually.Frequency, annually.Term),
			recurring(usd("Hosting", 2000, 3), monthly12.Frequency, monthly12.Term),
		}, []groupSummary{
			{annually, []int{1}, []string{"Licence"}, 12000},
			{monthly12, []int{2}, []string{"Hosting"}, 6000},
		}},
		{"every 14 days is biweekly", []lineitem.Item{
			recurring(usd("A", 100, 1), lineitem.FrequencyBiweekly, lineitem.Term{}),
			recurring(usd("B", 200, 1), every14Days, lineitem.Term{}),
		}, []groupSummary{{biweekly, []int{0, 1}, []string{"A", "B"}, 300}}},
		{"one-time items only", []lineitem.Item{usd("Setup", 5000, 1)}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			groups, err := lineitem.Groups(tc.items)
			if err != nil {
				t.Fatal(err)
			}
			got := summarize(groups)
			if !slices.EqualFunc(got, tc.want, equalSummary) {
				t.Fatalf("groups\n%+v\nwant\n%+v", got, tc.want)
			}
			for _, g := range groups {
				if g.Currency != "USD" {
					t.Fatalf("group currency %q, want USD", g.Currency)
				}
			}
		})
	}
}

func equalSummary(a, b groupSummary) bool {
	return a.billing == b.billing && slices.Equal(a.indexes, b.indexes) && slices.Equal(a.names, b.names) &&
		a.amount == b.amount
}

func TestGroupsRefuses(t *testing.T) {
	t.Parallel()
	bad := recurring(usd("Hosting", 2000, 1), "fortnightly", lineitem.Term{})
	_, err := lineitem.Groups([]lineitem.Item{bad})
	wantRefusals(t, err, "line_items[0].billing.frequency INVALID_OPTION")

	huge := recurring(usd("Yacht", lineitem.MaxUnitPrice, lineitem.MaxQuantity), lineitem.FrequencyMonthly, lineitem.Term{})
	huge.TaxRate = lineitem.MaxPercent
	_, err = lineitem.Groups(repeat(huge, 5))
	wantRefusals(t, err, "line_items AMOUNT_TOO_LARGE")
}
