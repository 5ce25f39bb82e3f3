package lineitem_test

import (
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/lineitem"
)

func TestValidateItem(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*lineitem.Item)
		want   []string // "field CODE" under line_items[0]; none means valid
	}{
		{"valid one-time", func(*lineitem.Item) {}, nil},
		{"valid recurring", func(it *lineitem.Item) {
			it.Billing = &lineitem.Billing{Frequency: "every 10 days", Term: lineitem.FixedTerm(lineitem.MaxPayments)}
		}, nil},
		{"name missing", func(it *lineitem.Item) { it.Name = "" }, []string{"name REQUIRED"}},
		{"name blank", func(it *lineitem.Item) { it.Name = " \t" }, []string{"name REQUIRED"}},
		{"name of 255 characters", func(it *lineitem.Item) { it.Name = strings.Repeat("é", 255) }, nil},
		{"name of 256 characters", func(it *lineitem.Item) { it.Name = strings.Repeat("a", 256) }, []string{"name INVALID_LENGTH"}},
		{"sku of 256 characters", func(it *lineitem.Item) { it.SKU = strings.Repeat("a", 256) }, []string{"sku INVALID_LENGTH"}},
		{"currency unknown", func(it *lineitem.Item) { it.Currency = "XYZ" }, []string{"currency INVALID_CURRENCY"}},
		{"currency lower-case", func(it *lineitem.Item) { it.Currency = "usd" }, []string{"currency INVALID_CURRENCY"}},
		{"currency missing", func(it *lineitem.Item) { it.Currency = "" }, []string{"currency INVALID_CURRENCY"}},
		{"free", func(it *lineitem.Item) { it.UnitPrice = 0 }, nil},
		{"largest unit price", func(it *lineitem.Item) { it.UnitPrice = lineitem.MaxUnitPrice }, nil},
		{"unit price too large", func(it *lineitem.Item) { it.UnitPrice = lineitem.MaxUnitPrice + 1 }, []string{"unit_price INVALID_RANGE"}},
		{"unit price negative", func(it *lineitem.Item) { it.UnitPrice = -1 }, []string{"unit_price INVALID_RANGE"}},
		{"quantity 1", func(it *lineitem.Item) { it.Quantity = 1 }, nil},
		{"quantity 999,999", func(it *lineitem.Item) { it.Quantity = lineitem.MaxQuantity }, nil},
		{"quantity 0", func(it *lineitem.Item) { it.Quantity = 0 }, []string{"quantity INVALID_RANGE"}},
		{"quantity negative", func(it *lineitem.Item) { it.Quantity = -1 }, []string{"quantity INVALID_RANGE"}},
		{"quantity 1,000,000", func(it *lineitem.Item) { it.Quantity = 1_000_000 }, []string{"quantity INVALID_RANGE"}},
		{"quantity 10^9", func(it *lineitem.Item) { it.Quantity = 1_000_000_000 }, []string{"quantity INVALID_RANGE"}},
		{"discount 100%", func(it *lineitem.Item) { it.Discount.Percent = lineitem.MaxPercent }, nil},
		{"discount above 100%", func(it *lineitem.Item) { it.Discount.Percent = lineitem.MaxPercent + 1 }, []string{"discount_percent INVALID_RANGE"}},
		{"discount percent negative", func(it *lineitem.Item) { it.Discount.Percent = -1 }, []string{"discount_percent INVALID_RANGE"}},
		{"discount of the whole unit price", func(it *lineitem.Item) { it.Discount.Amount = it.UnitPrice }, nil},
		{"discount above the unit price", func(it *lineitem.Item) { it.Discount.Amount = it.UnitPrice + 1 }, []string{"discount_amount INVALID_RANGE"}},
		{"discount amount negative", func(it *lineitem.Item) { it.Discount.Amount = -1 }, []string{"discount_amount INVALID_RANGE"}},
		{"discount both ways", func(it *lineitem.Item) { it.Discount = lineitem.Discount{Percent: 1, Amount: 1} }, []string{"discount_amount CONFLICTING_DISCOUNT"}},
		{"tax 100%", func(it *lineitem.Item) { it.TaxRate = lineitem.MaxPercent }, nil},
		{"tax above 100%", func(it *lineitem.Item) { it.TaxRate = lineitem.MaxPercent + 1 }, []string{"tax_rate INVALID_RANGE"}},
		{"tax negative", func(it *lineitem.Item) { it.TaxRate = -1 }, []string{"tax_rate INVALID_RANGE"}},
		{"frequency missing", func(it *lineitem.Item) { it.Billing = &lineitem.Billing{} }, []string{"billing.frequency INVALID_OPTION"}},
		{"frequency unknown", func(it *lineitem.Item) {
			it.Billing = &lineitem.Billing{Frequency: "fortnightly"}
		}, []string{"billing.frequency INVALID_OPTION"}},
		{"frequency not canonical", func(it *lineitem.Item) {
			it.Billing = &lineitem.Billing{Frequency: "every 1 month"}
		}, []string{"billing.frequency INVALID_OPTION"}},
		{"payments negative", func(it *lineitem.Item) {
			it.Billing = &lineitem.Billing{Frequency: lineitem.FrequencyMonthly, Term: lineitem.FixedTerm(-1)}
		}, []string{"billing.payments INVALID_RANGE"}},
		{"too many payments", func(it *lineitem.Item) {
			it.Billing = &lineitem.Billing{Frequency: lineitem.FrequencyMonthly, Term: lineitem.FixedTerm(lineitem.MaxPayments + 1)}
		}, []string{"billing.payments INVALID_RANGE"}},
		{"every problem at once", func(it *lineitem.Item) { *it = lineitem.Item{Quantity: 1, Currency: "USD", UnitPrice: -5} },
			[]string{"name REQUIRED", "unit_price INVALID_RANGE"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := usd("Widget", 1999, 2)
			tc.change(&it)
			wantRefusals(t, it.Validate(), tc.want...)
			inList := make([]string, len(tc.want))
			for i, w := range tc.want {
				inList[i] = "line_items[0]." + w
			}
			wantRefusals(t, lineitem.Validate([]lineitem.Item{it}), inList...)
		})
	}
}

func TestValidateList(t *testing.T) {
	t.Parallel()
	eur := usd("Gadget", 500, 1)
	eur.Currency = "EUR"
	xyz := usd("Gizmo", 500, 1)
	xyz.Currency = "XYZ"
	cases := []struct {
		name  string
		items []lineitem.Item
		want  []string
	}{
		{"none", nil, []string{"line_items REQUIRED"}},
		{"100 items", repeat(usd("Widget", 1, 1), lineitem.MaxItems), nil},
		{"101 items", repeat(usd("Widget", 1, 1), lineitem.MaxItems+1), []string{"line_items TOO_MANY_ITEMS"}},
		{"two currencies", []lineitem.Item{usd("Widget", 1, 1), usd("Widget", 1, 1), eur},
			[]string{"line_items[2].currency CURRENCY_MISMATCH"}},
		{"first currency unknown", []lineitem.Item{xyz, usd("Widget", 1, 1), eur},
			[]string{"line_items[0].currency INVALID_CURRENCY", "line_items[2].currency CURRENCY_MISMATCH"}},
		{"problems in several items", []lineitem.Item{usd("Widget", 1, 0), usd("", 1, 1)},
			[]string{"line_items[0].quantity INVALID_RANGE", "line_items[1].name REQUIRED"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantRefusals(t, lineitem.Validate(tc.items), tc.want...)
		})
	}
}

func TestCurrencyMismatchNamesTheItem(t *testing.T) {
	t.Parallel()
	eur := usd("Gadget", 500, 1)
	eur.Currency = "EUR"
	err := lineitem.Validate([]lineitem.Item{usd("Widget", 1, 1), eur})
	for _, want := range []string{`line_items[1] ("Gadget") is in EUR`, "line_items[0] is in USD"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("error %v does not say %q", err, want)
		}
	}
}

func repeat(it lineitem.Item, n int) []lineitem.Item {
	items := make([]lineitem.Item, n)
	for i := range items {
		items[i] = it
	}
	return items
}
