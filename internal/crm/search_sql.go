package crm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/problem"
)

// query is SQL being built with its parameters, numbered $1, $2… in order.
type query struct {
	args []any
}

// arg adds a parameter and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// compiled is a search turned into SQL: the WHERE condition (after the account and archived
// conditions) and the ORDER BY.
type compiled struct {
	types     *Registry
	q         query
	whereArgs int // how many of q's parameters the WHERE condition uses
	where     string
	orderBy   string
	joins     string
}

// compileSearch checks req against the schema and compiles it. $1 is the account id.
func compileSearch(types *Registry, sch Schema, accountID int64, req SearchRequest) (compiled, error) {
	c := compiled{types: types}
	c.q.arg(accountID)
	inv := &problem.InvalidError{Summary: "The search is not valid"}
	var groups []string
	for _, g := range req.FilterGroups {
		var conds []string
		for _, f := range g.Filters {
			if cond, ok := c.filter(sch, f, inv); ok {
				conds = append(conds, cond)
			}
		}
		if len(conds) > 0 {
			groups = append(groups, "("+strings.Join(conds, " AND ")+")")
		}
	}
	where := "t.account_id = $1 AND t.archived_at IS NULL"
	if len(groups) > 0 {
		where += " AND (" + strings.Join(groups, " OR ") + ")"
	}
	if req.Query != "" {
		where += " AND " + c.textQuery(sch, req.Query)
	}
	c.where, c.whereArgs = where, len(c.q.args)
	c.orderBy = c.sort(sch, req.Sorts, inv)
	return c, inv.OrNil()
}

// filter compiles one filter, or records why it cannot be.
func (c *compiled) filter(sch Schema, f Filter, inv *problem.InvalidError) (string, bool) {
	if !f.check(inv) {
		return "", false
	}
	if target, ok := strings.CutPrefix(f.PropertyName, "associations."); ok {
		return c.associationFilter(sch, target, f, inv)
	}
	p, ok := sch.Lookup(f.PropertyName)
	if !ok {
		inv.Addf("filters."+f.PropertyName, "PROPERTY_DOESNT_EXIST", "Property %q does not exist on %s.", f.PropertyName, sch.Name)
		return "", false
	}
	vals, err := filterValues(p, f)
	if err != nil {
		inv.Add("filters."+f.PropertyName, "INVALID_VALUE", err.Error())
		return "", false
	}
	if f.Operator == "CONTAINS_TOKEN" || f.Operator == "NOT_CONTAINS_TOKEN" {
		if p.Type != String && p.Type != Enumeration {
			inv.Addf("filters."+f.PropertyName, "INVALID_OPERATOR", "%s works on text properties only.", f.Operator)
			return "", false
		}
	}
	if p.Custom {
		return c.customFilter(sch, p, f, vals), true
	}
	return c.condition("t."+p.Column, p.Type == String, f.Operator, vals), true
}

// columnExpr is how a property is compared: strings case-insensitively.
func columnExpr(p Property, alias string) string {
	if p.Type == String {
		return "lower(" + alias + p.Column + ")"
	}
	return alias + p.Column
}

// filterValues parses a filter's operands into storage form (lower-cased for strings).
func filterValues(p Property, f Filter) ([]any, error) {
	var raws []string
	switch f.Operator {
	case "HAS_PROPERTY", "NOT_HAS_PROPERTY":
		return nil, nil
	case "IN", "NOT_IN":
		raws = f.Values
	case "BETWEEN":
		raws = []string{f.Value, f.HighValue}
	case "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN":
		return []any{tokenPattern(f.Value)}, nil
	default:
		raws = []string{f.Value}
	}
	out := make([]any, len(raws))
	for i, raw := range raws {
		v, err := filterValue(p, raw)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func filterValue(p Property, raw string) (any, error) {
	switch p.Type {
	case String:
		return strings.ToLower(raw), nil
	case Enumeration:
		return raw, nil // enumerations compare case-sensitively, options or not
	}
	if raw == "" {
		return nil, fmt.Errorf("a value is needed for %s", p.Name)
	}
	if p.Column == "id" { // the record id is a plain integer, not a number in millionths
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a record id", raw)
		}
		return id, nil
	}
	v, err := parseValue(Property{Name: p.Name, Type: p.Type}, raw)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// tokenPattern turns a CONTAINS_TOKEN value into a LIKE pattern: with * wildcards the value
// must match as a whole ("*@example.com"), without them it may appear anywhere.
func tokenPattern(v string) string {
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(v))
	if strings.Contains(esc, "*") {
		return strings.ReplaceAll(esc, "*", "%")
	}
	return "%" + esc + "%"
}

// condition compiles an operator on a column; text compares case-insensitively.
func (c *compiled) condition(col string, lower bool, op string, vals []any) string {
	cmp := col
	if lower {
		cmp = "lower(" + col + ")"
	}
	switch op {
	case "HAS_PROPERTY":
		return col + " IS NOT NULL"
	case "NOT_HAS_PROPERTY":
		return col + " IS NULL"
	case "EQ":
		return cmp + " = " + c.q.arg(vals[0])
	case "NEQ":
		return "(" + col + " IS NULL OR " + cmp + " <> " + c.q.arg(vals[0]) + ")"
	case "LT", "LTE", "GT", "GTE":
		return cmp + " " + map[string]string{"LT": "<", "LTE": "<=", "GT": ">", "GTE": ">="}[op] + " " + c.q.arg(vals[0])
	case "BETWEEN":
		return cmp + " BETWEEN " + c.q.arg(vals[0]) + " AND " + c.q.arg(vals[1])
	case "IN":
		return cmp + " IN (" + c.argList(vals) + ")"
	case "NOT_IN":
		return "(" + col + " IS NULL OR " + cmp + " NOT IN (" + c.argList(vals) + "))"
	case "CONTAINS_TOKEN":
		return "lower(" + col + ") LIKE " + c.q.arg(vals[0]) + ` ESCAPE '\'`
	}
	return "(" + col + " IS NULL OR lower(" + col + ") NOT LIKE " + c.q.arg(vals[0]) + ` ESCAPE '\')` // NOT_CONTAINS_TOKEN
}

func (c *compiled) argList(vals []any) string {
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = c.q.arg(v)
	}
	return strings.Join(ph, ", ")
}

// customFilter compiles a filter on an account's own property: a condition on its stored
// value, inside EXISTS, or NOT EXISTS for the operators that also match records without one.
func (c *compiled) customFilter(sch Schema, p Property, f Filter, vals []any) string {
	col := "v.value"
	if p.Type == Number {
		col = "v.num"
	} else if p.Type != String {
		vals = textValues(vals)
	}
	exists := "EXISTS (SELECT 1 FROM crm_custom_values v WHERE v.account_id = t.account_id AND v.object_type = " +
		c.q.arg(sch.Name) + " AND v.object_id = t.id AND v.property = " + c.q.arg(p.Name)
	switch f.Operator {
	case "HAS_PROPERTY":
		return exists + ")"
	case "NOT_HAS_PROPERTY":
		return "NOT " + exists + ")"
	case "NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN":
		positive := map[string]string{"NEQ": "EQ", "NOT_IN": "IN", "NOT_CONTAINS_TOKEN": "CONTAINS_TOKEN"}[f.Operator]
		return "NOT " + exists + " AND " + c.condition(col, p.Type == String, positive, vals) + ")"
	}
	return exists + " AND " + c.condition(col, p.Type == String, f.Operator, vals) + ")"
}

// textValues turns parsed values into the canonical text custom values are stored as.
func textValues(vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i] = s
			continue
		}
		out[i] = canonicalText(v)
	}
	return out
}

// associationFilter compiles associations.{type} EQ id (or IN ids): records linked to it.
func (c *compiled) associationFilter(sch Schema, target string, f Filter, inv *problem.InvalidError) (string, bool) {
	to, err := c.types.Lookup(target)
	if err != nil || (f.Operator != "EQ" && f.Operator != "IN") {
		inv.Addf("filters."+f.PropertyName, "INVALID_ASSOCIATION_FILTER",
			"%s: filter on associations.<type> with EQ or IN and record ids.", f.PropertyName)
		return "", false
	}
	ids := f.Values
	if f.Operator == "EQ" {
		ids = []string{f.Value}
	}
	var vals []any
	for _, s := range ids {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			inv.Addf("filters."+f.PropertyName, "INVALID_VALUE", "%q is not a record id.", s)
			return "", false
		}
		vals = append(vals, n)
	}
	return "t.id IN (SELECT a.to_id FROM crm_associations a WHERE a.account_id = $1 AND a.from_type = " +
		c.q.arg(to.Name) + " AND a.from_id IN (" + c.argList(vals) + ") AND a.to_type = " + c.q.arg(sch.Name) + ")", true
}

// sort compiles the one sort, or the default: creation order. A record without a value
// counts as lower than any value: first when ascending, last when descending. That is the
// order both engines' indexes keep (SQLite's by nature, PostgreSQL's since migrations 013
// and 015). Records with equal values follow in creation order, as their property's index
// keeps them — (account_id, property, created_at), then the id — so a sort in either
// direction reads the index and stops after the page instead of sorting every match. Only
// records without a value can be equal on a unique property; its index has no creation
// date, so they follow by id.
func (c *compiled) sort(sch Schema, sorts []Sort, inv *problem.InvalidError) string {
	if len(sorts) == 0 {
		return "t.created_at, t.id"
	}
	s := sorts[0]
	p, ok := sch.Lookup(s.PropertyName)
	if !ok {
		inv.Addf("sorts", "PROPERTY_DOESNT_EXIST", "Cannot sort on %q: no such property on %s.", s.PropertyName, sch.Name)
		return ""
	}
	idDir, nulls := " ASC", " NULLS FIRST"
	if s.Descending {
		idDir, nulls = " DESC", " NULLS LAST"
	}
	dir, ties := idDir+nulls, ", t.created_at"+idDir+", t.id"+idDir
	if p.Unique {
		ties = ", t.id" + idDir
	}
	if p.Custom {
		c.joins = " LEFT JOIN crm_custom_values sv ON sv.account_id = t.account_id AND sv.object_type = " + c.q.arg(sch.Name) +
			" AND sv.object_id = t.id AND sv.property = " + c.q.arg(p.Name)
		col := "sv.value"
		if p.Type == Number {
			col = "sv.num"
		}
		return col + dir + ties
	}
	if isSystemColumn(p.Column) { // never null; their indexes' order is the default one
		return "t." + p.Column + idDir + ", t.id" + idDir
	}
	return columnExpr(p, "t.") + dir + ties
}

// textQuery matches the query text in the type's display property.
func (c *compiled) textQuery(sch Schema, text string) string {
	pattern := c.q.arg(tokenPattern(text))
	var ors []string
	for _, name := range searchableProperties(sch.ObjectType) {
		if p, ok := sch.Lookup(name); ok {
			ors = append(ors, "lower(t."+p.Column+") LIKE "+pattern+` ESCAPE '\'`)
		}
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// searchableProperties are the text properties the query text looks in.
func searchableProperties(t *ObjectType) []string {
	switch t.Name {
	case "contacts":
		return []string{"email", "firstname", "lastname", "phone", "company"}
	case "companies":
		return []string{"name", "domain", "website", "phone"}
	}
	return []string{t.Display}
}
