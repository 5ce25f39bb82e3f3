package crm

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/settlehq/settle/internal/problem"
)

// LinkInput is one pair of records to link or unlink in a batch.
type LinkInput struct {
	FromID, ToID string
	Types        []AssociationSpec
}

// LinkResult is what linking one pair left between them.
type LinkResult struct {
	FromID, ToID string
	Types        []AssociationType
}

// BatchAssociate links each pair (with its types, or the default) in one transaction; pairs
// whose records are missing are reported and skipped.
func (s *Service) BatchAssociate(ctx context.Context, accountID int64, fromName, toName string, inputs []LinkInput, src Source) ([]LinkResult, []string, error) {
	var out []LinkResult
	missing, err := s.eachPair(ctx, accountID, fromName, toName, inputs, func(tx *sql.Tx, from, to *ObjectType, fid, tid int64, in LinkInput) error {
		if err := s.associateTx(ctx, tx, accountID, from, fid, to, tid, in.Types, src); err != nil {
			return err
		}
		types, err := s.linkTypes(ctx, tx, accountID, from, fid, to, tid)
		out = append(out, LinkResult{FromID: in.FromID, ToID: in.ToID, Types: types})
		return err
	})
	return out, missing, err
}

// BatchDissociate removes every association of each pair, or only the listed types when a
// pair names some.
func (s *Service) BatchDissociate(ctx context.Context, accountID int64, fromName, toName string, inputs []LinkInput, src Source) ([]string, error) {
	return s.eachPair(ctx, accountID, fromName, toName, inputs, func(tx *sql.Tx, from, to *ObjectType, fid, tid int64, in LinkInput) error {
		if len(in.Types) > 0 {
			return s.RemoveLabels(ctx, tx, accountID, from, fid, to, tid, in.Types)
		}
		return s.unlink(ctx, tx, accountID, from, fid, to, tid, src)
	})
}

// eachPair resolves each input's records and runs fn in one transaction, collecting the
// inputs whose records are missing.
func (s *Service) eachPair(ctx context.Context, accountID int64, fromName, toName string, inputs []LinkInput,
	fn func(tx *sql.Tx, from, to *ObjectType, fid, tid int64, in LinkInput) error) ([]string, error) {
	if err := checkBatchSize(len(inputs)); err != nil {
		return nil, err
	}
	from, to, err := s.typePair(fromName, toName)
	if err != nil {
		return nil, err
	}
	var missing []string
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		for i, in := range inputs {
			fid, tid, err := s.resolvePair(ctx, tx, accountID, from, in.FromID, to, in.ToID)
			if errors.Is(err, problem.ErrNotFound) {
				missing = append(missing, in.FromID+"->"+in.ToID)
				continue
			}
			if err == nil {
				err = fn(tx, from, to, fid, tid, in)
			}
			if err == nil {
				err = s.linkChanged(ctx, tx, accountID, pair{from: from, to: to, fid: fid, tid: tid})
			}
			if err != nil {
				return inInput(i, err)
			}
		}
		return nil
	})
	return missing, err
}

// BatchAssociations reads the associations of several records to a type.
func (s *Service) BatchAssociations(ctx context.Context, accountID int64, fromName string, ids []string, toName string) (map[string][]AssociatedRecord, []string, error) {
	if err := checkBatchSize(len(ids)); err != nil {
		return nil, nil, err
	}
	from, to, err := s.typePair(fromName, toName)
	if err != nil {
		return nil, nil, err
	}
	types, err := s.associationTypes(ctx, s.db.Reader(ctx), accountID, from, to)
	if err != nil {
		return nil, nil, err
	}
	out := map[string][]AssociatedRecord{}
	var missing []string
	for _, id := range ids {
		fid, err := s.resolveID(ctx, s.db.Reader(ctx), Schema{ObjectType: from}, accountID, id, "", false)
		if errors.Is(err, problem.ErrNotFound) {
			missing = append(missing, id)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		links, err := s.links(ctx, s.db.Reader(ctx), accountID, from, []int64{fid}, to, 0, 0)
		if err != nil {
			return nil, nil, err
		}
		out[strconv.FormatInt(fid, 10)] = groupLinks(links[fid], types)
	}
	return out, missing, nil
}
