package crm

import (
	"context"
	"encoding/json"
	"iter"
	"maps"
	"time"

	"github.com/settlehq/settle/internal/db"
)

// Schema is an object type as one account sees it: the built-in properties and the
// account's own.
type Schema struct {
	*ObjectType
	Custom []Property
}

// Lookup returns the property name, built-in or custom.
func (s Schema) Lookup(name string) (Property, bool) {
	if p, ok := s.ObjectType.Property(name); ok {
		return p, true
	}
	for _, p := range s.Custom {
		if p.Name == name && !p.Archived {
			return p, true
		}
	}
	return Property{}, false
}

// All lists every live property, built-in first.
func (s Schema) All() []Property {
	out := append([]Property{}, s.Properties...)
	for _, p := range s.Custom {
		if !p.Archived {
			out = append(out, p)
		}
	}
	return out
}

// schema loads the account's custom properties of t.
func (s *Service) schema(ctx context.Context, q db.Querier, accountID int64, t *ObjectType) (Schema, error) {
	custom, err := loadCustomProperties(ctx, q, accountID, t.Name, true)
	return Schema{ObjectType: t, Custom: custom}, err
}

// schemaFor is the schema a write of the named properties needs: built-in properties alone
// when every name is one of them, so the common write skips reading the account's own
// properties; the full schema otherwise.
func (s *Service) schemaFor(ctx context.Context, q db.Querier, accountID int64, t *ObjectType, names iter.Seq[string]) (Schema, error) {
	for name := range names {
		if _, ok := t.Property(name); !ok {
			return s.schema(ctx, q, accountID, t)
		}
	}
	return Schema{ObjectType: t}, nil
}

// customRow is a custom property as stored.
type customRow struct {
	Property
	CreatedAt, UpdatedAt time.Time
}

func loadCustomProperties(ctx context.Context, q db.Querier, accountID int64, typeName string, withArchived bool) ([]Property, error) {
	query := `SELECT name, type, field_type, label, description, group_name, options, display_order, hidden,
		archived_at IS NOT NULL FROM crm_properties WHERE account_id = $1 AND object_type = $2`
	if !withArchived {
		query += ` AND archived_at IS NULL`
	}
	return db.CollectRows[Property](q.QueryContext(ctx, query+` ORDER BY display_order, name`, accountID, typeName))(scanCustomProperty)
}

func scanCustomProperty(row db.Scanner) (Property, error) {
	var p Property
	var label, options string
	err := row.Scan(&p.Name, &p.Type, &p.FieldType, &label, &p.Description, &p.Group, &options,
		&p.DisplayOrder, &p.Hidden, &p.Archived)
	if err != nil {
		return p, err
	}
	p.Custom = true
	p.Label = Labels{En: label}
	err = json.Unmarshal([]byte(options), &p.Options)
	return p, err
}

// Schema returns a type as the account sees it, with its custom properties.
func (s *Service) Schema(ctx context.Context, accountID int64, typeName string) (Schema, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return Schema{}, err
	}
	return s.schema(ctx, s.db.Reader(ctx), accountID, t)
}

// SchemaOf is the schema that shows rec: its type's built-in properties alone when rec has
// values of those only, so that answering with a new record does not read the account's own
// properties; Schema otherwise.
func (s *Service) SchemaOf(ctx context.Context, accountID int64, rec Record) (Schema, error) {
	return s.schemaFor(ctx, s.db.Reader(ctx), accountID, rec.Type, maps.Keys(rec.Values))
}
