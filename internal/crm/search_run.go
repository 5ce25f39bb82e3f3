package crm

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/settlehq/settle/internal/db"
)

// SearchResult is one page of matches and how many there are in all.
type SearchResult struct {
	Total   int
	Results []Record
	// Next is the offset of the next page, or -1 on the last one.
	Next int
}

// Search runs a search over the type's live records. Records are findable the moment their
// write commits: the search reads the same tables.
func (s *Service) Search(ctx context.Context, accountID int64, typeName string, req SearchRequest) (SearchResult, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return SearchResult{}, err
	}
	sch, err := s.schema(ctx, s.db.Reader(ctx), accountID, t)
	if err != nil {
		return SearchResult{}, err
	}
	c, err := compileSearch(s.types, sch, accountID, req)
	if err != nil {
		return SearchResult{}, err
	}
	// The count and the page are independent reads: side by side on two connections, or one
	// after the other inside a caller's transaction, which has one.
	var res SearchResult
	var recs []Record
	count := func(ctx context.Context) error {
		err := s.db.Reader(ctx).QueryRowContext(ctx, `SELECT count(*) FROM `+t.Table+` t WHERE `+c.where, c.q.args[:c.whereArgs]...).Scan(&res.Total)
		return db.MapError(err)
	}
	page := func(ctx context.Context) error {
		var err error
		recs, err = s.searchPage(ctx, t, accountID, c, req)
		return err
	}
	if err := s.both(ctx, count, page); err != nil {
		return SearchResult{}, err
	}
	res.Results, res.Next = recs, -1
	if next := req.After + req.Limit; next < res.Total && next < MaxSearchResults {
		res.Next = next
	}
	return res, nil
}

// searchPage reads one page of a compiled search with the records' custom values.
func (s *Service) searchPage(ctx context.Context, t *ObjectType, accountID int64, c compiled, req SearchRequest) ([]Record, error) {
	page := query{args: append([]any{}, c.q.args...)}
	sql := `SELECT ` + selectList(t, "t.") + ` FROM ` + t.Table + ` t` + c.joins + ` WHERE ` + c.where +
		` ORDER BY ` + c.orderBy + ` LIMIT ` + page.arg(req.Limit) + ` OFFSET ` + page.arg(req.After)
	recs, err := db.CollectRows[Record](s.db.Reader(ctx).QueryContext(ctx, sql, page.args...))(func(r db.Scanner) (Record, error) { return scanRecord(t, r) })
	if err != nil {
		return nil, err
	}
	return recs, attachCustomValues(ctx, s.db.Reader(ctx), t, accountID, recs)
}

// both runs two independent reads: concurrently, unless ctx carries a transaction.
func (s *Service) both(ctx context.Context, a, b func(context.Context) error) error {
	if s.db.InTxContext(ctx) {
		if err := a(ctx); err != nil {
			return err
		}
		return b(ctx)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a(gctx) })
	g.Go(func() error { return b(gctx) })
	return g.Wait()
}
