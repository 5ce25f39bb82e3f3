package lineitem

// Group is the recurring items of one list that share a billing frequency and a term and so
// become one subscription (SPEC F13). One-time items belong to no group.
type Group struct {
	// Billing is the frequency and term every item of the group shares.
	Billing Billing
	// Indexes are the positions of the group's items in the list given to Groups, ascending.
	Indexes []int
	// Items are the group's items, in the same order as Indexes.
	Items []Item
	// Currency is the one currency of the items.
	Currency string
	// Amount is what each cycle charges, in minor units: the sum of the items' line totals,
	// each with its own discount and tax, computed as Compute does. An order discount is
	// taken off the checkout total only, never off later cycles.
	Amount int64
}

// Groups validates items as Validate does and returns their recurring items grouped by
// billing: items with the same frequency and the same term share a group, and any
// difference in either makes another. Groups come in the order of their first item in the
// list; the result is nil when no item recurs. A cycle amount too large for int64 is a
// *problem.InvalidError with the code "AMOUNT_TOO_LARGE".
func Groups(items []Item) ([]Group, error) {
	if err := Validate(items); err != nil {
		return nil, err
	}
	var groups []Group
	at := map[Billing]int{}
	for i, it := range items {
		if !it.IsRecurring() {
			continue
		}
		g, ok := at[*it.Billing]
		if !ok {
			g = len(groups)
			at[*it.Billing] = g
			groups = append(groups, Group{Billing: *it.Billing, Currency: it.Currency})
		}
		if err := groups[g].add(i, it); err != nil {
			return nil, err
		}
	}
	return groups, nil
}

// add puts item it, at position i of the list, in g.
func (g *Group) add(i int, it Item) error {
	l := baseLine(it)
	l.addTax(it.TaxRate)
	if !addTo(&g.Amount, l.Total) {
		return errTooLarge()
	}
	g.Indexes = append(g.Indexes, i)
	g.Items = append(g.Items, it)
	return nil
}
