package invoice

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/problem"
)

func TestItemsOfReadsCRMLineItems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		values map[string]string
		want   lineitem.Item
	}{
		{"price and quantity", map[string]string{"name": "Audit", "price": "1200", "quantity": "3"},
			lineitem.Item{Name: "Audit", UnitPrice: 120000, Currency: "EUR", Quantity: 3}},
		{"no quantity is one", map[string]string{"name": "Audit", "price": "49.9"},
			lineitem.Item{Name: "Audit", UnitPrice: 4990, Currency: "EUR", Quantity: 1}},
		{"percentage discount and tax", map[string]string{"name": "Training", "price": "99.99", "quantity": "2",
			"hs_discount_percentage": "12.5", "hs_tax_rate": "8.875"},
			lineitem.Item{Name: "Training", UnitPrice: 9999, Currency: "EUR", Quantity: 2,
				Discount: lineitem.Discount{Percent: 125_000}, TaxRate: 88_750}},
		{"discount per unit", map[string]string{"name": "Support", "price": "19.99", "quantity": "3", "discount": "2.5"},
			lineitem.Item{Name: "Support", UnitPrice: 1999, Currency: "EUR", Quantity: 3, Discount: lineitem.Discount{Amount: 250}}},
		{"own currency, SKU and product", map[string]string{"name": "Sake", "price": "5000", "hs_line_item_currency_code": "JPY",
			"hs_sku": "SK-1", "hs_product_id": "42"},
			lineitem.Item{Name: "Sake", SKU: "SK-1", ProductID: "42", UnitPrice: 5000, Currency: "JPY", Quantity: 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			items, err := itemsOf([]crm.Record{{ID: 7, Values: tc.values}}, "EUR")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(items[0], tc.want) {
				t.Errorf("got %+v, want %+v", items[0], tc.want)
			}
		})
	}
}

func TestItemsOfNamesEveryBadValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		values map[string]string
		fields []string
	}{
		{"no price", map[string]string{"name": "Audit"}, []string{"line_items[1].price"}},
		{"half a unit", map[string]string{"name": "Audit", "price": "1", "quantity": "1.5"}, []string{"line_items[1].quantity"}},
		{"a tenth of a cent", map[string]string{"name": "Audit", "price": "10.001"}, []string{"line_items[1].price"}},
		{"negative discount and a tax over 100", map[string]string{"name": "Audit", "price": "10", "discount": "-1", "hs_tax_rate": "120"},
			[]string{"line_items[1].discount", "line_items[1].hs_tax_rate"}},
		{"five decimals of a percent", map[string]string{"name": "Audit", "price": "10", "hs_discount_percentage": "1.00001"},
			[]string{"line_items[1].hs_discount_percentage"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			good := crm.Record{ID: 1, Values: map[string]string{"name": "Fine", "price": "1"}}
			_, err := itemsOf([]crm.Record{good, {ID: 2, Values: tc.values}}, "EUR")
			if got := fieldsOf(err); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v (%v)", got, tc.fields, err)
			}
		})
	}
}

func TestComputeProblemsNameCRMProperties(t *testing.T) {
	t.Parallel()
	items := []lineitem.Item{
		{Name: "A", UnitPrice: 100, Currency: "EUR", Quantity: 1},
		{Name: "B", UnitPrice: 100, Currency: "USD", Quantity: 1_000_000, Discount: lineitem.Discount{Amount: 101}},
	}
	_, err := lineitem.Compute(items, lineitem.Discount{})
	got := fieldsOf(crmFields(err))
	for _, want := range []string{"line_items[1].quantity", "line_items[1].discount", "line_items[1].hs_line_item_currency_code"} {
		if !slices.Contains(got, want) {
			t.Errorf("fields %v lack %s", got, want)
		}
	}
}

func fieldsOf(err error) []string {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return nil
	}
	var out []string
	for _, f := range inv.Fields {
		out = append(out, f.Field)
	}
	return out
}
