package crm

import (
	"context"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/db"
)

// AssociatedRecord is a record linked to another, with the types that link them.
type AssociatedRecord struct {
	ID    int64
	Types []AssociationType
}

// AssociationPage is one page of a record's associations to one type.
type AssociationPage struct {
	Results []AssociatedRecord
	// Next is the cursor of the next page (the last id returned), 0 on the last page.
	Next int64
}

// Associations lists the live records of toName linked to a record, in id order.
func (s *Service) Associations(ctx context.Context, accountID int64, fromName, fromID, toName string, after int64, limit int) (AssociationPage, error) {
	from, to, err := s.typePair(fromName, toName)
	if err != nil {
		return AssociationPage{}, err
	}
	fid, err := s.resolveID(ctx, s.db.Reader(ctx), Schema{ObjectType: from}, accountID, fromID, "", false)
	if err != nil {
		return AssociationPage{}, err
	}
	types, err := s.associationTypes(ctx, s.db.Reader(ctx), accountID, from, to)
	if err != nil {
		return AssociationPage{}, err
	}
	targets, err := db.CollectRows[int64](s.db.Reader(ctx).QueryContext(ctx, `SELECT DISTINCT a.to_id FROM crm_associations a
		JOIN `+to.Table+` t ON t.account_id = a.account_id AND t.id = a.to_id AND t.archived_at IS NULL
		WHERE a.account_id = $1 AND a.from_type = $2 AND a.from_id = $3 AND a.to_type = $4 AND a.to_id > $5
		ORDER BY a.to_id LIMIT $6`, accountID, from.Name, fid, to.Name, after, limit+1))(scanInt64)
	if err != nil || len(targets) == 0 {
		return AssociationPage{}, err
	}
	var page AssociationPage
	if len(targets) > limit {
		targets = targets[:limit]
		page.Next = targets[limit-1]
	}
	links, err := s.links(ctx, s.db.Reader(ctx), accountID, from, []int64{fid}, to, after, targets[len(targets)-1])
	page.Results = groupLinks(links[fid], types)
	return page, err
}

type link struct {
	fromID, toID int64
	typeID       int
}

// links reads the links from records of from to live records of to whose ids are in
// (after, upTo] (upTo 0: no upper bound), ordered by target id.
func (s *Service) links(ctx context.Context, q db.Querier, accountID int64, from *ObjectType, ids []int64, to *ObjectType, after, upTo int64) (map[int64][]link, error) {
	if upTo == 0 {
		upTo = 1<<63 - 1
	}
	args := []any{accountID, from.Name, to.Name, after, upTo}
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = "$" + strconv.Itoa(len(args))
	}
	query := `SELECT a.from_id, a.to_id, a.type_id FROM crm_associations a JOIN ` + to.Table + ` t
		ON t.account_id = a.account_id AND t.id = a.to_id AND t.archived_at IS NULL
		WHERE a.account_id = $1 AND a.from_type = $2 AND a.to_type = $3 AND a.to_id > $4 AND a.to_id <= $5
		AND a.from_id IN (` + strings.Join(ph, ", ") + `) ORDER BY a.from_id, a.to_id, a.type_id`
	rows, err := db.CollectRows[link](q.QueryContext(ctx, query, args...))(func(r db.Scanner) (link, error) {
		var l link
		return l, r.Scan(&l.fromID, &l.toID, &l.typeID)
	})
	out := map[int64][]link{}
	for _, l := range rows {
		out[l.fromID] = append(out[l.fromID], l)
	}
	return out, err
}

// group folds links into one entry per target with its types.
func groupLinks(links []link, types []AssociationType) []AssociatedRecord {
	var out []AssociatedRecord
	for _, l := range links {
		t, ok := findType(types, l.typeID)
		if !ok {
			continue
		}
		if n := len(out); n > 0 && out[n-1].ID == l.toID {
			out[n-1].Types = append(out[n-1].Types, t)
			continue
		}
		out = append(out, AssociatedRecord{ID: l.toID, Types: []AssociationType{t}})
	}
	return out
}

// attachAssociations fills each record's associations to the named types; unknown type
// names and pairs without a definition are ignored, as the CRM API does.
func (s *Service) attachAssociations(ctx context.Context, q db.Querier, accountID int64, from *ObjectType, recs []Expanded, toNames []string) error {
	if len(toNames) == 0 {
		return nil
	}
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	for _, name := range toNames {
		to, err := s.lookupType(name)
		if err != nil || len(s.types.builtinAssociationTypes(from, to)) == 0 {
			continue
		}
		if err := s.attachTo(ctx, q, accountID, from, to, name, ids, recs); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) attachTo(ctx context.Context, q db.Querier, accountID int64, from, to *ObjectType, key string, ids []int64, recs []Expanded) error {
	types, err := s.associationTypes(ctx, q, accountID, from, to)
	if err != nil {
		return err
	}
	links, err := s.links(ctx, q, accountID, from, ids, to, 0, 0)
	if err != nil {
		return err
	}
	for i := range recs {
		if recs[i].Associations == nil {
			recs[i].Associations = map[string][]AssociatedRecord{}
		}
		recs[i].Associations[key] = groupLinks(links[recs[i].ID], types)
	}
	return nil
}
