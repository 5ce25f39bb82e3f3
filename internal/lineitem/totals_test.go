package lineitem_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
)

// parsed returns the minor units of a decimal amount written in a test.
func parsed(t *testing.T, s, currency string) int64 {
	t.Helper()
	a, err := money.ParseDecimal(s, currency)
	if err != nil {
		t.Fatal(err)
	}
	return a.Minor
}

func TestComputeRoundsEachLineHalfAwayFromZero(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		currency string
		price    string
		quantity int64
		discount lineitem.Discount
		tax      string
		want     lineitem.Line
	}{
		{"3 × 3.33 with 15% off: 149.85 cents off is 150", "USD", "3.33", 3, lineitem.Discount{Percent: 150_000}, "0",
			lineitem.Line{Subtotal: 999, Discount: 150, Taxable: 849, Tax: 0, Total: 849}},
		{"and 8.875% tax: 75.34875 cents is 75", "USD", "3.33", 3, lineitem.Discount{Percent: 150_000}, "8.875",
			lineitem.Line{Subtotal: 999, Discount: 150, Taxable: 849, Tax: 75, Total: 924}},
		{"half a cent of discount is a cent", "USD", "0.10", 1, lineitem.Discount{Percent: 50_000}, "0",
			lineitem.Line{Subtotal: 10, Discount: 1, Taxable: 9, Total: 9}},
		{"2.5 cents of discount is 3, not the even 2", "USD", "0.50", 1, lineitem.Discount{Percent: 50_000}, "0",
			lineitem.Line{Subtotal: 50, Discount: 3, Taxable: 47, Total: 47}},
		{"the percentage applies to the line, not each unit: 1.5 cents off is 2, not 3 × 1", "USD", "0.10", 3,
			lineitem.Discount{Percent: 50_000}, "0", lineitem.Line{Subtotal: 30, Discount: 2, Taxable: 28, Total: 28}},
		{"half a cent of tax is a cent", "USD", "0.10", 1, lineitem.Discount{}, "5",
			lineitem.Line{Subtotal: 10, Taxable: 10, Tax: 1, Total: 11}},
		{"0.49995 cent of tax is nothing", "USD", "99.99", 1, lineitem.Discount{}, "0.005",
			lineitem.Line{Subtotal: 9999, Taxable: 9999, Tax: 0, Total: 9999}},
		{"0.5 cent of tax at 0.005% is a cent", "USD", "100.00", 1, lineitem.Discount{}, "0.005",
			lineitem.Line{Subtotal: 10000, Taxable: 10000, Tax: 1, Total: 10001}},
		{"yen: 3 × 333 with 15% off and 10% tax", "JPY", "333", 3, lineitem.Discount{Percent: 150_000}, "10",
			lineitem.Line{Subtotal: 999, Discount: 150, Taxable: 849, Tax: 85, Total: 934}},
		{"dinar: 7 × 1.005 with 5% tax, 351.75 fils is 352", "BHD", "1.005", 7, lineitem.Discount{}, "5",
			lineitem.Line{Subtotal: 7035, Taxable: 7035, Tax: 352, Total: 7387}},
		{"dinar: 0.105 off each of 7 units", "BHD", "1.005", 7, lineitem.Discount{Amount: 105}, "5",
			lineitem.Line{Subtotal: 7035, Discount: 735, Taxable: 6300, Tax: 315, Total: 6615}},
		{"an amount off each unit is exact", "USD", "10.00", 3, lineitem.Discount{Amount: 250}, "0",
			lineitem.Line{Subtotal: 3000, Discount: 750, Taxable: 2250, Total: 2250}},
		{"100% off leaves no tax", "USD", "10.00", 3, lineitem.Discount{Percent: lineitem.MaxPercent}, "20",
			lineitem.Line{Subtotal: 3000, Discount: 3000}},
		{"100% tax doubles", "USD", "10.00", 3, lineitem.Discount{}, "100",
			lineitem.Line{Subtotal: 3000, Taxable: 3000, Tax: 3000, Total: 6000}},
		{"free", "USD", "0", 5, lineitem.Discount{}, "20", lineitem.Line{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			it := lineitem.Item{Name: "Widget", Currency: tc.currency, UnitPrice: parsed(t, tc.price, tc.currency),
				Quantity: tc.quantity, Discount: tc.discount, TaxRate: pct(t, tc.tax)}
			got, err := lineitem.Compute([]lineitem.Item{it}, lineitem.Discount{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Lines) != 1 || got.Lines[0] != tc.want {
				t.Fatalf("lines %+v, want [%+v]", got.Lines, tc.want)
			}
			w := tc.want
			want := lineitem.Totals{Currency: tc.currency, Lines: got.Lines, Subtotal: w.Subtotal,
				Discount: w.Discount, Tax: w.Tax, Total: w.Total}
			if !equalTotals(got, want) {
				t.Fatalf("totals %+v, want %+v", got, want)
			}
		})
	}
}

func equalTotals(a, b lineitem.Totals) bool { return reflect.DeepEqual(a, b) }

func TestComputeSumsLines(t *testing.T) {
	t.Parallel()
	items := []lineitem.Item{usd("Widget", 333, 3), usd("Gadget", 1000, 1)}
	items[0].Discount.Percent = pct(t, "15")
	items[0].TaxRate = pct(t, "8.875")
	items[1].TaxRate = pct(t, "20")
	got, err := lineitem.Compute(items, lineitem.Discount{})
	want := lineitem.Totals{Currency: "USD", Subtotal: 1999, Discount: 150, Tax: 275, Total: 2124, Lines: []lineitem.Line{
		{Subtotal: 999, Discount: 150, Taxable: 849, Tax: 75, Total: 924},
		{Subtotal: 1000, Taxable: 1000, Tax: 200, Total: 1200},
	}}
	if err != nil || !equalTotals(got, want) {
		t.Fatalf("Compute = %+v, %v; want %+v", got, err, want)
	}
	if deal := got.DealAmount(); deal != (money.Amount{Minor: 2124, Currency: "USD"}) {
		t.Fatalf("DealAmount = %v, want 21.24 USD", deal)
	}
}

func TestComputeOrderDiscount(t *testing.T) {
	t.Parallel()
	taxed := func(it lineitem.Item, rate lineitem.Percent) lineitem.Item { it.TaxRate = rate; return it }
	free := usd("Gift", 500, 1)
	free.Discount.Percent = lineitem.MaxPercent
	cases := []struct {
		name  string
		items []lineitem.Item
		order lineitem.Discount
		want  []int64 // each line's share of the order discount
		total int64
	}{
		{"10% of 18.49 is 1.85, split 85/100 by largest remainder", []lineitem.Item{
			taxed(usd("Widget", 849, 1), 100_000), taxed(usd("Gadget", 1000, 1), 100_000),
		}, lineitem.Discount{Percent: 100_000}, []int64{85, 100}, 764 + 76 + 900 + 90},
		{"1.00 over three equal lines: the first takes the odd cent", []lineitem.Item{
			usd("A", 1000, 1), usd("B", 1000, 1), usd("C", 1000, 1),
		}, lineitem.Discount{Amount: 100}, []int64{34, 33, 33}, 2900},
		{"two odd cents go to the largest remainders, not the first line", []lineitem.Item{
			usd("A", 300, 1), usd("B", 200, 1), usd("C", 100, 1),
		}, lineitem.Discount{Amount: 5}, []int64{2, 2, 1}, 595},
		{"two odd cents on a tie go to the earlier lines", []lineitem.Item{
			usd("A", 1000, 1), usd("B", 1000, 1), usd("C", 1000, 1),
		}, lineitem.Discount{Amount: 2}, []int64{1, 1, 0}, 2998},
		{"a line with nothing taxable gets no share", []lineitem.Item{free, usd("Widget", 1000, 1)},
			lineitem.Discount{Amount: 10}, []int64{0, 10}, 990},
		{"the whole order off", []lineitem.Item{taxed(usd("A", 700, 1), 200_000), usd("B", 300, 1)},
			lineitem.Discount{Amount: 1000}, []int64{700, 300}, 0},
		{"tax on the discounted base", []lineitem.Item{taxed(usd("A", 1000, 1), 200_000)},
			lineitem.Discount{Percent: 500_000}, []int64{500}, 600},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := lineitem.Compute(tc.items, tc.order)
			if err != nil {
				t.Fatal(err)
			}
			var shares []int64
			for _, l := range got.Lines {
				shares = append(shares, l.OrderDiscount)
			}
			if !slices.Equal(shares, tc.want) || got.Total != tc.total {
				t.Fatalf("shares %v, total %d; want %v, %d (%+v)", shares, got.Total, tc.want, tc.total, got)
			}
		})
	}
}

func TestComputeRefusesOrderDiscounts(t *testing.T) {
	t.Parallel()
	items := []lineitem.Item{usd("Widget", 1000, 2)}
	items[0].Discount.Amount = 100
	cases := []struct {
		name  string
		order lineitem.Discount
		want  string
	}{
		{"above the discounted subtotal", lineitem.Discount{Amount: 1801}, "discount_amount INVALID_RANGE"},
		{"negative", lineitem.Discount{Amount: -1}, "discount_amount INVALID_RANGE"},
		{"above 100%", lineitem.Discount{Percent: lineitem.MaxPercent + 1}, "discount_percent INVALID_RANGE"},
		{"both ways", lineitem.Discount{Percent: 1, Amount: 1}, "discount_amount CONFLICTING_DISCOUNT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lineitem.Compute(items, tc.order)
			wantRefusals(t, err, tc.want)
		})
	}
	if got, err := lineitem.Compute(items, lineitem.Discount{Amount: 1800}); err != nil || got.Total != 0 {
		t.Fatalf("the whole discounted subtotal off: %+v, %v; want a total of 0", got, err)
	}
}

func TestComputeRefusesInvalidItems(t *testing.T) {
	t.Parallel()
	_, err := lineitem.Compute([]lineitem.Item{usd("Widget", 1, 0)}, lineitem.Discount{Amount: -1})
	wantRefusals(t, err, "line_items[0].quantity INVALID_RANGE", "discount_amount INVALID_RANGE")
	_, err = lineitem.Compute(nil, lineitem.Discount{})
	wantRefusals(t, err, "line_items REQUIRED")
}

func TestComputeOverflow(t *testing.T) {
	t.Parallel()
	largest := usd("Yacht", lineitem.MaxUnitPrice, lineitem.MaxQuantity) // 999,999 × 10^12 ≈ 10^18
	taxed := largest
	taxed.TaxRate = lineitem.MaxPercent
	cases := []struct {
		name  string
		items []lineitem.Item
		total int64 // 0: too large
	}{
		{"9 largest lines fit", repeat(largest, 9), 9 * lineitem.MaxUnitPrice * lineitem.MaxQuantity},
		{"10 largest lines do not", repeat(largest, 10), 0},
		{"4 lines doubled by tax fit", repeat(taxed, 4), 8 * lineitem.MaxUnitPrice * lineitem.MaxQuantity},
		{"5 lines doubled by tax do not, though their subtotal does", repeat(taxed, 5), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := lineitem.Compute(tc.items, lineitem.Discount{})
			if tc.total == 0 {
				wantRefusals(t, err, "line_items AMOUNT_TOO_LARGE")
				return
			}
			if err != nil || got.Total != tc.total {
				t.Fatalf("Compute = %d, %v; want %d", got.Total, err, tc.total)
			}
		})
	}
}
