package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/settlehq/settle/internal/problem"
)

// MaxBatch is the most inputs a batch takes.
const MaxBatch = 100

// UpdateInput is one record to change in a batch: by id, or by the value of a unique
// idProperty.
type UpdateInput struct {
	ID         string
	IDProperty string
	Properties map[string]string
}

// UpsertResult is a record a batch upsert wrote and whether it created it.
type UpsertResult struct {
	Record
	New bool
}

func checkBatchSize(n int) error {
	if n == 0 || n > MaxBatch {
		return problem.Invalid("inputs", "INVALID_BATCH_SIZE", fmt.Sprintf("A batch takes between 1 and %d inputs, not %d.", MaxBatch, n))
	}
	return nil
}

// inInput prefixes an error's fields with the batch input it concerns.
func inInput(i int, err error) error {
	var inv *problem.InvalidError
	if !errors.As(err, &inv) {
		return err
	}
	out := &problem.InvalidError{Summary: inv.Summary}
	for _, f := range inv.Fields {
		f.Field = fmt.Sprintf("inputs[%d].%s", i, f.Field)
		out.Fields = append(out.Fields, f)
	}
	return out
}

// BatchRead reads records by id (or idProperty value) and reports the ids not found.
func (s *Service) BatchRead(ctx context.Context, accountID int64, typeName string, ids []string, idProperty string, opts ReadOptions) ([]Expanded, []string, error) {
	if err := checkBatchSize(len(ids)); err != nil {
		return nil, nil, err
	}
	t, err := s.lookupType(typeName)
	if err != nil {
		return nil, nil, err
	}
	sch, err := s.schema(ctx, s.db.Reader(ctx), accountID, t)
	if err != nil {
		return nil, nil, err
	}
	var found []int64
	var missing []string
	for _, id := range ids {
		rid, err := s.resolveID(ctx, s.db.Reader(ctx), sch, accountID, id, idProperty, opts.Archived)
		switch {
		case errors.Is(err, problem.ErrNotFound):
			missing = append(missing, id)
		case err != nil:
			return nil, nil, err
		default:
			found = append(found, rid)
		}
	}
	recs, err := loadRecords(ctx, s.db.Reader(ctx), t, accountID, found, opts.Archived)
	if err != nil {
		return nil, nil, err
	}
	out, err := s.expand(ctx, s.db.Reader(ctx), accountID, recs, opts)
	return out, missing, err
}

// BatchCreate creates every input in one transaction: all are written or none.
func (s *Service) BatchCreate(ctx context.Context, accountID int64, typeName string, inputs []Input, src Source) ([]Record, error) {
	if err := checkBatchSize(len(inputs)); err != nil {
		return nil, err
	}
	var out []Record
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		for i, in := range inputs {
			r, err := s.createTx(ctx, tx, accountID, typeName, in, src)
			if err != nil {
				return inInput(i, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// BatchUpdate changes every input found in one transaction and reports the ids not found.
// An invalid input fails the whole batch.
func (s *Service) BatchUpdate(ctx context.Context, accountID int64, typeName string, inputs []UpdateInput, src Source) ([]Record, []string, error) {
	if err := checkBatchSize(len(inputs)); err != nil {
		return nil, nil, err
	}
	if _, err := s.lookupType(typeName); err != nil {
		return nil, nil, err
	}
	var out []Record
	var missing []string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		for i, in := range inputs {
			r, err := s.updateTx(ctx, tx, accountID, typeName, in.ID, in.IDProperty, in.Properties, src, false)
			switch {
			case errors.Is(err, problem.ErrNotFound):
				missing = append(missing, in.ID)
			case err != nil:
				return inInput(i, err)
			default:
				out = append(out, r)
			}
		}
		return nil
	})
	return out, missing, err
}

// BatchUpsert updates the records whose idProperty value exists and creates the others.
func (s *Service) BatchUpsert(ctx context.Context, accountID int64, typeName string, inputs []UpdateInput, src Source) ([]UpsertResult, error) {
	if err := checkBatchSize(len(inputs)); err != nil {
		return nil, err
	}
	if _, err := s.lookupType(typeName); err != nil {
		return nil, err
	}
	var out []UpsertResult
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		for i, in := range inputs {
			r, err := s.upsertTx(ctx, tx, accountID, typeName, in, src)
			if err != nil {
				return inInput(i, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

func (s *Service) upsertTx(ctx context.Context, tx *sql.Tx, accountID int64, typeName string, in UpdateInput, src Source) (UpsertResult, error) {
	if in.IDProperty == "" || in.IDProperty == PropObjectID {
		r, err := s.updateTx(ctx, tx, accountID, typeName, in.ID, "", in.Properties, src, false)
		return UpsertResult{Record: r}, err
	}
	r, err := s.updateTx(ctx, tx, accountID, typeName, in.ID, in.IDProperty, in.Properties, src, false)
	if !errors.Is(err, problem.ErrNotFound) {
		return UpsertResult{Record: r}, err
	}
	props := map[string]string{in.IDProperty: in.ID}
	for k, v := range in.Properties {
		props[k] = v
	}
	r, err = s.createTx(ctx, tx, accountID, typeName, Input{Properties: props}, src)
	return UpsertResult{Record: r, New: true}, err
}

// BatchArchive archives the records found among ids; the others are ignored.
func (s *Service) BatchArchive(ctx context.Context, accountID int64, typeName string, ids []string, src Source) error {
	if err := checkBatchSize(len(ids)); err != nil {
		return err
	}
	if _, err := s.lookupType(typeName); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			err := s.setArchivedTx(ctx, tx, accountID, typeName, id, src, true)
			if err != nil && (!errors.Is(err, problem.ErrNotFound)) {
				return err
			}
		}
		return nil
	})
}
