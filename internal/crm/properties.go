package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// PropertyInput is a custom property to create.
type PropertyInput struct {
	Name, Label, Description, Group string
	Type                            Type
	FieldType                       string
	Options                         []Option
	DisplayOrder                    int
	Hidden                          bool
}

// PropertyUpdate changes a custom property; nil fields stay as they are. Its name and type
// cannot change: Type, when given, must be the property's type.
type PropertyUpdate struct {
	Label, Description, Group, FieldType *string
	Type                                 *Type
	Options                              *[]Option
	DisplayOrder                         *int
	Hidden                               *bool
}

var propertyName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,99}$`)

// fieldTypes lists the field types each property type may use.
var fieldTypes = map[Type][]string{
	String:      {"text", "textarea", "phonenumber", "html", "file"},
	Number:      {"number"},
	Enumeration: {"select", "radio", "checkbox", "booleancheckbox"},
	Datetime:    {"date"},
	Date:        {"date"},
	Bool:        {"booleancheckbox"},
}

// Properties lists a type's properties for the account: built-in ones, then its own (archived
// ones instead, when archived is true).
func (s *Service) Properties(ctx context.Context, accountID int64, typeName string, archived bool) ([]Property, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return nil, err
	}
	custom, err := loadCustomProperties(ctx, s.db.Reader(ctx), accountID, t.Name, true)
	if err != nil {
		return nil, err
	}
	var out []Property
	if !archived {
		out = append(out, t.Properties...)
	}
	for _, p := range custom {
		if p.Archived == archived {
			out = append(out, p)
		}
	}
	return out, nil
}

// Property returns one property of the type, built-in or the account's.
func (s *Service) Property(ctx context.Context, accountID int64, typeName, name string) (Property, error) {
	props, err := s.Properties(ctx, accountID, typeName, false)
	if err != nil {
		return Property{}, err
	}
	for _, p := range props {
		if p.Name == name {
			return p, nil
		}
	}
	return Property{}, problem.NotFound("property %q", name)
}

// CreateProperty adds a property of the account's own to a type.
func (s *Service) CreateProperty(ctx context.Context, accountID int64, typeName string, in PropertyInput) (Property, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return Property{}, err
	}
	if in.FieldType == "" {
		in.FieldType = defaultFieldType(in.Type)
	}
	p := Property{Name: in.Name, Type: in.Type, FieldType: in.FieldType, Label: Labels{En: in.Label}, Description: in.Description,
		Group: in.Group, Options: in.Options, DisplayOrder: in.DisplayOrder, Hidden: in.Hidden, Custom: true}
	if err := validateCustom(t, p, true); err != nil {
		return Property{}, err
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		now := s.clock.Now()
		_, err := tx.ExecContext(ctx, `INSERT INTO crm_properties (account_id, object_type, name, type, field_type, label,
			description, group_name, options, display_order, hidden, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			accountID, t.Name, p.Name, p.Type, p.FieldType, p.Label.En, p.Description, p.Group, optionsJSON(p.Options),
			p.DisplayOrder, p.Hidden, now)
		if db.IsUniqueViolation(err) {
			return problem.Conflict("property %q already exists on %s", p.Name, t.Name)
		}
		return err
	})
	return p, err
}

func optionsJSON(opts []Option) string {
	if opts == nil {
		opts = []Option{}
	}
	b, _ := json.Marshal(opts)
	return string(b)
}

// validateCustom checks a custom property's definition.
func validateCustom(t *ObjectType, p Property, creating bool) error {
	inv := &problem.InvalidError{Summary: "The property is not valid"}
	if creating {
		if !propertyName.MatchString(p.Name) || strings.HasPrefix(p.Name, "hs_") {
			inv.Addf("name", "INVALID_NAME", "Property names are lowercase letters, digits and underscores, start with a letter and not with hs_; %q is not one.", p.Name)
		} else if _, builtin := t.Property(p.Name); builtin {
			inv.Addf("name", "PROPERTY_EXISTS", "%q is a built-in property of %s.", p.Name, t.Name)
		}
		if !slices.Contains(Types, p.Type) {
			inv.Addf("type", "INVALID_TYPE", "type must be one of string, number, enumeration, datetime, date, bool; not %q.", p.Type)
		}
	}
	if strings.TrimSpace(p.Label.En) == "" || len(p.Label.En) > 200 {
		inv.Add("label", "INVALID_LABEL", "A property needs a label of at most 200 characters.")
	}
	if ft, ok := fieldTypes[p.Type]; ok && !slices.Contains(ft, p.FieldType) {
		inv.Addf("fieldType", "INVALID_FIELD_TYPE", "A %s property uses fieldType %s, not %q.", p.Type, strings.Join(ft, ", "), p.FieldType)
	}
	validateOptions(p, inv)
	return inv.OrNil()
}

func validateOptions(p Property, inv *problem.InvalidError) {
	if p.Type != Enumeration {
		if len(p.Options) > 0 {
			inv.Add("options", "INVALID_OPTIONS", "Only enumeration properties have options.")
		}
		return
	}
	if len(p.Options) == 0 {
		inv.Add("options", "INVALID_OPTIONS", "An enumeration property needs at least one option.")
	}
	seen := map[string]bool{}
	for _, o := range p.Options {
		if o.Value == "" || seen[o.Value] || strings.Contains(o.Value, ";") {
			inv.Addf("options", "INVALID_OPTIONS", "Option values must be non-empty, unique and without ';' (%q).", o.Value)
		}
		seen[o.Value] = true
	}
}

// UpdateProperty changes a custom property of the account.
func (s *Service) UpdateProperty(ctx context.Context, accountID int64, typeName, name string, up PropertyUpdate) (Property, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return Property{}, err
	}
	if _, builtin := t.Property(name); builtin {
		return Property{}, problem.Invalid("name", "READ_ONLY_DEFINITION", "Built-in properties cannot be changed.")
	}
	var p Property
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = s.customProperty(ctx, tx, accountID, t, name); err != nil {
			return err
		}
		if up.Type != nil && *up.Type != p.Type {
			return problem.Invalid("type", "TYPE_CHANGE", "The type of "+name+" is "+string(p.Type)+"; a property's type cannot change.")
		}
		p = up.apply(p)
		if err := validateCustom(t, p, false); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE crm_properties SET label = $4, description = $5, group_name = $6, field_type = $7,
			options = $8, display_order = $9, hidden = $10, updated_at = $11 WHERE account_id = $1 AND object_type = $2 AND name = $3`,
			accountID, t.Name, name, p.Label.En, p.Description, p.Group, p.FieldType, optionsJSON(p.Options), p.DisplayOrder, p.Hidden,
			s.clock.Now())
		return err
	})
	return p, err
}

func (up PropertyUpdate) apply(p Property) Property {
	setIf(&p.Label.En, up.Label)
	setIf(&p.Description, up.Description)
	setIf(&p.Group, up.Group)
	setIf(&p.FieldType, up.FieldType)
	if up.Options != nil {
		p.Options = *up.Options
	}
	if up.DisplayOrder != nil {
		p.DisplayOrder = *up.DisplayOrder
	}
	if up.Hidden != nil {
		p.Hidden = *up.Hidden
	}
	return p
}

func setIf(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func (s *Service) customProperty(ctx context.Context, q db.Querier, accountID int64, t *ObjectType, name string) (Property, error) {
	props, err := loadCustomProperties(ctx, q, accountID, t.Name, false)
	if err != nil {
		return Property{}, err
	}
	for _, p := range props {
		if p.Name == name {
			return p, nil
		}
	}
	return Property{}, problem.NotFound("property %q", name)
}

// ArchiveProperty archives a custom property: it disappears from records and searches, and
// its values are kept.
func (s *Service) ArchiveProperty(ctx context.Context, accountID int64, typeName, name string) error {
	t, err := s.lookupType(typeName)
	if err != nil {
		return err
	}
	if _, builtin := t.Property(name); builtin {
		return problem.Invalid("name", "READ_ONLY_DEFINITION", "Built-in properties cannot be archived.")
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE crm_properties SET archived_at = $4, updated_at = $4
			WHERE account_id = $1 AND object_type = $2 AND name = $3 AND archived_at IS NULL`, accountID, t.Name, name, s.clock.Now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return problem.NotFound("property %q", name)
		}
		return nil
	})
}
