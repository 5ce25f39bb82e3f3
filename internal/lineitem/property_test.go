package lineitem_test

import (
	"errors"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/problem"
)

// genItem draws a valid item in currency: a large one has a unit price and a quantity in the
// upper half of their bounds, so that a dozen of them overflow; a small one a unit price of
// at most 10^9.
func genItem(currency string, large bool) *rapid.Generator[lineitem.Item] {
	price, quantity := rapid.Int64Range(0, 1_000_000_000), rapid.Int64Range(1, lineitem.MaxQuantity)
	if large {
		price, quantity = nearMax(lineitem.MaxUnitPrice), nearMax(lineitem.MaxQuantity)
	}
	return rapid.Custom(func(t *rapid.T) lineitem.Item {
		it := lineitem.Item{
			Name: "Item", Currency: currency,
			UnitPrice: price.Draw(t, "price"),
			Quantity:  quantity.Draw(t, "quantity"),
			TaxRate:   genPercent().Draw(t, "tax"),
		}
		switch rapid.IntRange(0, 2).Draw(t, "discount") {
		case 1:
			it.Discount.Percent = genPercent().Draw(t, "discount percent")
		case 2:
			it.Discount.Amount = rapid.Int64Range(0, it.UnitPrice).Draw(t, "discount amount")
		}
		if f := rapid.SampledFrom([]lineitem.Frequency{"", "monthly", "annually", "every 10 days"}).Draw(t, "frequency"); f != "" {
			term := lineitem.FixedTerm(rapid.SampledFrom([]int{0, 12}).Draw(t, "payments"))
			it.Billing = &lineitem.Billing{Frequency: f, Term: term}
		}
		return it
	})
}

// nearMax draws from max/2 to max, mostly close to max (rapid favours small numbers).
func nearMax(max int64) *rapid.Generator[int64] {
	return rapid.Custom(func(t *rapid.T) int64 { return max - rapid.Int64Range(0, max/2).Draw(t, "below max") })
}

// genPercent draws a percentage, often a round one.
func genPercent() *rapid.Generator[lineitem.Percent] {
	return rapid.OneOf(
		rapid.SampledFrom([]lineitem.Percent{0, 50_000, 88_750, 150_000, 200_000, lineitem.MaxPercent}),
		rapid.Custom(func(t *rapid.T) lineitem.Percent {
			return lineitem.Percent(rapid.Int64Range(0, int64(lineitem.MaxPercent)).Draw(t, "p"))
		}),
	)
}

// genItems draws 1 to 12 valid items in one currency.
func genItems(t *rapid.T, large bool) []lineitem.Item {
	currency := rapid.SampledFrom([]string{"USD", "JPY", "BHD"}).Draw(t, "currency")
	n := rapid.IntRange(1, 12).Draw(t, "count")
	return rapid.SliceOfN(genItem(currency, large), n, n).Draw(t, "items")
}

// genOrder draws an order discount that fits items.
func genOrder(t *rapid.T, items []lineitem.Item) lineitem.Discount {
	plain, err := lineitem.Compute(items, lineitem.Discount{})
	if err != nil {
		t.Fatalf("Compute without an order discount: %v", err)
	}
	switch rapid.IntRange(0, 2).Draw(t, "order discount") {
	case 1:
		return lineitem.Discount{Percent: genPercent().Draw(t, "order percent")}
	case 2:
		return lineitem.Discount{Amount: rapid.Int64Range(0, plain.Subtotal-plain.Discount).Draw(t, "order amount")}
	}
	return lineitem.Discount{}
}

func TestTotalsAddUp(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		items := genItems(t, false)
		order := genOrder(t, items)
		got, err := lineitem.Compute(items, order)
		if err != nil {
			t.Fatalf("Compute: %v", err)
		}
		if got.Total != got.Subtotal-got.Discount+got.Tax {
			t.Fatalf("Total %d != Subtotal %d − Discount %d + Tax %d", got.Total, got.Subtotal, got.Discount, got.Tax)
		}
		var sum lineitem.Line
		for i, l := range got.Lines {
			checkLine(t, l, items[i])
			sum = lineitem.Line{Subtotal: sum.Subtotal + l.Subtotal, Discount: sum.Discount + l.Discount + l.OrderDiscount,
				OrderDiscount: sum.OrderDiscount + l.OrderDiscount, Tax: sum.Tax + l.Tax, Total: sum.Total + l.Total}
		}
		want := lineitem.Line{Subtotal: got.Subtotal, Discount: got.Discount, OrderDiscount: got.OrderDiscount,
			Tax: got.Tax, Total: got.Total}
		if sum != want {
			t.Fatalf("lines add up to %+v, totals are %+v", sum, want)
		}
		checkOrderShares(t, got, order)
	})
}

// checkLine fails unless l is it's line: the subtotal exact, a percentage discount and the tax
// rounded to the nearest minor unit with halves up, and the rest adding up.
func checkLine(t *rapid.T, l lineitem.Line, it lineitem.Item) {
	if l.Subtotal != it.UnitPrice*it.Quantity || l.Taxable != l.Subtotal-l.Discount-l.OrderDiscount ||
		l.Taxable < 0 || l.Total != l.Taxable+l.Tax {
		t.Fatalf("line does not add up: %+v", l)
	}
	if it.Discount.Percent == 0 && l.Discount != it.Discount.Amount*it.Quantity {
		t.Fatalf("discount %d, want %d × %d", l.Discount, it.Discount.Amount, it.Quantity)
	}
	if it.Discount.Percent != 0 && !roundedHalfUp(l.Discount, l.Subtotal, it.Discount.Percent) {
		t.Fatalf("discount of line %+v of %+v is not rounded half away from zero", l, it)
	}
	if !roundedHalfUp(l.Tax, l.Taxable, it.TaxRate) {
		t.Fatalf("tax of line %+v of %+v is not rounded half away from zero", l, it)
	}
}

// roundedHalfUp reports whether got is x × p to the nearest integer, halves up.
func roundedHalfUp(got, x int64, p lineitem.Percent) bool {
	m := big.NewInt(int64(lineitem.MaxPercent))
	diff := new(big.Int).Sub(new(big.Int).Mul(big.NewInt(got), m), new(big.Int).Mul(big.NewInt(x), big.NewInt(int64(p))))
	diff.Mul(diff, big.NewInt(2)) // 2 × (got − exact), in ten-thousandths of a percent
	return diff.Cmp(new(big.Int).Neg(m)) > 0 && diff.Cmp(m) <= 0
}

// checkOrderShares fails unless each line's share of the order discount is within one minor
// unit of its exact proportional share.
func checkOrderShares(t *rapid.T, got lineitem.Totals, order lineitem.Discount) {
	if order.Amount != 0 && got.OrderDiscount != order.Amount {
		t.Fatalf("order discount %d, want %d", got.OrderDiscount, order.Amount)
	}
	base := got.Subtotal - got.Discount + got.OrderDiscount
	for _, l := range got.Lines {
		before := l.Taxable + l.OrderDiscount
		// |share × base − off × before| < base
		d := new(big.Int).Sub(new(big.Int).Mul(big.NewInt(l.OrderDiscount), big.NewInt(base)),
			new(big.Int).Mul(big.NewInt(got.OrderDiscount), big.NewInt(before)))
		if d.Abs(d).Cmp(big.NewInt(base)) >= 0 && base > 0 {
			t.Fatalf("share %d of %d over %d of %d is not proportional", l.OrderDiscount, got.OrderDiscount, before, base)
		}
	}
}

func TestGroupsAddUpToTotals(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		items := genItems(t, false)
		totals, err := lineitem.Compute(items, lineitem.Discount{})
		if err != nil {
			t.Fatal(err)
		}
		groups, err := lineitem.Groups(items)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		seen := 0
		for _, g := range groups {
			sum += g.Amount
			seen += len(g.Items)
			for _, i := range g.Indexes {
				if items[i].Billing == nil || *items[i].Billing != g.Billing {
					t.Fatalf("item %d billed %v is in group %v", i, items[i].Billing, g.Billing)
				}
			}
		}
		for i, it := range items {
			if !it.IsRecurring() {
				sum += totals.Lines[i].Total
				seen++
			}
		}
		if sum != totals.Total || seen != len(items) {
			t.Fatalf("groups and one-time lines add up to %d over %d items, total is %d over %d",
				sum, seen, totals.Total, len(items))
		}
	})
}

// TestOverflowIsRefusedExactly draws items of any valid size and checks that Compute refuses
// them exactly when a true sum of their single-line totals exceeds int64; the draws must
// include lists on both sides.
func TestOverflowIsRefusedExactly(t *testing.T) {
	t.Parallel()
	var refused, accepted int
	rapid.Check(t, func(t *rapid.T) {
		items := genItems(t, true)
		subtotal, total := new(big.Int), new(big.Int)
		for _, it := range items {
			one, err := lineitem.Compute([]lineitem.Item{it}, lineitem.Discount{})
			if err != nil {
				t.Fatalf("one line: %v", err)
			}
			subtotal.Add(subtotal, big.NewInt(one.Subtotal))
			total.Add(total, big.NewInt(one.Total))
		}
		_, err := lineitem.Compute(items, lineitem.Discount{})
		var inv *problem.InvalidError
		tooLarge := errors.As(err, &inv) && len(inv.Fields) == 1 && inv.Fields[0].Code == "AMOUNT_TOO_LARGE"
		if fits := subtotal.IsInt64() && total.IsInt64(); fits == tooLarge || (err != nil && !tooLarge) {
			t.Fatalf("subtotal %s, total %s: error %v", subtotal, total, err)
		}
		if tooLarge {
			refused++
		} else {
			accepted++
		}
	})
	if refused == 0 || accepted == 0 {
		t.Fatalf("the draws did not cover both sides: %d refused, %d accepted", refused, accepted)
	}
}
