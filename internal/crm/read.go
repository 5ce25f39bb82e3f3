package crm

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/settlehq/settle/internal/db"
)

// ReadOptions say what to return with records.
type ReadOptions struct {
	// History names properties whose past values to include.
	History []string
	// Associations names object types whose associated ids to include.
	Associations []string
	// Archived reads archived records instead of live ones.
	Archived bool
}

// Expanded is a record with what ReadOptions asked for.
type Expanded struct {
	Record
	History      map[string][]HistoryEntry
	Associations map[string][]AssociatedRecord
}

// Get reads one record by id, or by the value of a unique idProperty.
func (s *Service) Get(ctx context.Context, accountID int64, typeName, id, idProperty string, opts ReadOptions) (Expanded, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return Expanded{}, err
	}
	// Only a built-in property can identify a record, so the account's own are not read.
	rid, err := s.resolveID(ctx, s.db.Reader(ctx), Schema{ObjectType: t}, accountID, id, idProperty, opts.Archived)
	if err != nil {
		return Expanded{}, err
	}
	recs, err := loadRecords(ctx, s.db.Reader(ctx), t, accountID, []int64{rid}, opts.Archived)
	if err != nil || len(recs) == 0 {
		return Expanded{}, notFoundUnless(orNoRows(err, len(recs)), t, id)
	}
	out, err := s.expand(ctx, s.db.Reader(ctx), accountID, recs, opts)
	if err != nil {
		return Expanded{}, err
	}
	return out[0], nil
}

// IDOf returns the id of the live record of a type whose unique property idProperty (a
// contact's email) holds value, or ErrNotFound: a lookup that needs the id alone, in one
// query, where Get reads the record too.
func (s *Service) IDOf(ctx context.Context, accountID int64, typeName, idProperty, value string) (int64, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return 0, err
	}
	return s.resolveID(ctx, s.db.Reader(ctx), Schema{ObjectType: t}, accountID, value, idProperty, false)
}

func orNoRows(err error, n int) error {
	if err == nil && n == 0 {
		return sql.ErrNoRows
	}
	return err
}

// getTx reads a live record inside a write transaction.
func (s *Service) getTx(ctx context.Context, tx *sql.Tx, t *ObjectType, accountID, id int64) (Record, error) {
	recs, err := loadRecords(ctx, tx, t, accountID, []int64{id}, false)
	if err != nil || len(recs) == 0 {
		return Record{}, notFoundUnless(orNoRows(err, len(recs)), t, strconv.FormatInt(id, 10))
	}
	return recs[0], nil
}

// expand adds history and associations to records as opts ask.
func (s *Service) expand(ctx context.Context, q db.Querier, accountID int64, recs []Record, opts ReadOptions) ([]Expanded, error) {
	out := make([]Expanded, len(recs))
	ids := make([]int64, len(recs))
	for i, r := range recs {
		out[i].Record = r
		ids[i] = r.ID
	}
	if len(recs) == 0 {
		return out, nil
	}
	t := recs[0].Type
	hist, err := loadHistory(ctx, q, t, accountID, ids, opts.History)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].History = hist[out[i].ID]
	}
	return out, s.attachAssociations(ctx, q, accountID, t, out, opts.Associations)
}

// ListOptions page through a type's records in id order.
type ListOptions struct {
	ReadOptions
	Limit int
	// After is the cursor from the previous page; 0 starts at the beginning.
	After int64
}

// Page is one page of records and the cursor of the next, 0 on the last page.
type Page struct {
	Results []Expanded
	Next    int64
}

// List returns a page of the type's records, oldest first.
func (s *Service) List(ctx context.Context, accountID int64, typeName string, opts ListOptions) (Page, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.Reader(ctx).QueryContext(ctx, `SELECT `+selectList(t, "")+` FROM `+t.Table+` WHERE account_id = $1 AND id > $2`+
		archivedClause("", opts.Archived)+` ORDER BY id LIMIT $3`, accountID, opts.After, opts.Limit+1)
	recs, err := db.CollectRows[Record](rows, err)(func(r db.Scanner) (Record, error) { return scanRecord(t, r) })
	if err != nil {
		return Page{}, err
	}
	var page Page
	if len(recs) > opts.Limit {
		recs = recs[:opts.Limit]
		page.Next = recs[len(recs)-1].ID
	}
	if err := attachCustomValues(ctx, s.db.Reader(ctx), t, accountID, recs); err != nil {
		return Page{}, err
	}
	page.Results, err = s.expand(ctx, s.db.Reader(ctx), accountID, recs, opts.ReadOptions)
	return page, err
}

// LockRecord reads a live record in tx and, on PostgreSQL, locks its row until tx ends, so
// that changes that depend on its values (a payment's refunds) happen one at a time.
func (s *Service) LockRecord(ctx context.Context, tx *sql.Tx, accountID int64, typeName string, id int64) (Record, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return Record{}, err
	}
	r, err := scanRecord(t, tx.QueryRowContext(ctx, `SELECT `+selectList(t, "")+` FROM `+t.Table+
		` WHERE account_id = $1 AND id = $2 AND archived_at IS NULL`+s.db.Dialect.ForUpdate(), accountID, id))
	if err != nil {
		return Record{}, notFoundUnless(err, t, strconv.FormatInt(id, 10))
	}
	recs := []Record{r}
	return r, attachCustomValues(ctx, tx, t, accountID, recs)
}
