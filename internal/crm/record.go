package crm

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
)

// Record is one CRM record with its property values as the API shows them (only values that
// are set; system properties included).
type Record struct {
	ID         int64
	Type       *ObjectType
	Values     map[string]string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ArchivedAt *time.Time
}

// IDString is the record's id as the API writes it.
func (r Record) IDString() string { return strconv.FormatInt(r.ID, 10) }

// selectList is the column list every record query reads.
func selectList(t *ObjectType, alias string) string {
	if alias == "" && t.columns != "" {
		return t.columns
	}
	cols := []string{"id", "created_at", "updated_at", "archived_at"}
	for _, p := range typedColumns(t) {
		cols = append(cols, p.Column)
	}
	for i, c := range cols {
		cols[i] = alias + c
	}
	return strings.Join(cols, ", ")
}

// scanRecord reads one row selected with selectList.
func scanRecord(t *ObjectType, row db.Scanner) (Record, error) {
	cols := typedColumns(t)
	r := Record{Type: t, Values: map[string]string{}}
	var archived sql.NullTime
	dest := []any{&r.ID, &r.CreatedAt, &r.UpdatedAt, &archived}
	holders := make([]any, len(cols))
	for i, p := range cols {
		holders[i] = holderFor(p.Type)
		dest = append(dest, holders[i])
	}
	if err := row.Scan(dest...); err != nil {
		return Record{}, err
	}
	if archived.Valid {
		r.ArchivedAt = &archived.Time
	}
	byColumn := map[string]string{}
	for i, p := range cols {
		if v, ok := formatHolder(holders[i]); ok {
			byColumn[p.Column] = v
		}
	}
	r.fill(byColumn)
	return r, nil
}

// fill sets Values for every built-in property from its column, system ones included.
func (r *Record) fill(byColumn map[string]string) {
	byColumn["id"] = r.IDString()
	byColumn["created_at"] = FormatDatetime(r.CreatedAt)
	byColumn["updated_at"] = FormatDatetime(r.UpdatedAt)
	for _, p := range r.Type.Properties {
		if v, ok := byColumn[p.Column]; ok {
			r.Values[p.Name] = v
		}
	}
}

func holderFor(t Type) any {
	switch t {
	case Number:
		return new(sql.NullInt64)
	case Datetime:
		return new(sql.NullTime)
	case Bool:
		return new(sql.NullBool)
	}
	return new(sql.NullString)
}

func formatHolder(h any) (string, bool) {
	switch v := h.(type) {
	case *sql.NullInt64:
		return FormatNumber(v.Int64), v.Valid
	case *sql.NullTime:
		return FormatDatetime(v.Time), v.Valid
	case *sql.NullBool:
		return strconv.FormatBool(v.Bool), v.Valid
	case *sql.NullString:
		return v.String, v.Valid
	}
	return "", false
}

// archivedClause selects live or archived records.
func archivedClause(alias string, archived bool) string {
	if archived {
		return " AND " + alias + "archived_at IS NOT NULL"
	}
	return " AND " + alias + "archived_at IS NULL"
}

// loadRecords reads the records of ids (live or archived), in the order of ids, with their
// custom values. Ids that are not there are left out.
func loadRecords(ctx context.Context, q db.Querier, t *ObjectType, accountID int64, ids []int64, archived bool) ([]Record, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{accountID}
	ph := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		ph[i] = "$" + strconv.Itoa(i+2)
	}
	query := `SELECT ` + selectList(t, "") + ` FROM ` + t.Table + ` WHERE account_id = $1 AND id IN (` +
		strings.Join(ph, ", ") + `)` + archivedClause("", archived)
	found, err := db.CollectRows[Record](q.QueryContext(ctx, query, args...))(func(r db.Scanner) (Record, error) { return scanRecord(t, r) })
	if err != nil {
		return nil, err
	}
	if err := attachCustomValues(ctx, q, t, accountID, found); err != nil {
		return nil, err
	}
	return inOrder(found, ids), nil
}

func inOrder(found []Record, ids []int64) []Record {
	byID := make(map[int64]Record, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	out := make([]Record, 0, len(found))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, r)
			delete(byID, id)
		}
	}
	return out
}

// attachCustomValues adds each record's custom property values.
func attachCustomValues(ctx context.Context, q db.Querier, t *ObjectType, accountID int64, recs []Record) error {
	if len(recs) == 0 {
		return nil
	}
	index := map[int64]int{}
	args := []any{accountID, t.Name}
	ph := make([]string, len(recs))
	for i, r := range recs {
		index[r.ID] = i
		args = append(args, r.ID)
		ph[i] = "$" + strconv.Itoa(i+3)
	}
	rows, err := q.QueryContext(ctx, `SELECT object_id, property, value FROM crm_custom_values
		WHERE account_id = $1 AND object_type = $2 AND object_id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return db.MapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, value string
		if err := rows.Scan(&id, &name, &value); err != nil {
			return err
		}
		recs[index[id]].Values[name] = value
	}
	return rows.Err()
}
