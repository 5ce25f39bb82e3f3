package ui

import (
	"net/url"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/payment"
)

// propertyField is a CRM property as the "property_field" template draws it: an input, a
// select or a text area, or, for a read-only property, its value.
type propertyField struct {
	ID, Name, Label, Error string
	// Control is "input", "select", "textarea" or "readonly"; InputType and InputMode
	// refine an input.
	Control, InputType, InputMode string
	// Value is what the control holds; Display is a read-only property's value for people.
	Value, Display string
	Options        []fieldOption
}

// fieldOption is one choice of a select.
type fieldOption struct {
	Value, Label string
	Selected     bool
}

// fieldGroup is the properties of one group, as the properties card shows them.
type fieldGroup struct {
	Label  string
	Fields []propertyField
}

// propertyInput is the prefix of a property's form field, so that no property name, an
// account's own included, can take the name of another field such as csrf_token.
const propertyInput = "p."

// formats writes property values for people reading lang: option labels, yes or no, times
// in the account's zone and amounts in their currency.
type formats struct {
	lang string
	loc  *time.Location
	ui   *UI
	// portal is the account's own currency, that of a payment's "company currency" amounts.
	portal string
}

func (u *UI) formats(v *visit) formats {
	return formats{lang: v.Lang, loc: location(v.Account.Timezone), ui: u, portal: v.Account.DefaultCurrency}
}

// field describes p for a form that shows value and the error err.
func (f formats) field(p crm.Property, value, err string, rec crm.Record) propertyField {
	pf := propertyField{ID: fieldID(propertyInput + p.Name), Name: propertyInput + p.Name, Label: p.Label.In(f.lang),
		Value: value, Error: err, Control: "input", InputType: "text"}
	switch {
	case p.ReadOnly:
		pf.Control, pf.Display = "readonly", f.value(p, rec)
	case p.Type == crm.Enumeration || p.Type == crm.Bool:
		pf.Control, pf.Options = "select", f.options(p, value)
	case p.FieldType == "textarea":
		pf.Control = "textarea"
	case p.Type == crm.Datetime || p.Type == crm.Date:
		pf.InputType = "date"
	case p.Type == crm.Number:
		pf.InputMode = "decimal"
	case p.Format == "email":
		pf.InputType = "email"
	case p.FieldType == "phonenumber":
		pf.InputType = "tel"
	}
	return pf
}

// options are the choices of an enumeration or a yes-or-no property, after an empty one;
// a stored value that is no longer offered stays selectable.
func (f formats) options(p crm.Property, value string) []fieldOption {
	out := []fieldOption{{Value: "", Label: "—", Selected: value == ""}}
	if p.Type == crm.Bool {
		return append(out, fieldOption{Value: "true", Label: f.ui.text.T(f.lang, "record.yes"), Selected: value == "true"},
			fieldOption{Value: "false", Label: f.ui.text.T(f.lang, "record.no"), Selected: value == "false"})
	}
	found := value == ""
	for _, o := range p.Options {
		if o.Hidden && o.Value != value {
			continue
		}
		found = found || o.Value == value
		out = append(out, fieldOption{Value: o.Value, Label: o.Label.In(f.lang), Selected: o.Value == value})
	}
	if !found {
		out = append(out, fieldOption{Value: value, Label: value, Selected: true})
	}
	return out
}

// inputValue is what a property's control shows for a stored value: a datetime edited with a
// date picker shows its UTC date.
func inputValue(p crm.Property, stored string) string {
	if p.Type == crm.Datetime && stored != "" {
		if t, err := crm.ParseDatetime(stored); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return stored
}

// value writes the value of p in a record for people; "" when it is not set.
func (f formats) value(p crm.Property, rec crm.Record) string {
	raw := rec.Values[p.Name]
	if raw == "" {
		return ""
	}
	switch p.Type {
	case crm.Enumeration:
		for _, o := range p.Options {
			if o.Value == raw {
				return o.Label.In(f.lang)
			}
		}
	case crm.Bool:
		if raw == "true" {
			return f.ui.text.T(f.lang, "record.yes")
		}
		return f.ui.text.T(f.lang, "record.no")
	case crm.Datetime:
		return f.datetime(p, raw)
	case crm.Number:
		return f.amount(p, raw, rec)
	}
	return raw
}

// datetime writes a moment in the account's time zone, or as a date when it is a date
// picker's midnight UTC.
func (f formats) datetime(p crm.Property, raw string) string {
	t, err := crm.ParseDatetime(raw)
	if err != nil {
		return raw
	}
	if p.Group != "system" && t.Equal(t.Truncate(24*time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return t.In(f.loc).Format("2006-01-02 15:04 MST")
}

// currencyProperty names, for the amounts of a type, the property holding their currency.
var currencyProperty = map[string]map[string]string{
	"deals": {"amount": "deal_currency_code"},
}

// currencyOf is the currency of an amount property of rec, or "" for a number that is none.
// A payment's amounts are in its currency, those "in settlement currency" in that one, and
// those "in company currency" in the account's when the payment is in it too (Settle does
// not convert them yet); its rates and percentages are written as stored.
func (f formats) currencyOf(p crm.Property, rec crm.Record) string {
	if rec.Type.Name != payment.Type {
		return rec.Values[currencyProperty[rec.Type.Name][p.Name]]
	}
	own := rec.Values["hs_currency_code"]
	switch {
	case p.Group != "amounts", strings.Contains(p.Name, "rate"), strings.Contains(p.Name, "percentage"):
		return ""
	case strings.HasSuffix(p.Name, "_in_settlement_currency"):
		return rec.Values["hs_settlement_currency_code"]
	case strings.HasSuffix(p.Name, "_in_portal_currency") && own != f.portal:
		return ""
	}
	return own
}

// amount writes an amount in its currency when the record has one, and other numbers as
// stored.
func (f formats) amount(p crm.Property, raw string, rec crm.Record) string {
	code := f.currencyOf(p, rec)
	if code == "" {
		return raw
	}
	if a, err := parseSigned(raw, code); err == nil {
		return a.Format(f.lang)
	}
	return raw
}

// parseSigned reads a CRM decimal that may be below zero, as the net of a payment refunded in
// full is: its fee is not returned.
func parseSigned(raw, code string) (money.Amount, error) {
	a, err := money.ParseDecimal(strings.TrimPrefix(raw, "-"), code)
	if strings.HasPrefix(raw, "-") {
		a.Minor = -a.Minor
	}
	return a, err
}

// location is an account's time zone, UTC when it has none Go knows.
func location(tz string) *time.Location {
	loc, err := clock.LoadLocation(tz)
	if err != nil || tz == "" {
		return time.UTC
	}
	return loc
}

// groups lays out a schema's properties for the properties card, in the schema's order, a
// group where its first property stands; the system properties that two names share (the
// CRM's createdate and hs_createdate) show once.
func (f formats) groups(sch crm.Schema, fm *form, rec crm.Record) []fieldGroup {
	var out []fieldGroup
	index := map[string]int{}
	seen := map[string]bool{}
	for _, p := range sch.All() {
		if p.Group == "system" && seen[p.Column] {
			continue
		}
		seen[p.Column] = true
		i, ok := index[p.Group]
		if !ok {
			i = len(out)
			index[p.Group] = i
			out = append(out, fieldGroup{Label: f.groupLabel(p.Group)})
		}
		out[i].Fields = append(out[i].Fields, f.field(p, fm.Value(p.Name), fm.Error(p.Name), rec))
	}
	return out
}

// readOnlyGroups lays out the properties a record has a value for, as values rather than
// fields: the properties of a payment that only its processor changes.
func (f formats) readOnlyGroups(sch crm.Schema, rec crm.Record) []fieldGroup {
	var out []fieldGroup
	for _, g := range f.groups(sch, nil, rec) {
		var kept []propertyField
		for _, pf := range g.Fields {
			p, _ := sch.Lookup(strings.TrimPrefix(pf.Name, propertyInput))
			if pf.Display = f.value(p, rec); pf.Display != "" {
				pf.Control = "readonly"
				kept = append(kept, pf)
			}
		}
		if len(kept) > 0 {
			out = append(out, fieldGroup{Label: g.Label, Fields: kept})
		}
	}
	return out
}

// groupLabel names a property group: Settle's own groups in the catalogs, an account's as
// it named them.
func (f formats) groupLabel(g string) string {
	if g == "" {
		g = "general"
	}
	if key := "record.group." + g; f.ui.text.Has(f.lang, key) {
		return f.ui.text.T(f.lang, key)
	}
	return g
}

// propertyValues are the form values of a record's editable properties, as their controls
// show them.
func propertyValues(sch crm.Schema, values map[string]string) url.Values {
	out := url.Values{}
	for _, p := range sch.All() {
		out.Set(p.Name, inputValue(p, values[p.Name]))
	}
	return out
}

// postedProperties reads the properties a form posted, keyed by property name, trimmed.
func postedProperties(posted url.Values) map[string]string {
	out := map[string]string{}
	for name := range posted {
		if prop, ok := strings.CutPrefix(name, propertyInput); ok {
			out[prop] = strings.TrimSpace(posted.Get(name))
		}
	}
	return out
}

// changedProperties keeps the posted values that differ from what the form showed, so that
// saving a form writes only what the user changed (a datetime shown as its date keeps its
// time unless the date is changed).
func changedProperties(sch crm.Schema, posted map[string]string, values map[string]string) map[string]string {
	out := map[string]string{}
	for name, v := range posted {
		p, ok := sch.Lookup(name)
		if ok && v == inputValue(p, values[name]) {
			continue
		}
		out[name] = v
	}
	return out
}
