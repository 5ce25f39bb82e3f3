package crm

import "sort"

// Association categories.
const (
	CategoryBuiltin = "HUBSPOT_DEFINED"
	CategoryUser    = "USER_DEFINED"
)

// AssociationSpec names one association type, as the API sends it.
type AssociationSpec struct {
	Category string
	TypeID   int
}

// AssociationType is one direction of an association definition.
type AssociationType struct {
	From, To string // object type names
	TypeID   int
	Inverse  int
	Category string
	// Name is the snake-case name ("commerce_payment_to_contact"); Label the label people
	// gave it, "" for the unlabelled default.
	Name, Label string
	// Default marks the unlabelled type used when a request names none.
	Default bool
}

// pairDef declares an association between two types: the default type ids in each direction
// and optionally a built-in "Primary" label.
type pairDef struct {
	a, b               string
	aToB, bToA         int
	primaryA, primaryB int
}

// builtinPairs are the built-in association definitions, with the type ids existing CRM
// clients use (payments: reference/crm-api.md §4.3).
var builtinPairs = []pairDef{
	{a: "contacts", b: "companies", aToB: 279, bToA: 280, primaryA: 1, primaryB: 2},
	{a: "contacts", b: "deals", aToB: 4, bToA: 3},
	{a: "contacts", b: "tasks", aToB: 203, bToA: 204},
	{a: "contacts", b: "quotes", aToB: 70, bToA: 69},
	{a: "contacts", b: "invoices", aToB: 178, bToA: 177},
	{a: "contacts", b: "subscriptions", aToB: 296, bToA: 295},
	{a: "contacts", b: "commerce_payments", aToB: 388, bToA: 387},
	{a: "companies", b: "deals", aToB: 342, bToA: 341, primaryA: 6, primaryB: 5},
	{a: "companies", b: "tasks", aToB: 191, bToA: 192},
	{a: "companies", b: "quotes", aToB: 72, bToA: 71},
	{a: "companies", b: "invoices", aToB: 180, bToA: 179},
	{a: "companies", b: "subscriptions", aToB: 298, bToA: 297},
	{a: "companies", b: "commerce_payments", aToB: 390, bToA: 389},
	{a: "deals", b: "line_items", aToB: 19, bToA: 20},
	{a: "deals", b: "quotes", aToB: 63, bToA: 64},
	{a: "deals", b: "tasks", aToB: 215, bToA: 216},
	{a: "deals", b: "invoices", aToB: 176, bToA: 175},
	{a: "deals", b: "subscriptions", aToB: 300, bToA: 299},
	{a: "deals", b: "commerce_payments", aToB: 392, bToA: 391},
	{a: "quotes", b: "line_items", aToB: 67, bToA: 68},
	{a: "quotes", b: "commerce_payments", aToB: 398, bToA: 397},
	{a: "invoices", b: "line_items", aToB: 409, bToA: 410},
	{a: "invoices", b: "subscriptions", aToB: 622, bToA: 623},
	{a: "invoices", b: "commerce_payments", aToB: 541, bToA: 542},
	{a: "subscriptions", b: "line_items", aToB: 512, bToA: 511},
	{a: "subscriptions", b: "commerce_payments", aToB: 394, bToA: 393},
	{a: "line_items", b: "commerce_payments", aToB: 396, bToA: 395},
}

// builtinAssociationTypes returns the built-in association types from one type to another, the
// default first.
func (r *Registry) builtinAssociationTypes(from, to *ObjectType) []AssociationType {
	var out []AssociationType
	for _, p := range builtinPairs {
		switch {
		case p.a == from.Name && p.b == to.Name:
			out = append(out, pairTypes(from, to, p.aToB, p.bToA, p.primaryA, p.primaryB)...)
		case p.b == from.Name && p.a == to.Name:
			out = append(out, pairTypes(from, to, p.bToA, p.aToB, p.primaryB, p.primaryA)...)
		}
	}
	return out
}

func pairTypes(from, to *ObjectType, id, inverse, primary, primaryInverse int) []AssociationType {
	out := []AssociationType{{From: from.Name, To: to.Name, TypeID: id, Inverse: inverse, Category: CategoryBuiltin,
		Name: from.Singular + "_to_" + to.Singular, Default: true}}
	if primary != 0 {
		out = append(out, AssociationType{From: from.Name, To: to.Name, TypeID: primary, Inverse: primaryInverse,
			Category: CategoryBuiltin, Name: from.Singular + "_to_" + to.Singular + "_primary", Label: "Primary"})
	}
	return out
}

// singleValued lists, for each type, the types it may be associated with at most one record
// of: a payment has one contact, company, deal, subscription and invoice (SPEC F25).
var singleValued = map[string][]string{
	"commerce_payments": {"contacts", "companies", "deals", "subscriptions", "invoices"},
}

// AtMostOne reports whether a record of type from may have only one associated record of
// type to; associating another replaces it (SPEC F25).
func AtMostOne(from, to string) bool {
	for _, t := range singleValued[from] {
		if t == to {
			return true
		}
	}
	return false
}

// sortTypes orders association types by id.
func sortTypes(ts []AssociationType) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].TypeID < ts[j].TypeID })
}
