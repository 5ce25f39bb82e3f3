package crm

import (
	"context"
	"strconv"

	"golang.org/x/sync/errgroup"

	"github.com/settlehq/settle/internal/db"
)

// SearchResult is one page of matches and how many there are.
type SearchResult struct {
	// Total is how many records match, counted up to MaxSearchResults: no search pages
	// further, and counting every match of a broad search over millions of records would
	// cost many times the page.
	Total int
	// Capped reports that more than MaxSearchResults records match; Total is then
	// MaxSearchResults.
	Capped  bool
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
	count := func(ctx context.Context) (err error) {
		res.Total, res.Capped, err = s.countMatches(ctx, t, c)
		return err
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

// countMatches counts a compiled search's matches up to MaxSearchResults, and reports
// whether there are more: the database stops reading after the first one past the cap.
func (s *Service) countMatches(ctx context.Context, t *ObjectType, c compiled) (int, bool, error) {
	var n int
	sql := `SELECT count(*) FROM (SELECT 1 FROM ` + t.Table + ` t WHERE ` + c.where +
		` LIMIT ` + strconv.Itoa(MaxSearchResults+1) + `) m`
	if err := s.db.Reader(ctx).QueryRowContext(ctx, sql, c.q.args[:c.whereArgs]...).Scan(&n); err != nil {
		return 0, false, db.MapError(err)
	}
	if n > MaxSearchResults {
		return MaxSearchResults, true, nil
	}
	return n, false, nil
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
