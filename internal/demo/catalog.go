package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/lineitem"
)

// offer is a payment link the demo sells through and how often buyers choose it.
type offer struct {
	input  checkout.LinkInput
	weight int
	link   checkout.Link
}

// catalog is what the account sells: payment links in four currencies, one of them a
// membership billed monthly.
type catalog struct {
	offers []offer
	total  int // sum of the weights
}

// currencies are the demo's currencies, each with the bank debit its buyers use.
var currencies = []string{"USD", "EUR", "GBP", "CAD"}

func item(name, sku string, price int64, currency string, quantity int64) lineitem.Item {
	return lineitem.Item{Name: name, SKU: sku, UnitPrice: price, Currency: currency, Quantity: quantity}
}

// offers lists the links; a tax rate of 8.25% and a 10% discount show on some lines.
func offers() []offer {
	tax, _ := lineitem.ParsePercent("8.25")
	ten, _ := lineitem.ParsePercent("10")
	workshop := item("Workshop seat", "WS-1", 15000, "USD", 1)
	workshop.TaxRate = tax
	bundle := item("Starter kit", "KIT-EU", 8900, "EUR", 1)
	bundle.Discount = lineitem.Discount{Percent: ten}
	membership := item("Membership", "MEM-M", 2900, "USD", 1)
	membership.Billing = &lineitem.Billing{Frequency: lineitem.FrequencyMonthly, Term: lineitem.Term{}}
	return []offer{
		{weight: 30, input: checkout.LinkInput{Name: "Conference ticket", Methods: []checkout.Method{checkout.MethodCard, checkout.MethodACH},
			Items: []lineitem.Item{item("Conference ticket", "CONF-26", 49900, "USD", 1)}}},
		{weight: 25, input: checkout.LinkInput{Name: "Workshop", AllowQuantity: true, CollectBillingAddress: true,
			Methods: []checkout.Method{checkout.MethodCard, checkout.MethodACH}, Items: []lineitem.Item{workshop}}},
		{weight: 15, input: checkout.LinkInput{Name: "Starter kit (EU)", Methods: []checkout.Method{checkout.MethodCard, checkout.MethodSEPA},
			Items: []lineitem.Item{bundle, item("Shipping", "SHIP-EU", 900, "EUR", 1)}}},
		{weight: 12, input: checkout.LinkInput{Name: "Workshop (UK)", Methods: []checkout.Method{checkout.MethodCard, checkout.MethodBACS},
			Items: []lineitem.Item{item("Workshop seat", "WS-UK", 9900, "GBP", 1)}}},
		{weight: 8, input: checkout.LinkInput{Name: "Support plan (Canada)", Methods: []checkout.Method{checkout.MethodCard, checkout.MethodPAD},
			Items: []lineitem.Item{item("Support plan", "SUP-CA", 25000, "CAD", 1)}}},
		{weight: 10, input: checkout.LinkInput{Name: "Membership", Methods: []checkout.Method{checkout.MethodCard},
			Items: []lineitem.Item{membership}}},
	}
}

// prepare lets the account take the demo's currencies and writes the links and buyers.
func (f *filler) prepare(ctx context.Context) error {
	f.tag = newTag()
	acct, err := f.Auth.Account(ctx, f.account)
	if err != nil {
		return err
	}
	if missing := slices.DeleteFunc(slices.Clone(currencies), func(c string) bool { return slices.Contains(acct.Currencies, c) }); len(missing) > 0 {
		all := append(slices.Clone(acct.Currencies), missing...)
		if _, err := f.Auth.UpdateAccount(ctx, f.account, auth.AccountUpdate{Currencies: &all}); err != nil {
			return fmt.Errorf("account currencies: %w", err)
		}
	}
	f.catalog.offers = offers()
	for i := range f.catalog.offers {
		o := &f.catalog.offers[i]
		if o.link, err = f.Checkout.Create(ctx, f.account, o.input); err != nil {
			return fmt.Errorf("payment link %q: %w", o.input.Name, err)
		}
		f.catalog.total += o.weight
		f.result.Links++
	}
	return f.people(ctx)
}

// pick chooses an offer by weight.
func (c *catalog) pick(n int) *offer {
	for i := range c.offers {
		if n < c.offers[i].weight {
			return &c.offers[i]
		}
		n -= c.offers[i].weight
	}
	return &c.offers[len(c.offers)-1]
}
