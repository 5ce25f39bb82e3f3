package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
)

// HistoryEntry is one past value of a property.
type HistoryEntry struct {
	Value     *string
	Timestamp time.Time
	Source    Source
}

// changeLog is what a write of raw values (API strings; "" clears) adds to a record's
// history and timeline, made from the values alone: a create makes it before its
// transaction (newRecord), so that the shared write turn only queues its rows.
type changeLog struct {
	changes    string // the history row's changes by property, JSON; "" when none was written
	properties string // the activity's data: the names of the properties written, JSON
}

// newChangeLog makes the change log of a write of raw to a record of sch.
func newChangeLog(sch Schema, raw map[string]string) (changeLog, error) {
	var log changeLog
	if len(raw) > 0 {
		changes := make(map[string]*string, len(raw))
		for name, v := range raw {
			if v == "" {
				changes[name] = nil
				continue
			}
			p, _ := sch.Lookup(name)
			parsed, _ := parseValue(p, v)
			text := canonicalText(parsed)
			changes[name] = &text
		}
		data, err := json.Marshal(changes)
		if err != nil {
			return log, err
		}
		log.changes = string(data)
	}
	data, err := json.Marshal(map[string]any{"properties": sortedKeys(raw)})
	log.properties = string(data)
	return log, err
}

// appendChangeLog queues log's rows for record id — one row of crm_property_changes, and
// the timeline activity of kind — written when tx is about to commit.
func (s *Service) appendChangeLog(tx *sql.Tx, sch Schema, accountID, id int64, log changeLog, now time.Time, src Source, kind string) {
	if log.changes != "" {
		s.db.Later(tx, `INSERT INTO crm_property_changes (account_id, object_type, object_id, changed_at, source_type,
		source_id, changes)`, accountID, sch.Name, id, now, src.Type, src.ID, log.changes)
	}
	s.queueActivity(tx, Activity{AccountID: accountID, ObjectType: sch.Name, ObjectID: id, Kind: kind,
		OccurredAt: now, Source: src}, log.properties)
}

// loadHistory returns, for each record and each named property, its values newest first.
func loadHistory(ctx context.Context, q db.Querier, t *ObjectType, accountID int64, ids []int64, names []string) (map[int64]map[string][]HistoryEntry, error) {
	out := map[int64]map[string][]HistoryEntry{}
	if len(ids) == 0 || len(names) == 0 {
		return out, nil
	}
	args := []any{accountID, t.Name}
	idPh := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		idPh[i] = "$" + strconv.Itoa(len(args))
	}
	rows, err := q.QueryContext(ctx, `SELECT object_id, changes, changed_at, source_type, source_id
		FROM crm_property_changes WHERE account_id = $1 AND object_type = $2 AND object_id IN (`+strings.Join(idPh, ", ")+`)
		ORDER BY id DESC`, args...)
	if err != nil {
		return nil, db.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var data string
		var at HistoryEntry
		if err := rows.Scan(&id, &data, &at.Timestamp, &at.Source.Type, &at.Source.ID); err != nil {
			return nil, err
		}
		var changes map[string]*string
		if err := json.Unmarshal([]byte(data), &changes); err != nil {
			return nil, fmt.Errorf("property changes of %s %d: %w", t.Name, id, err)
		}
		for _, name := range names {
			v, ok := changes[name]
			if !ok {
				continue
			}
			if out[id] == nil {
				out[id] = map[string][]HistoryEntry{}
			}
			e := at
			e.Value = v
			out[id][name] = append(out[id][name], e)
		}
	}
	return out, rows.Err()
}

// Activity is one entry of a record's timeline: created, updated, archived, restored,
// associated, dissociated, and later payment events.
type Activity struct {
	ID         int64
	AccountID  int64
	ObjectType string
	ObjectID   int64
	Kind       string
	OccurredAt time.Time
	Source     Source
	Data       map[string]any
}

// appendActivity adds entries to records' timelines, written when the transaction is about
// to commit.
func (s *Service) appendActivity(tx *sql.Tx, acts ...Activity) error {
	for _, a := range acts {
		data := []byte("{}")
		if a.Data != nil {
			var err error
			if data, err = json.Marshal(a.Data); err != nil {
				return err
			}
		}
		s.queueActivity(tx, a, string(data))
	}
	return nil
}

// queueActivity queues a, whose data is already JSON, to be written when tx is about to
// commit.
func (s *Service) queueActivity(tx *sql.Tx, a Activity, data string) {
	s.db.Later(tx, `INSERT INTO crm_activities (account_id, object_type, object_id, kind, occurred_at, source_type,
		source_id, data)`, a.AccountID, a.ObjectType, a.ObjectID, a.Kind, a.OccurredAt, a.Source.Type, a.Source.ID, data)
}

// AppendActivity adds entries to records' timelines in the caller's transaction (written
// when it is about to commit); other capabilities (payments, disputes) use it for their
// events.
func (s *Service) AppendActivity(ctx context.Context, tx *sql.Tx, acts ...Activity) error {
	return s.appendActivity(tx, acts...)
}

// Timeline returns a record's activities, newest first.
func (s *Service) Timeline(ctx context.Context, accountID int64, typeName, id string) ([]Activity, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return nil, err
	}
	rid, err := s.resolveID(ctx, s.db.Reader(ctx), Schema{ObjectType: t}, accountID, id, "", false)
	if err != nil {
		return nil, err
	}
	return db.CollectRows[Activity](s.db.Reader(ctx).QueryContext(ctx, `SELECT id, kind, occurred_at, source_type, source_id, data
		FROM crm_activities WHERE account_id = $1 AND object_type = $2 AND object_id = $3 ORDER BY id DESC LIMIT 500`,
		accountID, t.Name, rid))(func(r db.Scanner) (Activity, error) {
		a := Activity{AccountID: accountID, ObjectType: t.Name, ObjectID: rid}
		var data string
		if err := r.Scan(&a.ID, &a.Kind, &a.OccurredAt, &a.Source.Type, &a.Source.ID, &data); err != nil {
			return a, err
		}
		return a, json.Unmarshal([]byte(data), &a.Data)
	})
}
