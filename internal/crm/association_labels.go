package crm

import (
	"context"
	"database/sql"
	"regexp"
	"strings"

	"github.com/settlehq/settle/internal/problem"
)

// LabelInput defines an association label: its name, label and, optionally, the label of
// the inverse direction.
type LabelInput struct {
	Name, Label, InverseLabel string
}

// firstUserTypeID is where the account's own association type ids start.
const firstUserTypeID = 100_001

var labelName = regexp.MustCompile(`^[a-z0-9_]{1,100}$`)

// CreateLabel defines a labelled association type between two types (and its inverse) and
// returns the types defined.
func (s *Service) CreateLabel(ctx context.Context, accountID int64, fromName, toName string, in LabelInput) ([]AssociationType, error) {
	from, to, err := s.typePair(fromName, toName)
	if err != nil {
		return nil, err
	}
	if len(s.types.builtinAssociationTypes(from, to)) == 0 {
		return nil, problem.Invalid("toObjectType", "INVALID_ASSOCIATION", from.Name+" cannot be associated with "+to.Name+".")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var created []AssociationType
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		id, err := nextTypeID(ctx, tx, accountID)
		if err != nil {
			return err
		}
		inverse := in.InverseLabel
		if inverse == "" {
			inverse = in.Label
		}
		created = []AssociationType{
			{From: from.Name, To: to.Name, TypeID: id, Inverse: id + 1, Category: CategoryUser, Name: in.Name, Label: in.Label},
			{From: to.Name, To: from.Name, TypeID: id + 1, Inverse: id, Category: CategoryUser, Name: in.Name + "_inverse", Label: inverse},
		}
		return insertLabels(ctx, tx, accountID, created, s.clock.Now())
	})
	return created, err
}

func (in *LabelInput) validate() error {
	inv := &problem.InvalidError{}
	in.Label, in.InverseLabel = strings.TrimSpace(in.Label), strings.TrimSpace(in.InverseLabel)
	if in.Name == "" {
		in.Name = strings.ToLower(strings.Join(strings.FieldsFunc(in.Label, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}), "_"))
	}
	if in.Label == "" || len(in.Label) > 100 {
		inv.Add("label", "INVALID_LABEL", "A label needs 1 to 100 characters.")
	}
	if !labelName.MatchString(in.Name) {
		inv.Addf("name", "INVALID_NAME", "%q is not a label name: lowercase letters, digits and underscores.", in.Name)
	}
	return inv.OrNil()
}

func nextTypeID(ctx context.Context, tx *sql.Tx, accountID int64) (int, error) {
	var max sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(type_id) FROM crm_association_labels WHERE account_id = $1`, accountID).Scan(&max); err != nil {
		return 0, err
	}
	if !max.Valid {
		return firstUserTypeID, nil
	}
	return int(max.Int64) + 1, nil
}

func insertLabels(ctx context.Context, tx *sql.Tx, accountID int64, types []AssociationType, now any) error {
	for _, t := range types {
		if _, err := tx.ExecContext(ctx, `INSERT INTO crm_association_labels (account_id, from_type, to_type, type_id,
			inverse_type_id, name, label, inverse_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8)`,
			accountID, t.From, t.To, t.TypeID, t.Inverse, t.Name, t.Label, now); err != nil {
			return err
		}
	}
	return nil
}

// UpdateLabel renames an account's association label (and its inverse when given).
func (s *Service) UpdateLabel(ctx context.Context, accountID int64, fromName, toName string, typeID int, label, inverseLabel string) error {
	from, to, err := s.typePair(fromName, toName)
	if err != nil {
		return err
	}
	if strings.TrimSpace(label) == "" || len(label) > 100 {
		return problem.Invalid("label", "INVALID_LABEL", "A label needs 1 to 100 characters.")
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		inverse, err := labelInverse(ctx, tx, accountID, from, to, typeID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE crm_association_labels SET label = $3 WHERE account_id = $1 AND type_id = $2`,
			accountID, typeID, label); err != nil || inverseLabel == "" {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE crm_association_labels SET label = $3 WHERE account_id = $1 AND type_id = $2`,
			accountID, inverse, inverseLabel)
		return err
	})
}

// labelInverse returns the inverse type of one of the account's labels between two types.
func labelInverse(ctx context.Context, tx *sql.Tx, accountID int64, from, to *ObjectType, typeID int) (int, error) {
	var inverse int
	err := tx.QueryRowContext(ctx, `SELECT inverse_type_id FROM crm_association_labels WHERE account_id = $1 AND from_type = $2
		AND to_type = $3 AND type_id = $4`, accountID, from.Name, to.Name, typeID).Scan(&inverse)
	if err == sql.ErrNoRows {
		return 0, problem.NotFound("association label %d", typeID)
	}
	return inverse, err
}

// DeleteLabel removes an account's association label, its inverse, and the associations
// that used them.
func (s *Service) DeleteLabel(ctx context.Context, accountID int64, fromName, toName string, typeID int) error {
	from, to, err := s.typePair(fromName, toName)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		inverse, err := labelInverse(ctx, tx, accountID, from, to, typeID)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM crm_associations WHERE account_id = $1 AND category = 'USER_DEFINED' AND type_id IN ($2, $3)`,
			`DELETE FROM crm_association_labels WHERE account_id = $1 AND type_id IN ($2, $3)`,
		} {
			if _, err := tx.ExecContext(ctx, q, accountID, typeID, inverse); err != nil {
				return err
			}
		}
		return nil
	})
}
