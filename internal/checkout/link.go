package checkout

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/problem"
)

// Method is a way a buyer may pay through a link.
type Method string

// The methods a link can allow.
const (
	MethodCard Method = "card"
	MethodACH  Method = "ach"
	MethodBACS Method = "bacs"
	MethodPAD  Method = "pad"
	MethodSEPA Method = "sepa"
)

// Methods lists every method a link can allow, in the order buyers are offered them.
var Methods = []Method{MethodCard, MethodACH, MethodBACS, MethodPAD, MethodSEPA}

// MaxNameLength is the longest name of a link, in characters.
const MaxNameLength = 255

// Link is a payment link: what a buyer pays for at its public URL.
type Link struct {
	ID        int64
	AccountID int64
	// Slug names the link in its public URL and in a checkout; it is random and
	// unguessable, unique across accounts, and never changes.
	Slug string
	Name string
	// Currency is the one currency of the items.
	Currency string
	Items    []lineitem.Item
	// Methods are the ways a buyer may pay, in the order of Methods.
	Methods []Method
	// AllowQuantity lets the buyer choose how many of the whole list to buy.
	AllowQuantity bool
	// CollectBillingAddress asks the buyer for a billing address.
	CollectBillingAddress bool
	// Active is false once the link is deactivated: it stays readable, but takes no payment.
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Allows reports whether the link accepts payments by m.
func (l Link) Allows(m Method) bool { return slices.Contains(l.Methods, m) }

// LinkInput is a link to create. No Methods means card only.
type LinkInput struct {
	Name                  string
	Items                 []lineitem.Item
	Methods               []Method
	AllowQuantity         bool
	CollectBillingAddress bool
}

// LinkPatch changes the fields of a link that are set, and leaves the others: nil pointers
// and nil slices are left out.
type LinkPatch struct {
	Name                  *string
	Items                 []lineitem.Item
	Methods               []Method
	AllowQuantity         *bool
	CollectBillingAddress *bool
	Active                *bool
}

// apply returns l with the patch's fields.
func (p LinkPatch) apply(l Link) Link {
	if p.Name != nil {
		l.Name = *p.Name
	}
	if p.Items != nil {
		l.Items = p.Items
	}
	if p.Methods != nil {
		l.Methods = p.Methods
	}
	for _, f := range []struct {
		dst *bool
		src *bool
	}{{&l.AllowQuantity, p.AllowQuantity}, {&l.CollectBillingAddress, p.CollectBillingAddress}, {&l.Active, p.Active}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	return l
}

// normalize trims the name, orders the methods and takes the currency from the items.
func (l *Link) normalize() {
	l.Name = strings.TrimSpace(l.Name)
	if len(l.Methods) == 0 {
		l.Methods = []Method{MethodCard}
	}
	var ordered []Method
	for _, m := range Methods {
		if slices.Contains(l.Methods, m) {
			ordered = append(ordered, m)
		}
	}
	for _, m := range l.Methods {
		if !slices.Contains(Methods, m) {
			ordered = append(ordered, m) // kept so that validate names it
		}
	}
	l.Methods = ordered
	if len(l.Items) > 0 {
		l.Currency = l.Items[0].Currency
	}
}

// validate checks a link: a name of 1 to MaxNameLength characters, valid items in one
// currency that come to an amount a payment can hold, known methods. It returns nil or a
// *problem.InvalidError naming each field.
func (l Link) validate() error {
	inv := &problem.InvalidError{Summary: "The payment link is not valid"}
	switch n := utf8.RuneCountInString(l.Name); {
	case n == 0:
		inv.Add("name", "REQUIRED", "The link needs a name.")
	case n > MaxNameLength:
		inv.Addf("name", "INVALID_LENGTH", "The name must be at most %d characters, not %d.", MaxNameLength, n)
	}
	for _, m := range l.Methods {
		if !slices.Contains(Methods, m) {
			inv.Addf("payment_methods", "INVALID_OPTION", "%q is not card, ach, bacs, pad or sepa.", m)
		}
	}
	if err := lineitem.Validate(l.Items); err != nil {
		inv.Merge(err)
		return inv
	}
	inv.Merge(checkPayable(l.Items))
	return inv.OrNil()
}

// checkPayable refuses valid items that come to nothing, or to more than a payment record
// can hold: the CRM keeps amounts as decimals of at most about 9.2 trillion units.
func checkPayable(items []lineitem.Item) error {
	t, err := lineitem.Compute(items, lineitem.Discount{})
	switch {
	case err != nil:
		return err
	case t.Total <= 0:
		return problem.Invalid(lineitem.ListField, "INVALID_AMOUNT", "The line items come to nothing; a payment must be for more than zero.")
	case !fitsRecord(t.Subtotal, t.Currency) || !fitsRecord(t.Total, t.Currency):
		return problem.Invalid(lineitem.ListField, "AMOUNT_TOO_LARGE",
			"The line items add up to more than one payment can hold; split them across several.")
	}
	return nil
}

// fitsRecord reports whether minor units of cur can be written as a CRM number.
func fitsRecord(minor int64, cur string) bool {
	_, err := crm.ParseNumber(money.Amount{Minor: minor, Currency: cur}.Decimal())
	return err == nil
}
