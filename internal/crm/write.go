package crm

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Create validates in, writes the record with its history, timeline entry and associations in
// one transaction, and returns it.
//
// The input is checked and completed before the transaction begins: on SQLite, writers take
// turns on the one write transaction, and a turn should not wait while a request's values
// are parsed, nor be taken at all by a request that is refused.
func (s *Service) Create(ctx context.Context, accountID int64, typeName string, in Input, src Source) (Record, error) {
	n, err := s.prepare(ctx, accountID, typeName, in)
	if err != nil {
		return Record{}, err
	}
	n.late = s.insertsLate(ctx, n, in)
	var out Record
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.insertNew(ctx, tx, accountID, n, in, src)
		return err
	})
	return out, err
}

// errPresent is createTx's answer when in.ifAbsent is set and a live record already holds
// one of the new record's unique values.
var errPresent = errors.New("a record with these unique values exists")

// CreateIfAbsent is Create, except that when a live record already holds one of the new
// record's unique values (a contact's email) it writes nothing and returns created=false —
// without the error that would fail the transaction it joins — and, on PostgreSQL when the
// holder was committed before the insert began, the holder's ID (the rest of rec is empty).
func (s *Service) CreateIfAbsent(ctx context.Context, accountID int64, typeName string, in Input, src Source) (rec Record, created bool, err error) {
	in.ifAbsent = true
	n, err := s.prepare(ctx, accountID, typeName, in)
	if err != nil {
		return Record{}, false, err
	}
	return s.insertIfAbsent(ctx, accountID, n, in, src)
}

// insertIfAbsent is CreateIfAbsent of n, prepared from in.
func (s *Service) insertIfAbsent(ctx context.Context, accountID int64, n newRecord, in Input, src Source) (rec Record, created bool, err error) {
	in.ifAbsent = true
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		rec, err = s.insertNew(ctx, tx, accountID, n, in, src)
		created = err == nil
		if errors.Is(err, errPresent) {
			return nil
		}
		return err
	})
	return rec, created, err
}

// FindOrCreate returns the ID of the live record of typeName whose idProperty, a unique
// property, has the value in gives it, and creates the record from in when there is none.
// On PostgreSQL one statement does both; on SQLite, where a statement costs no round trip,
// the lookup comes first, which does less work for a record that exists. prior, when it
// looked the same value up (LookUp), is that lookup, done before the transaction, and
// the create it prepared is the one FindOrCreate makes.
func (s *Service) FindOrCreate(ctx context.Context, accountID int64, typeName, idProperty string, in Input, src Source, prior Lookup) (id int64, created bool, err error) {
	value := in.Properties[idProperty]
	ahead := prior.done && prior.value == value
	if s.db.Engine == config.SQLite {
		if ahead {
			if prior.id != 0 {
				return prior.id, false, nil
			}
		} else if id, err := s.IDOf(ctx, accountID, typeName, idProperty, value); !errors.Is(err, problem.ErrNotFound) {
			return id, false, err
		}
	}
	var rec Record
	if ahead && prior.create != nil {
		rec, created, err = s.insertIfAbsent(ctx, accountID, *prior.create, in, src)
	} else {
		rec, created, err = s.CreateIfAbsent(ctx, accountID, typeName, in, src)
	}
	if err != nil || created || rec.ID != 0 {
		return rec.ID, created, err
	}
	// Another transaction created it since the insert began.
	id, err = s.IDOf(ctx, accountID, typeName, idProperty, value)
	return id, false, err
}

// Lookup is a FindOrCreate's lookup done ahead, outside its transaction (LookUp).
type Lookup struct {
	done   bool
	value  string
	id     int64      // 0 when no live record held the value
	create *newRecord // when id is 0: the record to create, prepared
}

// LookUp looks up the live record of typeName whose idProperty has the value in gives it,
// for a FindOrCreate of in to come, in what ctx reads (what was committed, outside a
// transaction), and prepares in's create when no record holds the value. On SQLite, where
// FindOrCreate looks before it inserts, the shared write transaction then does not wait for
// the lookup, nor for the new record's preparation; a record found is used as it was when
// looked up. On PostgreSQL, where FindOrCreate's insert looks in the same statement, it
// reads nothing and returns a Lookup that FindOrCreate ignores. An input that would be
// refused is refused here.
func (s *Service) LookUp(ctx context.Context, accountID int64, typeName, idProperty string, in Input) (Lookup, error) {
	value := in.Properties[idProperty]
	if s.db.Engine != config.SQLite || value == "" {
		return Lookup{}, nil
	}
	id, err := s.IDOf(ctx, accountID, typeName, idProperty, value)
	if errors.Is(err, problem.ErrNotFound) {
		err = nil
	}
	if err != nil {
		return Lookup{}, err
	}
	l := Lookup{done: true, value: value, id: id}
	if id == 0 {
		in.ifAbsent = true
		n, err := s.prepare(ctx, accountID, typeName, in)
		if err != nil {
			return Lookup{}, err
		}
		l.create = &n
	}
	return l, nil
}

// createTx is Create inside the transaction tx.
func (s *Service) createTx(ctx context.Context, tx *sql.Tx, accountID int64, typeName string, in Input, src Source) (Record, error) {
	n, err := s.prepare(s.db.WithTx(ctx, tx), accountID, typeName, in)
	if err != nil {
		return Record{}, err
	}
	return s.insertNew(ctx, tx, accountID, n, in, src)
}

// newRecord is a record ready to be written: the type as its account sees it, the values
// checked and completed by the type's hook, and the hook to run once it is written, with
// what the hook prepared for it (CreatePreparer). What can be made of the values alone —
// the insert, the values as a read formats them, the history and timeline entries — is
// made with it, before the transaction, so that a shared write turn only writes.
type newRecord struct {
	sch       Schema
	v         values
	hook      Hook
	prepared  any
	late      bool // its row is written at commit (see LateInsert)
	ins       insertion
	formatted map[string]string // formatValues
	log       changeLog
}

// prepare checks in for a new record of typeName and completes its values, reading the
// account's custom properties and the hook's data in the transaction ctx carries, if any.
func (s *Service) prepare(ctx context.Context, accountID int64, typeName string, in Input) (newRecord, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return newRecord{}, err
	}
	sch, err := s.schemaFor(ctx, s.db.Reader(ctx), accountID, t, maps.Keys(in.Properties))
	if err != nil {
		return newRecord{}, err
	}
	v, err := sch.parseInput(in.Properties, in.System)
	if err != nil {
		return newRecord{}, err
	}
	n := newRecord{sch: sch, hook: s.hook(t, in.System)}
	if n.hook != nil {
		if v, err = s.completeInput(ctx, n.hook, sch, accountID, in.Properties, v); err != nil {
			return newRecord{}, err
		}
	}
	if p, ok := n.hook.(CreatePreparer); ok {
		if n.prepared, err = p.PrepareCreate(ctx, accountID, v.raw); err != nil {
			return newRecord{}, err
		}
	}
	n.v = v
	n.ins = newInsertion(s.db.Engine, sch, accountID, v, in.ifAbsent)
	n.formatted = formatValues(sch.ObjectType, v)
	if n.log, err = newChangeLog(sch, v.raw); err != nil {
		return newRecord{}, err
	}
	return n, nil
}

// insertNew writes n, prepared from in, in tx: the record, its history, its associations,
// and what its hook does after a create.
func (s *Service) insertNew(ctx context.Context, tx *sql.Tx, accountID int64, n newRecord, in Input, src Source) (Record, error) {
	sch, v, h, t := n.sch, n.v, n.hook, n.sch.ObjectType
	now := s.clock.Now()
	var rec Record
	var err error
	if n.late {
		rec, err = s.insertAtCommit(ctx, tx, sch, n, now)
	} else {
		rec, err = insertRecord(ctx, s.db, tx, sch, n, now)
	}
	switch {
	case errors.Is(err, errPresent):
		return rec, err
	case errors.Is(err, sql.ErrNoRows) && in.ifAbsent:
		return Record{}, errPresent
	case errors.Is(err, sql.ErrNoRows):
		return Record{}, conflict(ctx, tx, sch, accountID, 0, v)
	case err != nil:
		return Record{}, err
	}
	if err := s.recordWrite(ctx, tx, sch, accountID, rec.ID, v, n.log, now, src, "created"); err != nil {
		return Record{}, err
	}
	for _, a := range in.Associations {
		if err := s.associateInputTx(ctx, tx, accountID, t, rec.ID, a, src); err != nil {
			return Record{}, err
		}
	}
	if h == nil {
		return rec, nil
	}
	changed, err := h.AfterCreate(s.db.WithTx(ctx, tx), tx, Created{AccountID: accountID, Record: rec, Source: src,
		Associated: len(in.Associations) > 0, Prepared: n.prepared})
	if err != nil {
		return Record{}, err
	}
	if !changed {
		return rec, nil
	}
	return s.getTx(ctx, tx, t, accountID, rec.ID)
}

// completeInput adds to v, the parsed values of props, the values h's BeforeCreate completes
// them with.
func (s *Service) completeInput(ctx context.Context, h Hook, sch Schema, accountID int64, props map[string]string, v values) (values, error) {
	more, err := h.BeforeCreate(ctx, accountID, props)
	if err != nil || len(more) == 0 {
		return v, err
	}
	extra, err := sch.parseInput(more, true)
	if err != nil {
		return v, fmt.Errorf("values completing a new %s: %w", sch.Singular, err)
	}
	maps.Copy(v.typed, extra.typed)
	maps.Copy(v.custom, extra.custom)
	maps.Copy(v.raw, extra.raw)
	return v, nil
}

// insertRecord writes a new record and returns it as stored: its id and dates read back from
// the insert (on SQLite, which stores the dates as given, its id alone: see insertion), its
// values formatted from those written as a read formats them. When a live record holds one
// of its unique values it writes nothing and returns sql.ErrNoRows, and the transaction goes
// on (a failed statement would end it on PostgreSQL).
//
// With find set, on PostgreSQL, the same statement also looks for the live record holding
// one of the unique values, and returns its id alone with errPresent when there is one. The
// lookup sees the records committed when the statement began, so a record another
// transaction committed since is refused without being found: sql.ErrNoRows, as without find.
func insertRecord(ctx context.Context, d *db.DB, tx *sql.Tx, sch Schema, n newRecord, now time.Time) (Record, error) {
	if !n.ins.returns {
		return insertReturningNothing(ctx, tx, sch, n, now)
	}
	rec := Record{Type: sch.ObjectType}
	inserted := true
	dest := []any{&rec.ID, &rec.CreatedAt, &rec.UpdatedAt}
	if n.ins.finds {
		dest = append(dest, &inserted)
	}
	err := d.QueryRowTx(ctx, tx, n.ins.query, n.ins.at(now), dest...)
	if err != nil {
		return Record{}, err
	}
	if !inserted {
		return Record{ID: rec.ID}, errPresent
	}
	rec.setValues(n.formatted)
	return rec, nil
}

// insertReturningNothing is insertRecord on SQLite: its insert returns no row, which
// would cost a result set to step through and dates to parse back; the new row's id is
// the connection's last one, and its dates are now, which SQLite stores as given.
func insertReturningNothing(ctx context.Context, tx *sql.Tx, sch Schema, n newRecord, now time.Time) (Record, error) {
	res, err := tx.ExecContext(ctx, n.ins.query, n.ins.at(now)...)
	if err != nil {
		return Record{}, err
	}
	if added, err := res.RowsAffected(); err != nil || added == 0 {
		return Record{}, cmp.Or(err, sql.ErrNoRows) // a live record holds a unique value
	}
	rec := Record{Type: sch.ObjectType, CreatedAt: now, UpdatedAt: now}
	if rec.ID, err = res.LastInsertId(); err != nil {
		return Record{}, err
	}
	rec.setValues(n.formatted)
	return rec, nil
}

// insertAtCommit is insertRecord for a record whose row is written when tx commits (see
// LateInsert): its id is taken from its table's sequence now, and its dates are now, as
// PostgreSQL stores them, to the microsecond.
func (s *Service) insertAtCommit(ctx context.Context, tx *sql.Tx, sch Schema, n newRecord, now time.Time) (Record, error) {
	id, err := s.ids.take(ctx, s.db, sch.Table)
	if err != nil {
		return Record{}, err
	}
	now = now.Truncate(time.Microsecond)
	s.db.LaterInsert(tx, `INSERT INTO `+sch.Table+` (id, `+strings.Join(n.ins.cols, ", ")+`)`, "",
		append([]any{id}, n.ins.at(now)...)...)
	rec := Record{Type: sch.ObjectType, ID: id, CreatedAt: now, UpdatedAt: now}
	rec.setValues(n.formatted)
	return rec, nil
}

// formatValues returns v's values by property name, formatted as a read formats them,
// without the record's id and dates (setValues adds them).
func formatValues(t *ObjectType, v values) map[string]string {
	byColumn := make(map[string]string, len(v.typed))
	for c, val := range v.typed {
		if val != nil {
			byColumn[c], _ = customStorage(Property{}, val)
		}
	}
	out := make(map[string]string, len(byColumn)+len(v.custom)+3)
	for _, p := range t.Properties {
		if text, ok := byColumn[p.Column]; ok {
			out[p.Name] = text
		}
	}
	for name, val := range v.custom {
		if val != nil {
			out[name], _ = customStorage(Property{}, val)
		}
	}
	return out
}

// setValues gives rec the values formatValues made, to which it adds rec's id and dates.
func (rec *Record) setValues(formatted map[string]string) {
	rec.Values = formatted
	rec.fill(make(map[string]string, 3))
}

// insertion is a new record's insert, made from its values before its transaction: the
// columns it writes and their values, whose dates at sets, and insertRecord's statement.
// On PostgreSQL the statement returns the new row's id and dates (returns); on SQLite it
// returns nothing. finds reports whether the statement also looks for the record holding a
// unique value (find, on PostgreSQL, for a record with unique values): its rows then have a
// fourth column, true for the new record.
type insertion struct {
	cols    []string // account_id, created_at, updated_at, then the values' columns
	args    []any
	query   string
	returns bool
	finds   bool
}

// newInsertion makes the insert of a new record of sch with values v.
func newInsertion(engine config.Engine, sch Schema, accountID int64, v values, find bool) insertion {
	ins := insertion{cols: []string{"account_id", "created_at", "updated_at"}, args: []any{accountID, nil, nil}}
	for _, c := range sortedKeys(v.typed) {
		ins.cols = append(ins.cols, c)
		ins.args = append(ins.args, v.typed[c])
	}
	onConflict := ""
	if hasUniqueColumn(sch) {
		onConflict = ` ON CONFLICT DO NOTHING`
	}
	ins.query = `INSERT INTO ` + sch.Table + ` (` + strings.Join(ins.cols, ", ") + `) VALUES (` +
		placeholders(1, len(ins.args)) + `)` + onConflict
	if engine != config.Postgres {
		return ins
	}
	ins.query += ` RETURNING id, created_at, updated_at`
	ins.returns = true
	if !find {
		return ins
	}
	holders, values := uniqueMatch(sch, v, len(ins.args)+1)
	if holders == "" {
		return ins
	}
	ins.query = `WITH ins AS (` + ins.query + `) SELECT id, created_at, updated_at, true FROM ins UNION ALL
		SELECT id, created_at, updated_at, false FROM ` + sch.Table + ` WHERE account_id = $1 AND archived_at IS NULL AND (` +
		holders + `)`
	ins.args = append(ins.args, values...)
	ins.finds = true
	return ins
}

// at sets the insert's dates to now and returns its arguments.
func (ins insertion) at(now time.Time) []any {
	ins.args[1], ins.args[2] = now, now
	return ins.args
}

// hasUniqueColumn reports whether sch's table has a unique index, that of a unique property
// stored in a column of its own. An insert into any other table cannot conflict, and goes
// without ON CONFLICT DO NOTHING, which costs PostgreSQL a speculative insertion: payments
// were written 14 % faster without it (docs/performance.md, twelfth pass).
func hasUniqueColumn(sch Schema) bool {
	for _, p := range sch.Properties {
		if p.Unique && p.Column != "" && !isSystemColumn(p.Column) {
			return true
		}
	}
	return false
}

// uniqueProperties are the unique properties of sch to which v gives a value.
func uniqueProperties(sch Schema, v values) []Property {
	var out []Property
	for _, p := range sch.Properties {
		if raw, ok := v.raw[p.Name]; ok && p.Unique && raw != "" && !isSystemColumn(p.Column) {
			out = append(out, p)
		}
	}
	return out
}

// uniqueMatch is the condition "a unique value of v" and its values, its parameters
// numbered from first; "" when v has none.
func uniqueMatch(sch Schema, v values, first int) (string, []any) {
	var conds []string
	var vals []any
	for i, p := range uniqueProperties(sch, v) {
		conds = append(conds, `lower(`+p.Column+`) = lower($`+strconv.Itoa(first+i)+`)`)
		vals = append(vals, v.raw[p.Name])
	}
	return strings.Join(conds, " OR "), vals
}

// placeholders returns "$from, …, $from+n-1".
func placeholders(from, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = "$" + strconv.Itoa(from+i)
	}
	return strings.Join(ph, ", ")
}

// recordWrite stores custom values, appends history for every value written and the
// timeline entry kind.
func (s *Service) recordWrite(ctx context.Context, tx *sql.Tx, sch Schema, accountID, id int64, v values, log changeLog, now time.Time, src Source, kind string) error {
	if err := writeCustomValues(ctx, tx, sch, accountID, id, v); err != nil {
		return err
	}
	s.appendChangeLog(tx, sch, accountID, id, log, now, src, kind)
	return nil
}

func writeCustomValues(ctx context.Context, tx *sql.Tx, sch Schema, accountID, id int64, v values) error {
	for _, name := range sortedKeys(v.custom) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM crm_custom_values WHERE account_id = $1 AND object_type = $2
			AND object_id = $3 AND property = $4`, accountID, sch.Name, id, name); err != nil {
			return err
		}
		val := v.custom[name]
		if val == nil {
			continue
		}
		p, _ := sch.Lookup(name)
		text, num := customStorage(p, val)
		if _, err := tx.ExecContext(ctx, `INSERT INTO crm_custom_values (account_id, object_type, object_id, property, value, num)
			VALUES ($1, $2, $3, $4, $5, $6)`, accountID, sch.Name, id, name, text, num); err != nil {
			return err
		}
	}
	return nil
}

// customStorage returns the canonical text of a custom value and, for numbers, its number.
func customStorage(p Property, v any) (string, any) {
	switch x := v.(type) {
	case int64:
		return FormatNumber(x), x
	case time.Time:
		return FormatDatetime(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return fmt.Sprint(v), nil
}

// conflict is the answer to a write of v that a live record other than except already holds
// a unique value of: a message naming that record, as existing CRM clients expect. It reads
// in q, the write's transaction, and so must run before any statement of it failed.
func conflict(ctx context.Context, q db.Querier, sch Schema, accountID, except int64, v values) error {
	if err := conflictWith(ctx, q, sch, accountID, except, v); err != nil {
		return err
	}
	return duplicate(sch)
}

// duplicate is the conflict of a write whose unique value a live record holds, when that
// record is not known.
func duplicate(sch Schema) error {
	return problem.Conflict("a %s with these values already exists", sch.Singular)
}

// conflictWith returns the conflict of conflict when a live record other than except holds
// one of v's unique values, and nil when none does.
func conflictWith(ctx context.Context, q db.Querier, sch Schema, accountID, except int64, v values) error {
	for _, p := range uniqueProperties(sch, v) {
		raw := v.raw[p.Name]
		var id int64
		err := q.QueryRowContext(ctx, `SELECT id FROM `+sch.Table+` WHERE account_id = $1 AND lower(`+p.Column+`) = lower($2)
			AND archived_at IS NULL AND id <> $3`, accountID, raw, except).Scan(&id)
		switch {
		case err == nil:
			return problem.Conflict("%s already exists with %s %s. Existing ID: %d", capitalize(sch.Singular), p.Name, raw, id)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
	}
	return nil
}

func capitalize(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Update changes properties of the record identified by id (or by the unique idProperty) and
// returns it.
func (s *Service) Update(ctx context.Context, accountID int64, typeName, id, idProperty string, props map[string]string, src Source) (Record, error) {
	var out Record
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.updateTx(ctx, tx, accountID, typeName, id, idProperty, props, src, false)
		return err
	})
	return out, err
}

// SetProperties changes properties of a record as Settle itself: read-only ones included
// (a payment's status, its refunds). Capabilities use it; the API never does.
func (s *Service) SetProperties(ctx context.Context, accountID int64, typeName string, id int64, props map[string]string, src Source) (Record, error) {
	var out Record
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.updateTx(ctx, tx, accountID, typeName, strconv.FormatInt(id, 10), "", props, src, true)
		return err
	})
	return out, err
}

func (s *Service) updateTx(ctx context.Context, tx *sql.Tx, accountID int64, typeName, id, idProperty string, props map[string]string, src Source, system bool) (Record, error) {
	t, err := s.lookupType(typeName)
	if err != nil {
		return Record{}, err
	}
	sch, err := s.schema(ctx, tx, accountID, t)
	if err != nil {
		return Record{}, err
	}
	rid, err := s.resolveID(ctx, tx, sch, accountID, id, idProperty, false)
	if err != nil {
		return Record{}, err
	}
	v, err := sch.parseInput(props, system)
	if err != nil {
		return Record{}, err
	}
	before, err := s.getTx(ctx, tx, t, accountID, rid)
	if err != nil {
		return Record{}, err
	}
	h := s.hook(t, system)
	if h != nil {
		if err := h.BeforeChange(s.db.WithTx(ctx, tx), accountID, before, props); err != nil {
			return Record{}, err
		}
	}
	v = v.changedFrom(before)
	now := s.clock.Now()
	if err := conflictWith(ctx, tx, sch, accountID, rid, v); err != nil {
		return Record{}, err
	}
	if err := updateColumns(ctx, tx, t, accountID, rid, v, now); err != nil {
		if db.IsUniqueViolation(err) { // a concurrent write took the value since
			return Record{}, duplicate(sch)
		}
		return Record{}, err
	}
	if len(v.raw) > 0 {
		log, err := newChangeLog(sch, v.raw)
		if err != nil {
			return Record{}, err
		}
		if err := s.recordWrite(ctx, tx, sch, accountID, rid, v, log, now, src, "updated"); err != nil {
			return Record{}, err
		}
	}
	after, err := s.getTx(ctx, tx, t, accountID, rid)
	if err != nil || h == nil || len(v.raw) == 0 {
		return after, err
	}
	if err := h.AfterUpdate(s.db.WithTx(ctx, tx), tx, accountID, before, after, src); err != nil {
		return Record{}, err
	}
	return s.getTx(ctx, tx, t, accountID, rid)
}

// changedFrom keeps only the values that differ from the record's current ones, so that
// history and the timeline show real changes ("49.990" does not change a stored "49.99").
func (v values) changedFrom(r Record) values {
	out := values{typed: map[string]any{}, custom: map[string]any{}, raw: map[string]string{}}
	for name, raw := range v.raw {
		p, builtin := r.Type.Property(name)
		parsed := v.custom[name]
		if builtin {
			parsed = v.typed[p.Column]
		}
		cur, has := r.Values[name]
		if (parsed == nil && !has) || (parsed != nil && has && cur == canonicalText(parsed)) {
			continue
		}
		out.raw[name] = raw
		if builtin {
			out.typed[p.Column] = parsed
		} else {
			out.custom[name] = parsed
		}
	}
	return out
}

// canonicalText is how a parsed value reads back.
func canonicalText(v any) string {
	text, _ := customStorage(Property{}, v)
	return text
}

func updateColumns(ctx context.Context, tx *sql.Tx, t *ObjectType, accountID, id int64, v values, now time.Time) error {
	sets := []string{"updated_at = $3"}
	args := []any{accountID, id, now}
	for _, c := range sortedKeys(v.typed) {
		args = append(args, v.typed[c])
		sets = append(sets, c+" = $"+strconv.Itoa(len(args)))
	}
	if len(v.raw) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE `+t.Table+` SET `+strings.Join(sets, ", ")+` WHERE account_id = $1 AND id = $2`, args...)
	return err
}

// resolveID finds a record's id from the path: a numeric id, or the value of a unique
// property named by idProperty.
func (s *Service) resolveID(ctx context.Context, q db.Querier, sch Schema, accountID int64, id, idProperty string, archived bool) (int64, error) {
	if idProperty == "" || idProperty == PropObjectID {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return 0, notFound(sch.ObjectType, id)
		}
		var found int64
		err = q.QueryRowContext(ctx, `SELECT id FROM `+sch.Table+` WHERE account_id = $1 AND id = $2`+archivedClause("", archived), accountID, n).Scan(&found)
		return found, notFoundUnless(err, sch.ObjectType, id)
	}
	p, ok := sch.Lookup(idProperty)
	if !ok || !p.Unique || p.Custom {
		return 0, problem.Invalid("idProperty", "INVALID_ID_PROPERTY", fmt.Sprintf("%q is not a unique property of %s.", idProperty, sch.Name))
	}
	var found int64
	err := q.QueryRowContext(ctx, `SELECT id FROM `+sch.Table+` WHERE account_id = `+unprobed("$1")+` AND lower(`+p.Column+`) = lower($2)`+
		archivedClause("", archived), accountID, id).Scan(&found)
	return found, notFoundUnless(err, sch.ObjectType, id)
}

// unprobed returns param, a statement's parameter, in a form SQLite's query planner does not
// look into. Once a table is analyzed, SQLite plans a statement whose parameter is compared
// with the first column of an index by looking the parameter's value up in the index's
// samples (sqlite_stat4), and then prepares the statement again each time it runs with a
// value bound afresh. A lookup through a partial unique index — a contact by email, once per
// payment recorded — is planned that way, and replanning it took most of its time: 20.4 µs
// instead of 7.9 µs (BenchmarkIDOfByEmail), and 7 % of the server's CPU while recording
// payments. The cast leaves the value and the plan as they were; PostgreSQL reads it as the
// bigint the column is.
func unprobed(param string) string { return "CAST(" + param + " AS BIGINT)" }

func notFoundUnless(err error, t *ObjectType, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(t, id)
	}
	return db.MapError(err)
}

// Archive moves a record to the recycle bin; it can be restored.
func (s *Service) Archive(ctx context.Context, accountID int64, typeName, id string, src Source) error {
	return s.setArchived(ctx, accountID, typeName, id, src, true)
}

// Restore brings an archived record back and returns it.
func (s *Service) Restore(ctx context.Context, accountID int64, typeName, id string, src Source) (Record, error) {
	var out Record
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.setArchivedTx(ctx, tx, accountID, typeName, id, src, false); err != nil {
			return err
		}
		t, _ := s.lookupType(typeName)
		n, _ := strconv.ParseInt(id, 10, 64)
		var err error
		out, err = s.getTx(ctx, tx, t, accountID, n)
		return err
	})
	return out, err
}

func (s *Service) setArchived(ctx context.Context, accountID int64, typeName, id string, src Source, archive bool) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		return s.setArchivedTx(ctx, tx, accountID, typeName, id, src, archive)
	})
}

func (s *Service) setArchivedTx(ctx context.Context, tx *sql.Tx, accountID int64, typeName, id string, src Source, archive bool) error {
	t, err := s.lookupType(typeName)
	if err != nil {
		return err
	}
	rid, err := s.resolveID(ctx, tx, Schema{ObjectType: t}, accountID, id, "", !archive)
	if err != nil {
		return err
	}
	if h := s.hook(t, false); h != nil {
		recs, err := loadRecords(ctx, tx, t, accountID, []int64{rid}, !archive)
		if err == nil && len(recs) == 1 {
			err = h.BeforeChange(s.db.WithTx(ctx, tx), accountID, recs[0], nil)
		}
		if err != nil {
			return err
		}
	}
	now := s.clock.Now()
	var at any
	kind := "restored"
	if archive {
		at, kind = now, "archived"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+t.Table+` SET archived_at = $3, updated_at = $4 WHERE account_id = $1 AND id = $2`,
		accountID, rid, at, now); err != nil {
		if db.IsUniqueViolation(err) {
			return problem.Conflict("cannot restore %s: another live record has its unique values", describe(t, rid))
		}
		return err
	}
	return s.appendActivity(tx, Activity{AccountID: accountID, ObjectType: t.Name, ObjectID: rid, Kind: kind, OccurredAt: now, Source: src})
}
