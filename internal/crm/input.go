package crm

import (
	"fmt"
	"net/mail"
	"sort"
	"strings"

	"github.com/bojanz/currency"

	"github.com/settlehq/settle/internal/problem"
)

// values are parsed property values ready to store: typed columns and custom values, by
// property name; a nil value clears the property.
type values struct {
	typed  map[string]any // column → value
	custom map[string]any // property → value
	raw    map[string]string
}

// parseInput validates API property values against the schema and reports every problem at
// once: unknown properties, read-only ones and values of the wrong form. A system write (by
// Settle itself, never by a caller) may set read-only properties, but not the id and dates.
func (s Schema) parseInput(props map[string]string, system bool) (values, error) {
	v := values{typed: map[string]any{}, custom: map[string]any{}, raw: map[string]string{}}
	inv := &problem.InvalidError{Summary: "Property values were not valid"}
	for _, name := range sortedKeys(props) {
		raw := props[name]
		p, ok := s.Lookup(name)
		switch {
		case !ok:
			inv.Addf(name, "PROPERTY_DOESNT_EXIST", "Property %q does not exist on %s.", name, s.Name)
		case p.ReadOnly && (!system || isSystemColumn(p.Column)):
			inv.Addf(name, "READ_ONLY_VALUE", "Property %q is read-only; Settle sets it.", name)
		default:
			s.addValue(&v, p, raw, inv)
		}
	}
	return v, inv.OrNil()
}

func (s Schema) addValue(v *values, p Property, raw string, inv *problem.InvalidError) {
	parsed, err := parseValue(p, raw)
	if err == nil {
		err = checkFormat(p, raw)
	}
	if err != nil {
		inv.Add(p.Name, valueErrorCode(p), err.Error())
		return
	}
	v.raw[p.Name] = raw
	if p.Custom {
		v.custom[p.Name] = parsed
		return
	}
	v.typed[p.Column] = parsed
}

// checkFormat applies the extra rule some string properties have.
func checkFormat(p Property, raw string) error {
	if raw == "" {
		return nil
	}
	switch p.Format {
	case "email":
		if a, err := mail.ParseAddress(raw); err != nil || a.Address != raw {
			return &ValueError{p.Name, raw, "not an email address"}
		}
	case "currency":
		if !currency.IsValid(raw) || strings.ToUpper(raw) != raw {
			return &ValueError{p.Name, raw, "not an ISO 4217 currency code such as USD"}
		}
	}
	return nil
}

func valueErrorCode(p Property) string {
	switch {
	case p.Format == "email":
		return "INVALID_EMAIL"
	case p.Format == "currency":
		return "INVALID_CURRENCY"
	}
	switch p.Type {
	case Number:
		return "INVALID_NUMBER"
	case Datetime:
		return "INVALID_DATETIME"
	case Date:
		return "INVALID_DATE"
	case Bool:
		return "INVALID_BOOLEAN"
	case Enumeration:
		return "INVALID_OPTION"
	}
	return "INVALID_LENGTH"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// describe names a record for messages: "contact 12".
func describe(t *ObjectType, id int64) string {
	return fmt.Sprintf("%s %d", t.Singular, id)
}
