package crm

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

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
// timelines — in two statements, however many links. It is Settle's own write path (a
// payment and its contact, company and deal): the caller vouches that every record exists in
// the account, and the record, being new, has no link that a single-valued type would have
// to replace; two links of such a type are refused.
func (s *Service) LinkNew(ctx context.Context, tx *sql.Tx, accountID int64, typeName string, id int64, links []Link, src Source) error {
	from, err := s.lookupType(typeName)
	if err != nil || len(links) == 0 {
		return err
	}
	now := s.clock.Now()
	var rows []string
	var args []any
	var acts []Activity
	seen := map[string]bool{}
	for _, l := range links {
		to, err := s.lookupType(l.Type)
		if err != nil {
			return err
		}
		if seen[to.Name] && AtMostOne(from.Name, to.Name) {
			return problem.Invalid("associations", "INVALID_ASSOCIATION", fmt.Sprintf("a %s has at most one %s.", from.Singular, to.Singular))
		}
		seen[to.Name] = true
		builtin, err := s.builtinTypes(from, to)
		if err != nil {
			return err
		}
		t := builtin[0]
		for _, r := range [][]any{{from.Name, id, to.Name, l.ID, t.TypeID}, {to.Name, l.ID, from.Name, id, t.Inverse}} {
			rows = append(rows, "("+placeholders(len(args)+1, 8)+")")
			args = append(args, accountID, r[0], r[1], r[2], r[3], r[4], t.Category, now)
		}
		acts = append(acts, linkActivities(accountID, from, id, to, l.ID, "associated", src, now)...)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO crm_associations (account_id, from_type, from_id, to_type, to_id, type_id,
		category, created_at) VALUES `+strings.Join(rows, ", ")+` ON CONFLICT DO NOTHING`, args...); err != nil {
		return err
	}
	return s.appendActivity(tx, acts...)
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
