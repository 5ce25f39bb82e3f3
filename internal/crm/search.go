package crm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/problem"
)

// Search limits, as the CRM documents them.
const (
	MaxFilterGroups     = 5
	MaxFiltersPerGroup  = 6
	MaxFilters          = 18
	MaxSearchLimit      = 200
	DefaultSearchLimit  = 10
	MaxSearchResults    = 10_000
	MaxSearchQueryChars = 3000
)

// Operators a filter may use.
var operators = map[string]bool{"EQ": true, "NEQ": true, "LT": true, "LTE": true, "GT": true, "GTE": true,
	"BETWEEN": true, "IN": true, "NOT_IN": true, "HAS_PROPERTY": true, "NOT_HAS_PROPERTY": true,
	"CONTAINS_TOKEN": true, "NOT_CONTAINS_TOKEN": true}

// Filter is one condition on a property.
type Filter struct {
	PropertyName string
	Operator     string
	Value        string
	HighValue    string
	Values       []string
	hasValue     bool
}

// FilterGroup is filters that must all match; a search matches when any group does.
type FilterGroup struct {
	Filters []Filter
}

// Sort orders results by one property.
type Sort struct {
	PropertyName string
	Descending   bool
}

// SearchRequest is a search as the API receives it.
type SearchRequest struct {
	FilterGroups []FilterGroup
	Sorts        []Sort
	Query        string
	Properties   []string
	Limit        int
	// After is the offset of the first result to return.
	After int
}

// searchJSON is the wire form; values may come as strings or numbers, sorts as objects or
// strings ("hs_createdate", "-hs_createdate").
type searchJSON struct {
	FilterGroups []struct {
		Filters []struct {
			PropertyName string            `json:"propertyName"`
			Operator     string            `json:"operator"`
			Value        json.RawMessage   `json:"value"`
			HighValue    json.RawMessage   `json:"highValue"`
			Values       []json.RawMessage `json:"values"`
		} `json:"filters"`
	} `json:"filterGroups"`
	Sorts      []json.RawMessage `json:"sorts"`
	Query      string            `json:"query"`
	Properties []string          `json:"properties"`
	Limit      *int              `json:"limit"`
	After      json.RawMessage   `json:"after"`
}

// ParseSearchRequest reads and checks a search body: shapes, limits and paging. Properties
// are checked against a schema later, by Search.
func ParseSearchRequest(body []byte) (SearchRequest, error) {
	var w searchJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&w); err != nil {
		return SearchRequest{}, problem.Invalid("", "INVALID_JSON", "The search body is not valid JSON: "+err.Error())
	}
	inv := &problem.InvalidError{}
	req := SearchRequest{Query: w.Query, Properties: w.Properties, Limit: DefaultSearchLimit}
	req.FilterGroups = parseGroups(w, inv)
	req.Sorts = parseSorts(w.Sorts, inv)
	if w.Limit != nil {
		req.Limit = *w.Limit
	}
	req.After = parseAfter(w.After, inv)
	checkLimits(req, inv)
	return req, inv.OrNil()
}

func parseGroups(w searchJSON, inv *problem.InvalidError) []FilterGroup {
	var groups []FilterGroup
	for _, g := range w.FilterGroups {
		var fg FilterGroup
		for _, f := range g.Filters {
			flt := Filter{PropertyName: f.PropertyName, Operator: strings.ToUpper(f.Operator)}
			flt.Value, flt.hasValue = scalar(f.Value, inv)
			flt.HighValue, _ = scalar(f.HighValue, inv)
			for _, v := range f.Values {
				s, _ := scalar(v, inv)
				flt.Values = append(flt.Values, s)
			}
			fg.Filters = append(fg.Filters, flt)
		}
		groups = append(groups, fg)
	}
	return groups
}

// scalar reads a JSON string, number or boolean as its string; absent is ("", false).
func scalar(raw json.RawMessage, inv *problem.InvalidError) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&n) == nil {
		return n.String(), true
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return strconv.FormatBool(b), true
	}
	inv.Add("filters", "INVALID_VALUE", "Filter values must be strings or numbers.")
	return "", false
}

func parseSorts(raw []json.RawMessage, inv *problem.InvalidError) []Sort {
	var out []Sort
	for _, r := range raw {
		var name string
		if json.Unmarshal(r, &name) == nil {
			desc := strings.HasPrefix(name, "-")
			out = append(out, Sort{PropertyName: strings.TrimPrefix(name, "-"), Descending: desc})
			continue
		}
		var obj struct {
			PropertyName string `json:"propertyName"`
			Direction    string `json:"direction"`
		}
		if err := json.Unmarshal(r, &obj); err != nil || obj.PropertyName == "" {
			inv.Add("sorts", "INVALID_SORT", `A sort is {"propertyName": "…", "direction": "ASCENDING" | "DESCENDING"} or a property name.`)
			continue
		}
		dir := strings.ToUpper(obj.Direction)
		if dir != "" && dir != "ASCENDING" && dir != "DESCENDING" {
			inv.Addf("sorts", "INVALID_SORT", "Sort direction %q is not ASCENDING or DESCENDING.", obj.Direction)
		}
		out = append(out, Sort{PropertyName: obj.PropertyName, Descending: dir == "DESCENDING"})
	}
	return out
}

func parseAfter(raw json.RawMessage, inv *problem.InvalidError) int {
	s, ok := scalar(raw, inv)
	if !ok || s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		inv.Add("after", "INVALID_AFTER", "after must be formatted as an integer: the offset of the next page.")
		return 0
	}
	return n
}

func checkLimits(req SearchRequest, inv *problem.InvalidError) {
	total := 0
	if len(req.FilterGroups) > MaxFilterGroups {
		inv.Addf("filterGroups", "TOO_MANY_FILTER_GROUPS", "At most %d filter groups are allowed, not %d.", MaxFilterGroups, len(req.FilterGroups))
	}
	for _, g := range req.FilterGroups {
		total += len(g.Filters)
		if len(g.Filters) > MaxFiltersPerGroup {
			inv.Addf("filters", "TOO_MANY_FILTERS", "At most %d filters per group are allowed, not %d.", MaxFiltersPerGroup, len(g.Filters))
		}
	}
	if total > MaxFilters {
		inv.Addf("filters", "TOO_MANY_FILTERS", "At most %d filters in all are allowed, not %d.", MaxFilters, total)
	}
	if len(req.Sorts) > 1 {
		inv.Add("sorts", "TOO_MANY_SORTS", "Only one sort is allowed.")
	}
	if req.Limit < 1 || req.Limit > MaxSearchLimit {
		inv.Addf("limit", "INVALID_LIMIT", "limit must be between 1 and %d, not %d.", MaxSearchLimit, req.Limit)
	}
	if req.After+req.Limit > MaxSearchResults && req.After > 0 {
		inv.Addf("after", "PAGING_LIMIT", "Search results are limited to the first %d; narrow the filters instead of paging past them.", MaxSearchResults)
	}
	if len(req.Query) > MaxSearchQueryChars {
		inv.Addf("query", "QUERY_TOO_LONG", "query must be at most %d characters.", MaxSearchQueryChars)
	}
}

// checkFilter verifies an operator's operands.
func (f Filter) check(inv *problem.InvalidError) bool {
	field := "filters." + f.PropertyName
	switch {
	case !operators[f.Operator]:
		inv.Addf(field, "INVALID_OPERATOR", "%q is not a filter operator.", f.Operator)
	case f.Operator == "BETWEEN" && (!f.hasValue || f.HighValue == ""):
		inv.Add(field, "MISSING_VALUE", "BETWEEN needs value and highValue.")
	case (f.Operator == "IN" || f.Operator == "NOT_IN") && len(f.Values) == 0:
		inv.Addf(field, "MISSING_VALUE", "%s needs values.", f.Operator)
	case f.Operator != "HAS_PROPERTY" && f.Operator != "NOT_HAS_PROPERTY" && f.Operator != "IN" &&
		f.Operator != "NOT_IN" && !f.hasValue:
		inv.Addf(field, "MISSING_VALUE", "%s needs a value.", f.Operator)
	default:
		return true
	}
	return false
}

func (f Filter) String() string { return fmt.Sprintf("%s %s %q", f.PropertyName, f.Operator, f.Value) }
