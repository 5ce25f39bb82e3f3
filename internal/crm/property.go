package crm

// Type is the kind of value a property holds.
type Type string

// The property types, as the CRM API names them.
const (
	String      Type = "string"
	Number      Type = "number"
	Enumeration Type = "enumeration"
	Datetime    Type = "datetime"
	Date        Type = "date"
	Bool        Type = "bool"
)

// Types lists every property type.
var Types = []Type{String, Number, Enumeration, Datetime, Date, Bool}

// Labels are a label in each language Settle speaks.
type Labels struct {
	En, Fr, De, Es string
}

// In returns the label in lang, falling back to English.
func (l Labels) In(lang string) string {
	switch {
	case lang == "fr" && l.Fr != "":
		return l.Fr
	case lang == "de" && l.De != "":
		return l.De
	case lang == "es" && l.Es != "":
		return l.Es
	}
	return l.En
}

// Option is one allowed value of an enumeration property.
type Option struct {
	Value        string
	Label        Labels
	Description  string `json:",omitempty"`
	DisplayOrder int
	Hidden       bool
}

// Property describes one property of an object type: built into Settle (stored in a typed
// column of the type's table) or added by an account (stored per record).
type Property struct {
	Name        string
	Type        Type
	FieldType   string
	Label       Labels
	Description string
	Group       string
	Options     []Option
	// ReadOnly properties are set by Settle itself, never through the API.
	ReadOnly bool
	// Unique properties identify a record within an account (case-insensitively for
	// strings), and can serve as idProperty.
	Unique bool
	// Column is the typed column of a built-in property; "" for a custom one.
	Column string
	// Indexed properties get an (account, column) index for search and sort.
	Indexed bool
	// Format adds a check on string values: "email" or "currency" (an ISO 4217 code).
	Format string
	// Custom is true for properties an account added.
	Custom       bool
	DisplayOrder int
	// Hidden is the CRM's hidden flag of a custom property, kept and shown back by the API.
	Hidden   bool
	Archived bool
}

// HasOption reports whether v is one of the property's option values (case-sensitive).
func (p Property) HasOption(v string) bool {
	for _, o := range p.Options {
		if o.Value == v {
			return true
		}
	}
	return false
}

// defaultFieldType is how the dashboard edits a property of each type.
func defaultFieldType(t Type) string {
	switch t {
	case Number:
		return "number"
	case Enumeration:
		return "select"
	case Datetime, Date:
		return "date"
	case Bool:
		return "booleancheckbox"
	}
	return "text"
}
