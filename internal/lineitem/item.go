// Package lineitem is the line of a product, payment link, quote or invoice: what is sold, at
// what unit price, how many, with which discount and tax, and, for a recurring item, how often
// and for how long it is charged. It validates items, computes their totals in integer minor
// units with one documented rounding rule, and groups recurring items into the subscriptions
// a checkout creates (SPEC F1, F12, F13). It touches no database and no network.
package lineitem

// Bounds on an item. They keep every per-line amount well inside int64, so only sums across
// lines can overflow, and those are checked.
const (
	// MaxQuantity is the largest quantity of one line: 999,999. Quantities start at 1.
	MaxQuantity = 999_999
	// MaxUnitPrice is the largest unit price, in minor units: 10^12, ten billion dollars
	// or a trillion yen. MaxUnitPrice × MaxQuantity × 2 (a 100% tax) still fits in int64.
	MaxUnitPrice = 1_000_000_000_000
	// MaxTextLength is the longest Name or SKU, in characters.
	MaxTextLength = 255
	// MaxItems is the most items one list (a link, quote or invoice) may hold.
	MaxItems = 100
)

// Item is one line: a product or service sold at a unit price, a quantity of times.
type Item struct {
	// Name is what the buyer sees; required, at most MaxTextLength characters.
	Name string
	// SKU is the merchant's stock-keeping reference; optional.
	SKU string
	// ProductID is the product the line was copied from, if any; it is not validated here.
	ProductID string
	// UnitPrice is the price of one unit, in minor units of Currency, before discount and tax.
	UnitPrice int64
	// Currency is the ISO 4217 code in capitals, such as "USD".
	Currency string
	// Quantity is how many units are sold: 1 to MaxQuantity.
	Quantity int64
	// Discount is taken off each unit (Amount) or off the line (Percent), never both.
	Discount Discount
	// TaxRate is the tax charged on the line after its discount.
	TaxRate Percent
	// Billing is how often the line is charged again; nil for a one-time item.
	Billing *Billing
}

// Discount is a reduction given either as a percentage or as an amount, never both; the zero
// Discount gives nothing. On an Item, Amount is taken off each unit; as the order discount of
// Compute, it is taken off the whole order once.
type Discount struct {
	// Percent is the share taken off, 0 to 100%.
	Percent Percent
	// Amount is the minor units taken off, in the currency of the items.
	Amount int64
}

// IsZero reports whether d takes nothing off.
func (d Discount) IsZero() bool { return d.Percent == 0 && d.Amount == 0 }

// IsRecurring reports whether it is charged every billing cycle rather than once.
func (it Item) IsRecurring() bool { return it.Billing != nil }
