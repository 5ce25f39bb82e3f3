package crm

import (
	"strings"

	"github.com/settlehq/settle/internal/problem"
)

// ObjectType is one kind of CRM record: contacts, deals, payments…
type ObjectType struct {
	// Name is the API path name (plural, snake case) and ID the objectTypeId.
	Name string
	ID   string
	// Singular names one record in association labels ("commerce_payment_to_contact").
	Singular string
	// Aliases are other names the API accepts for the type.
	Aliases []string
	// Table holds the records, one typed column per built-in property.
	Table string
	// Properties are the built-in properties, in display order.
	Properties []Property
	// Defaults are returned when a request names no properties.
	Defaults []string
	// Display names the property that identifies a record to a person.
	Display string
	// Label is the type's name for people, singular and plural.
	Label, PluralLabel Labels

	// typed and columns are typedColumns and selectList without alias, worked out once the
	// properties are complete (withSystemProperties): every read and write asks for them.
	typed   []Property
	columns string
}

// Property returns the built-in property name.
func (t *ObjectType) Property(name string) (Property, bool) {
	for _, p := range t.Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Registry holds Settle's object types.
type Registry struct {
	types []*ObjectType
	byKey map[string]*ObjectType
}

// NewRegistry returns the registry of built-in object types.
func NewRegistry() *Registry {
	r := &Registry{byKey: map[string]*ObjectType{}}
	for _, t := range builtinTypes() {
		r.add(t)
	}
	return r
}

func (r *Registry) add(t *ObjectType) {
	withSystemProperties(t)
	r.types = append(r.types, t)
	keys := append([]string{t.Name, t.ID, t.Singular, strings.ToUpper(t.Singular)}, t.Aliases...)
	for _, k := range keys {
		r.byKey[strings.ToLower(k)] = t
	}
}

// Types lists the object types in a stable order.
func (r *Registry) Types() []*ObjectType { return r.types }

// Lookup finds a type by its name, objectTypeId, singular or alias, case-insensitively.
func (r *Registry) Lookup(key string) (*ObjectType, error) {
	if t, ok := r.byKey[strings.ToLower(key)]; ok {
		return t, nil
	}
	return nil, problem.NotFound("object type %q", key)
}

// System property names shared by every type. Contacts say createdate and lastmodifieddate;
// the other types the hs_ forms; every type accepts both.
const (
	PropObjectID       = "hs_object_id"
	PropCreateDate     = "hs_createdate"
	PropLastModified   = "hs_lastmodifieddate"
	PropCreateDateOld  = "createdate"
	PropLastModifiedOd = "lastmodifieddate"
)

// withSystemProperties adds the id and timestamp properties every type has, mapped to the
// table's system columns.
func withSystemProperties(t *ObjectType) {
	system := []Property{
		{Name: PropObjectID, Type: Number, Column: "id", ReadOnly: true, Unique: true, Group: "system",
			Label: Labels{"Record ID", "ID de la fiche", "Datensatz-ID", "ID del registro"}},
		{Name: PropCreateDate, Type: Datetime, Column: "created_at", ReadOnly: true, Indexed: true, Group: "system",
			Label: Labels{"Create date", "Date de création", "Erstelldatum", "Fecha de creación"}},
		{Name: PropCreateDateOld, Type: Datetime, Column: "created_at", ReadOnly: true, Indexed: true, Group: "system",
			Label: Labels{"Create date", "Date de création", "Erstelldatum", "Fecha de creación"}},
		{Name: PropLastModified, Type: Datetime, Column: "updated_at", ReadOnly: true, Indexed: true, Group: "system",
			Label: Labels{"Last modified date", "Date de dernière modification", "Zuletzt geändert", "Fecha de última modificación"}},
		{Name: PropLastModifiedOd, Type: Datetime, Column: "updated_at", ReadOnly: true, Indexed: true, Group: "system",
			Label: Labels{"Last modified date", "Date de dernière modification", "Zuletzt geändert", "Fecha de última modificación"}},
	}
	for i := range t.Properties {
		p := &t.Properties[i]
		if p.Column == "" {
			p.Column = p.Name
		}
		if p.FieldType == "" {
			p.FieldType = defaultFieldType(p.Type)
		}
		p.DisplayOrder = i
	}
	for _, p := range system {
		if _, exists := t.Property(p.Name); !exists {
			p.FieldType = defaultFieldType(p.Type)
			p.DisplayOrder = -1
			t.Properties = append(t.Properties, p)
		}
	}
	t.typed = computeTypedColumns(t)
	t.columns = selectList(t, "")
}

// isSystemColumn reports whether a column is one of every table's own.
func isSystemColumn(c string) bool {
	return c == "id" || c == "created_at" || c == "updated_at"
}
