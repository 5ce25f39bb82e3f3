package crm

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Link names a record to associate with: its type and id.
type Link struct {
	Type string
	ID   int64
}

// LinkNew associates a record created in tx with other records of the account, each pair
// with its default association type in both directions, and notes every link on both
// timelines — in one statement, however many links. It is Settle's own write path (a
// payment and its contact, company and deal): the caller vouches that every record exists in
// the account, and the record, being new, has no link that a single-valued type would have
// to replace; two links of such a type are refused.
func (s *Service) LinkNew(ctx context.Context, tx *sql.Tx, accountID int64, typeName string, id int64, links []Link, src Source) error {
	return s.LinkNewAll(ctx, tx, accountID, []NewLinks{{Type: typeName, ID: id, Links: links}}, src)
}

// NewLinks are the links of one record created in the caller's transaction.
type NewLinks struct {
	Type  string
	ID    int64
	Links []Link
}

// LinkNewAll is LinkNew for several new records at once, in one statement.
func (s *Service) LinkNewAll(ctx context.Context, tx *sql.Tx, accountID int64, all []NewLinks, src Source) error {
	args, err := s.newLinksRows(tx, accountID, all, src)
	if err != nil || len(args) == 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, insertLinks+" VALUES "+db.ValueRows(len(args)/linkWidth, linkWidth)+" "+linksTail, args...)
	return err
}

// LinkNewAllAtCommit is LinkNewAll with the associations written when tx commits, with its
// other held-back rows (db.LaterInsert), for a caller that reads none of them back in tx:
// on PostgreSQL that saves the insert's own round trip, and writers sharing a commit write
// their associations in one insert.
func (s *Service) LinkNewAllAtCommit(tx *sql.Tx, accountID int64, all []NewLinks, src Source) error {
	args, err := s.newLinksRows(tx, accountID, all, src)
	for row := range slices.Chunk(args, linkWidth) {
		s.db.LaterInsert(tx, insertLinks, linksTail, row...)
	}
	return err
}

// insertLinks, with linkWidth values per row and linksTail after them, writes associations.
const (
	insertLinks = `INSERT INTO crm_associations (account_id, from_type, from_id, to_type, to_id, type_id,
		category, created_at)`
	linksTail = `ON CONFLICT DO NOTHING`
	linkWidth = 8
)

// newLinksRows returns the association rows of all, one after another (linkWidth values
// each), and queues their timeline entries in tx.
func (s *Service) newLinksRows(tx *sql.Tx, accountID int64, all []NewLinks, src Source) ([]any, error) {
	now := s.clock.Now()
	var args []any // the rows, one after another
	for _, n := range all {
		rows, acts, err := s.newLinkRows(accountID, n, now, src)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			args = append(args, r...)
		}
		if err := s.appendActivity(tx, acts...); err != nil {
			return nil, err
		}
	}
	return args, nil
}

// newLinkRows are the association rows (both directions) and timeline entries of one new
// record's links.
func (s *Service) newLinkRows(accountID int64, n NewLinks, now time.Time, src Source) ([][]any, []Activity, error) {
	from, err := s.lookupType(n.Type)
	if err != nil {
		return nil, nil, err
	}
	var rows [][]any
	var acts []Activity
	seen := map[string]bool{}
	for _, l := range n.Links {
		to, err := s.lookupType(l.Type)
		if err != nil {
			return nil, nil, err
		}
		if seen[to.Name] && AtMostOne(from.Name, to.Name) {
			return nil, nil, problem.Invalid("associations", "INVALID_ASSOCIATION", fmt.Sprintf("a %s has at most one %s.", from.Singular, to.Singular))
		}
		seen[to.Name] = true
		builtin, err := s.builtinTypes(from, to)
		if err != nil {
			return nil, nil, err
		}
		t := builtin[0]
		rows = append(rows, []any{accountID, from.Name, n.ID, to.Name, l.ID, t.TypeID, t.Category, now},
			[]any{accountID, to.Name, l.ID, from.Name, n.ID, t.Inverse, t.Category, now})
		acts = append(acts, linkActivities(accountID, from, n.ID, to, l.ID, "associated", src, now)...)
	}
	return rows, acts, nil
}

// LinkedIDs returns, for each of the named types, the ids of the live records a record is
// associated with, in ascending order — in one query, however many types. Capabilities use
// it to find a record's related records (a payment's contact, deal, invoice…).
func (s *Service) LinkedIDs(ctx context.Context, accountID int64, typeName string, id int64, toTypes []string) (map[string][]int64, error) {
	from, err := s.lookupType(typeName)
	if err != nil {
		return nil, err
	}
	args := []any{accountID, from.Name, id}
	var parts []string
	for _, name := range toTypes {
		to, err := s.lookupType(name)
		if err != nil {
			return nil, err
		}
		args = append(args, to.Name)
		n := "$" + strconv.Itoa(len(args))
		parts = append(parts, `SELECT DISTINCT a.to_type, a.to_id FROM crm_associations a JOIN `+to.Table+` t
			ON t.account_id = a.account_id AND t.id = a.to_id AND t.archived_at IS NULL
			WHERE a.account_id = $1 AND a.from_type = $2 AND a.from_id = $3 AND a.to_type = `+n)
	}
	out := map[string][]int64{}
	if len(parts) == 0 {
		return out, nil
	}
	rows, err := s.db.Reader(ctx).QueryContext(ctx, strings.Join(parts, " UNION ALL ")+` ORDER BY 1, 2`, args...)
	if err != nil {
		return nil, db.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		var to int64
		if err := rows.Scan(&typ, &to); err != nil {
			return nil, err
		}
		out[typ] = append(out[typ], to)
	}
	return out, db.MapError(rows.Err())
}
