package lineitem

import (
	"math"
	"math/big"
	"slices"

	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// Line is what one item comes to, in minor units of the list's currency.
type Line struct {
	// Subtotal is UnitPrice × Quantity.
	Subtotal int64
	// Discount is the item's own discount.
	Discount int64
	// OrderDiscount is the line's share of the order discount.
	OrderDiscount int64
	// Taxable is Subtotal − Discount − OrderDiscount, the base of the tax.
	Taxable int64
	// Tax is TaxRate of Taxable.
	Tax int64
	// Total is Taxable + Tax.
	Total int64
}

// Totals is what a list of items comes to, in minor units of Currency. Total = Subtotal −
// Discount + Tax, and every amount is the sum of the same amount over Lines (Discount sums
// each line's Discount and OrderDiscount).
type Totals struct {
	// Currency is the one currency of the items.
	Currency string
	// Lines has one entry per item, in the items' order.
	Lines []Line
	// Subtotal is the sum of unit prices × quantities, before any discount or tax.
	Subtotal int64
	// Discount is every line's own discount plus the order discount.
	Discount int64
	// OrderDiscount is the order discount, already counted in Discount.
	OrderDiscount int64
	// Tax is the sum of the lines' taxes.
	Tax int64
	// Total is what the buyer pays: Subtotal − Discount + Tax.
	Total int64
}

// Compute validates items and the order discount and returns the items' totals in minor units.
// No float is involved, and every rounding is to the nearest minor unit, halves away from zero
// (amounts here are never negative, so a half rounds up):
//
//  1. Each line: Subtotal = UnitPrice × Quantity. A percentage discount is Subtotal ×
//     percentage, rounded; an amount discount is Amount × Quantity, exact.
//  2. The order discount is taken off the sum of the lines' discounted subtotals before tax:
//     a percentage is applied to that sum and rounded once; an amount, at most that sum, is
//     used as is. It is split across the lines in proportion to their discounted subtotals:
//     each line gets the whole minor units of its exact share, and the units left over go one
//     each to the lines with the largest remainders, the earlier line first on a tie.
//  3. Each line: Taxable = Subtotal − Discount − OrderDiscount; Tax = Taxable × TaxRate,
//     rounded; Total = Taxable + Tax.
//  4. The totals are the sums of the lines.
//
// Invalid input is a *problem.InvalidError naming each field (the order discount's fields are
// "discount_percent" and "discount_amount"); so are totals too large for int64, with the code
// "AMOUNT_TOO_LARGE", since the caller's amounts caused them.
func Compute(items []Item, order Discount) (Totals, error) {
	if err := validateOrder(items, order); err != nil {
		return Totals{}, err
	}
	t := Totals{Currency: items[0].Currency, Lines: make([]Line, len(items))}
	var base int64
	for i, it := range items {
		t.Lines[i] = baseLine(it)
		if !addTo(&base, t.Lines[i].Taxable) {
			return Totals{}, errTooLarge()
		}
	}
	off, err := orderDiscount(order, base, t.Currency)
	if err != nil {
		return Totals{}, err
	}
	allocate(t.Lines, off, base)
	for i, it := range items {
		t.Lines[i].addTax(it.TaxRate)
	}
	if err := t.sum(); err != nil {
		return Totals{}, err
	}
	return t, nil
}

// DealAmount returns what a deal created by a payment of these items is worth (SPEC F12): the
// total after every discount, tax included.
func (t Totals) DealAmount() money.Amount {
	return money.Amount{Minor: t.Total, Currency: t.Currency}
}

// validateOrder checks the items and the order discount's form; its amount is checked
// against the order once the lines are known.
func validateOrder(items []Item, order Discount) error {
	inv := &problem.InvalidError{Summary: "The line items are not valid"}
	inv.Merge(Validate(items))
	checkDiscount(inv, "", order, math.MaxInt64, "order subtotal")
	return inv.OrNil()
}

// baseLine computes a line up to its own discount. The bounds of a valid item keep every
// product here below 2^63: MaxUnitPrice × MaxQuantity < 10^18.
func baseLine(it Item) Line {
	l := Line{Subtotal: it.UnitPrice * it.Quantity, Discount: it.Discount.Amount * it.Quantity}
	if it.Discount.Percent != 0 {
		l.Discount = percentOf(l.Subtotal, it.Discount.Percent)
	}
	l.Taxable = l.Subtotal - l.Discount
	return l
}

// addTax completes a line whose taxable amount is final.
func (l *Line) addTax(rate Percent) {
	l.Tax = percentOf(l.Taxable, rate)
	l.Total = l.Taxable + l.Tax
}

// orderDiscount returns the minor units the order discount takes off base.
func orderDiscount(order Discount, base int64, currency string) (int64, error) {
	if order.Percent != 0 {
		return percentOf(base, order.Percent), nil
	}
	if order.Amount > base {
		return 0, problem.Invalid("discount_amount", "INVALID_RANGE", "The order discount must be at most "+
			money.Amount{Minor: base, Currency: currency}.String()+", the order's discounted subtotal.")
	}
	return order.Amount, nil
}

// allocate takes off from the lines in proportion to their taxable amounts, which add up to
// base: whole minor units of each exact share first, then one unit each to the largest
// remainders. No line gets more than its taxable amount, since off ≤ base.
func allocate(lines []Line, off, base int64) {
	if off == 0 {
		return
	}
	rems := make([]*big.Int, len(lines))
	left := off
	for i := range lines {
		q, r := new(big.Int).QuoRem(mul(off, lines[i].Taxable), big.NewInt(base), new(big.Int))
		lines[i].OrderDiscount, rems[i] = q.Int64(), r
		left -= q.Int64()
	}
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
	for _, i := range order[:left] {
		lines[i].OrderDiscount++
	}
	for i := range lines {
		lines[i].Taxable -= lines[i].OrderDiscount
	}
}

// sum fills the totals from the lines, refusing a sum that does not fit in int64.
func (t *Totals) sum() error {
	for _, l := range t.Lines {
		if !addTo(&t.Subtotal, l.Subtotal) || !addTo(&t.Discount, l.Discount+l.OrderDiscount) ||
			!addTo(&t.OrderDiscount, l.OrderDiscount) || !addTo(&t.Tax, l.Tax) || !addTo(&t.Total, l.Total) {
			return errTooLarge()
		}
	}
	return nil
}

// percentOf returns p of x, rounded half away from zero; x and p are never negative, so a
// half rounds up. The product is taken in big integers: x × p may exceed int64.
func percentOf(x int64, p Percent) int64 {
	n := mul(x, int64(p))
	n.Add(n, big.NewInt(int64(MaxPercent/2)))
	return n.Quo(n, big.NewInt(int64(MaxPercent))).Int64()
}

func mul(a, b int64) *big.Int { return new(big.Int).Mul(big.NewInt(a), big.NewInt(b)) }

// addTo adds v ≥ 0 to *sum and reports whether the result fits in int64; *sum is unchanged
// when it does not.
func addTo(sum *int64, v int64) bool {
	if v > math.MaxInt64-*sum {
		return false
	}
	*sum += v
	return true
}

func errTooLarge() error {
	return problem.Invalid(ListField, "AMOUNT_TOO_LARGE",
		"The line items add up to more than one payment can hold; split them across several.")
}
