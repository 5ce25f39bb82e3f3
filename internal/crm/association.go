package crm

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// AssociationTypes returns every association type from one type to another for the account:
// built-in ones and the account's labels.
func (s *Service) AssociationTypes(ctx context.Context, accountID int64, fromName, toName string) ([]AssociationType, error) {
	from, to, err := s.typePair(fromName, toName)
	if err != nil {
		return nil, err
	}
	return s.associationTypes(ctx, s.db.Reader(ctx), accountID, from, to)
}

func (s *Service) typePair(fromName, toName string) (*ObjectType, *ObjectType, error) {
	from, err := s.lookupType(fromName)
	if err != nil {
		return nil, nil, err
	}
	to, err := s.lookupType(toName)
	return from, to, err
}

func (s *Service) associationTypes(ctx context.Context, q db.Querier, accountID int64, from, to *ObjectType) ([]AssociationType, error) {
	builtin, err := s.builtinTypes(from, to)
	if err != nil {
		return nil, err
	}
	labels, err := db.CollectRows[AssociationType](q.QueryContext(ctx, `SELECT type_id, inverse_type_id, name, label
		FROM crm_association_labels WHERE account_id = $1 AND from_type = $2 AND to_type = $3 ORDER BY type_id`,
		accountID, from.Name, to.Name))(func(r db.Scanner) (AssociationType, error) {
		t := AssociationType{From: from.Name, To: to.Name, Category: CategoryUser}
		return t, r.Scan(&t.TypeID, &t.Inverse, &t.Name, &t.Label)
	})
	return append(builtin, labels...), err
}

// builtinTypes returns the built-in types between two object types, or an error when they
// cannot be associated at all.
func (s *Service) builtinTypes(from, to *ObjectType) ([]AssociationType, error) {
	builtin := s.types.builtinAssociationTypes(from, to)
	if len(builtin) == 0 {
		return nil, problem.Invalid("toObjectType", "INVALID_ASSOCIATION",
			fmt.Sprintf("%s cannot be associated with %s.", from.Name, to.Name))
	}
	return builtin, nil
}

// typesCovering returns the association types from one type to another that include ids:
// the built-in ones alone when they do, so that the common case reads no labels.
func (s *Service) typesCovering(ctx context.Context, q db.Querier, accountID int64, from, to *ObjectType, ids []int) ([]AssociationType, error) {
	builtin, err := s.builtinTypes(from, to)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := findType(builtin, id); !ok {
			return s.associationTypes(ctx, q, accountID, from, to)
		}
	}
	return builtin, nil
}

func specIDs(specs []AssociationSpec) []int {
	ids := make([]int, len(specs))
	for i, sp := range specs {
		ids[i] = sp.TypeID
	}
	return ids
}

// resolveSpecs checks each spec against the known types and returns them; no spec means
// the default type.
func resolveSpecs(types []AssociationType, specs []AssociationSpec) ([]AssociationType, error) {
	if len(specs) == 0 {
		return types[:1], nil
	}
	var out []AssociationType
	for _, sp := range specs {
		t, ok := findType(types, sp.TypeID)
		if !ok || (sp.Category != "" && sp.Category != t.Category) {
			return nil, problem.Invalid("types", "INVALID_ASSOCIATION_TYPE", fmt.Sprintf(
				"association type %s %d does not exist from %s to %s.", sp.Category, sp.TypeID, types[0].From, types[0].To))
		}
		out = append(out, t)
	}
	return out, nil
}

func findType(types []AssociationType, id int) (AssociationType, bool) {
	for _, t := range types {
		if t.TypeID == id {
			return t, true
		}
	}
	return AssociationType{}, false
}

// Associate links two records with the given types (the default one when none) and returns
// every type now linking them. A type that allows one record (a payment's contact) replaces
// the previous association.
func (s *Service) Associate(ctx context.Context, accountID int64, fromName, fromID, toName, toID string, specs []AssociationSpec, src Source) ([]AssociationType, error) {
	var out []AssociationType
	err := s.inPair(ctx, accountID, fromName, fromID, toName, toID, func(tx *sql.Tx, p pair) error {
		if err := s.associateTx(ctx, tx, accountID, p.from, p.fid, p.to, p.tid, specs, src); err != nil {
			return err
		}
		var err error
		out, err = s.linkTypes(ctx, tx, accountID, p.from, p.fid, p.to, p.tid)
		return err
	})
	return out, err
}

// pair is two records, by type and id, that an association links.
type pair struct {
	from, to *ObjectType
	fid, tid int64
}

// inPair resolves two records of the account and runs fn on them in one transaction.
func (s *Service) inPair(ctx context.Context, accountID int64, fromName, fromID, toName, toID string, fn func(*sql.Tx, pair) error) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		from, to, err := s.typePair(fromName, toName)
		if err != nil {
			return err
		}
		fid, tid, err := s.resolvePair(ctx, tx, accountID, from, fromID, to, toID)
		if err != nil {
			return err
		}
		p := pair{from: from, to: to, fid: fid, tid: tid}
		if err := fn(tx, p); err != nil {
			return err
		}
		return s.linkChanged(ctx, tx, accountID, p)
	})
}

func (s *Service) resolvePair(ctx context.Context, q db.Querier, accountID int64, from *ObjectType, fromID string, to *ObjectType, toID string) (int64, int64, error) {
	fid, err := s.resolveID(ctx, q, Schema{ObjectType: from}, accountID, fromID, "", false)
	if err != nil {
		return 0, 0, err
	}
	tid, err := s.resolveID(ctx, q, Schema{ObjectType: to}, accountID, toID, "", false)
	return fid, tid, err
}

// associateInputTx links a record being created to an existing one. The target's type is
// in.ToType or, as CRM clients send it, implied by the association type id.
func (s *Service) associateInputTx(ctx context.Context, tx *sql.Tx, accountID int64, from *ObjectType, fid int64, in AssociationInput, src Source) error {
	to, err := s.targetType(ctx, tx, accountID, from, in)
	if err != nil {
		return err
	}
	tid, err := s.resolveID(ctx, tx, Schema{ObjectType: to}, accountID, in.ToID, "", false)
	if err != nil {
		return problem.Invalid("associations", "INVALID_ASSOCIATION", fmt.Sprintf("cannot associate: %s", problem.Message(err)))
	}
	return s.associateTx(ctx, tx, accountID, from, fid, to, tid, in.Types, src)
}

// associateTx writes both directions of each type, enforcing single-valued types.
func (s *Service) associateTx(ctx context.Context, tx *sql.Tx, accountID int64, from *ObjectType, fid int64, to *ObjectType, tid int64, specs []AssociationSpec, src Source) error {
	types, err := s.typesCovering(ctx, tx, accountID, from, to, specIDs(specs))
	if err != nil {
		return err
	}
	chosen, err := resolveSpecs(types, specs)
	if err != nil {
		return err
	}
	if err := s.keepSingle(ctx, tx, accountID, from, fid, to, tid, src); err != nil {
		return err
	}
	now := s.clock.Now()
	for _, t := range chosen {
		if err := insertLink(ctx, tx, accountID, from.Name, fid, to.Name, tid, t.TypeID, t.Inverse, t.Category, now); err != nil {
			return err
		}
	}
	return s.noteLink(ctx, tx, accountID, from, fid, to, tid, "associated", src)
}

// keepSingle removes the links that a new one replaces: the other record of a single-valued
// type, on either side.
func (s *Service) keepSingle(ctx context.Context, tx *sql.Tx, accountID int64, from *ObjectType, fid int64, to *ObjectType, tid int64, src Source) error {
	if AtMostOne(from.Name, to.Name) {
		if err := s.dropOthers(ctx, tx, accountID, from, fid, to, tid, src); err != nil {
			return err
		}
	}
	if AtMostOne(to.Name, from.Name) {
		return s.dropOthers(ctx, tx, accountID, to, tid, from, fid, src)
	}
	return nil
}

func (s *Service) dropOthers(ctx context.Context, tx *sql.Tx, accountID int64, from *ObjectType, fid int64, to *ObjectType, keep int64, src Source) error {
	others, err := db.CollectRows[int64](tx.QueryContext(ctx, `SELECT DISTINCT to_id FROM crm_associations
		WHERE account_id = $1 AND from_type = $2 AND from_id = $3 AND to_type = $4 AND to_id <> $5`,
		accountID, from.Name, fid, to.Name, keep))(scanInt64)
	if err != nil {
		return err
	}
	for _, other := range others {
		if err := s.unlink(ctx, tx, accountID, from, fid, to, other, src); err != nil {
			return err
		}
	}
	return nil
}

func scanInt64(r db.Scanner) (int64, error) {
	var n int64
	return n, r.Scan(&n)
}

func insertLink(ctx context.Context, tx *sql.Tx, accountID int64, from string, fid int64, to string, tid int64, typeID, inverse int, category string, now any) error {
	const q = `INSERT INTO crm_associations (account_id, from_type, from_id, to_type, to_id, type_id, category, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`
	if _, err := tx.ExecContext(ctx, q, accountID, from, fid, to, tid, typeID, category, now); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, q, accountID, to, tid, from, fid, inverse, category, now)
	return err
}

// Dissociate removes every association between two records.
func (s *Service) Dissociate(ctx context.Context, accountID int64, fromName, fromID, toName, toID string, src Source) error {
	return s.inPair(ctx, accountID, fromName, fromID, toName, toID, func(tx *sql.Tx, p pair) error {
		return s.unlink(ctx, tx, accountID, p.from, p.fid, p.to, p.tid, src)
	})
}

func (s *Service) unlink(ctx context.Context, tx *sql.Tx, accountID int64, from *ObjectType, fid int64, to *ObjectType, tid int64, src Source) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM crm_associations WHERE account_id = $1 AND
		((from_type = $2 AND from_id = $3 AND to_type = $4 AND to_id = $5) OR (from_type = $4 AND from_id = $5 AND to_type = $2 AND to_id = $3))`,
		accountID, from.Name, fid, to.Name, tid)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return s.noteLink(ctx, tx, accountID, from, fid, to, tid, "dissociated", src)
}

// RemoveLabels removes some association types between two records, keeping the others.
func (s *Service) RemoveLabels(ctx context.Context, tx *sql.Tx, accountID int64, from *ObjectType, fid int64, to *ObjectType, tid int64, specs []AssociationSpec) error {
	types, err := s.associationTypes(ctx, tx, accountID, from, to)
	if err != nil {
		return err
	}
	chosen, err := resolveSpecs(types, specs)
	if err != nil {
		return err
	}
	for _, t := range chosen {
		if _, err := tx.ExecContext(ctx, `DELETE FROM crm_associations WHERE account_id = $1 AND
			((from_type = $2 AND from_id = $3 AND to_type = $4 AND to_id = $5 AND type_id = $6) OR
			 (from_type = $4 AND from_id = $5 AND to_type = $2 AND to_id = $3 AND type_id = $7))`,
			accountID, from.Name, fid, to.Name, tid, t.TypeID, t.Inverse); err != nil {
			return err
		}
	}
	return nil
}

// RemoveAssociationLabels removes some association types between two records, in a
// transaction of its own, keeping the others; no spec removes nothing. Removing every type
// is Dissociate's job, which also notes it on both timelines.
func (s *Service) RemoveAssociationLabels(ctx context.Context, accountID int64, fromName, fromID, toName, toID string, specs []AssociationSpec) error {
	if len(specs) == 0 {
		return nil
	}
	return s.inPair(ctx, accountID, fromName, fromID, toName, toID, func(tx *sql.Tx, p pair) error {
		return s.RemoveLabels(ctx, tx, accountID, p.from, p.fid, p.to, p.tid, specs)
	})
}

// noteLink writes the timeline entry of a link change on both records.
func (s *Service) noteLink(ctx context.Context, tx *sql.Tx, accountID int64, from *ObjectType, fid int64, to *ObjectType, tid int64, kind string, src Source) error {
	return s.appendActivity(tx, linkActivities(accountID, from, fid, to, tid, kind, src, s.clock.Now())...)
}

// linkActivities are the timeline entries of a link change, one on each record.
func linkActivities(accountID int64, from *ObjectType, fid int64, to *ObjectType, tid int64, kind string, src Source, now time.Time) []Activity {
	return []Activity{
		{AccountID: accountID, ObjectType: from.Name, ObjectID: fid, Kind: kind, OccurredAt: now, Source: src,
			Data: map[string]any{"object_type": to.Name, "object_id": strconv.FormatInt(tid, 10)}},
		{AccountID: accountID, ObjectType: to.Name, ObjectID: tid, Kind: kind, OccurredAt: now, Source: src,
			Data: map[string]any{"object_type": from.Name, "object_id": strconv.FormatInt(fid, 10)}},
	}
}

// linkTypes returns the association types linking two records.
func (s *Service) linkTypes(ctx context.Context, q db.Querier, accountID int64, from *ObjectType, fid int64, to *ObjectType, tid int64) ([]AssociationType, error) {
	ids, err := db.CollectRows[int64](q.QueryContext(ctx, `SELECT type_id FROM crm_associations WHERE account_id = $1
		AND from_type = $2 AND from_id = $3 AND to_type = $4 AND to_id = $5 ORDER BY type_id`,
		accountID, from.Name, fid, to.Name, tid))(scanInt64)
	if err != nil {
		return nil, err
	}
	small := make([]int, len(ids))
	for i, id := range ids {
		small[i] = int(id)
	}
	types, err := s.typesCovering(ctx, q, accountID, from, to, small)
	var out []AssociationType
	for _, id := range ids {
		if t, ok := findType(types, int(id)); ok {
			out = append(out, t)
		}
	}
	return out, err
}

// targetType finds the type an association input points at.
func (s *Service) targetType(ctx context.Context, q db.Querier, accountID int64, from *ObjectType, in AssociationInput) (*ObjectType, error) {
	if in.ToType != "" {
		return s.lookupType(in.ToType)
	}
	if len(in.Types) == 0 {
		return nil, problem.Invalid("associations", "INVALID_ASSOCIATION", "Each association needs types naming its association type.")
	}
	for _, to := range s.types.Types() {
		types := s.types.builtinAssociationTypes(from, to)
		if len(types) == 0 {
			continue
		}
		if _, ok := findType(types, in.Types[0].TypeID); ok {
			return to, nil
		}
	}
	var toName string
	err := q.QueryRowContext(ctx, `SELECT to_type FROM crm_association_labels WHERE account_id = $1 AND from_type = $2 AND type_id = $3`,
		accountID, from.Name, in.Types[0].TypeID).Scan(&toName)
	if err != nil {
		return nil, problem.Invalid("associations", "INVALID_ASSOCIATION_TYPE",
			fmt.Sprintf("association type %d does not start from %s.", in.Types[0].TypeID, from.Name))
	}
	return s.lookupType(toName)
}
