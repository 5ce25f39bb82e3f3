package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/crm"
)

// ObjectJSON is a CRM record as the CRM API shows it (SimplePublicObject and its
// WithAssociations and WithHistory variants).
type ObjectJSON struct {
	ID                    string                         `json:"id"`
	Properties            map[string]*string             `json:"properties"`
	PropertiesWithHistory map[string][]HistoryJSON       `json:"propertiesWithHistory,omitempty"`
	Associations          map[string]AssociationListJSON `json:"associations,omitempty"`
	CreatedAt             time.Time                      `json:"createdAt"`
	UpdatedAt             time.Time                      `json:"updatedAt"`
	Archived              bool                           `json:"archived"`
	ArchivedAt            *time.Time                     `json:"archivedAt,omitempty"`
}

// HistoryJSON is one past value of a property.
type HistoryJSON struct {
	Value      *string   `json:"value"`
	Timestamp  time.Time `json:"timestamp"`
	SourceType string    `json:"sourceType"`
	SourceID   string    `json:"sourceId,omitempty"`
}

// AssociationListJSON lists associated records inside an object.
type AssociationListJSON struct {
	Results []AssociationRefJSON `json:"results"`
}

// AssociationRefJSON is one associated record inside an object.
type AssociationRefJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// UpsertObjectJSON is a record written by a batch upsert.
type UpsertObjectJSON struct {
	ObjectJSON
	New bool `json:"new"`
}

// objectJSON shows a record with the properties asked for (the type's defaults when none),
// always with its id and its creation and modification dates, as the CRM does. Asked-for
// properties without a value are null; unknown ones are left out. Times are shown to the
// millisecond.
func objectJSON(sch crm.Schema, e crm.Expanded, names []string) ObjectJSON {
	o := ObjectJSON{ID: e.IDString(), Properties: map[string]*string{}, CreatedAt: millis(e.CreatedAt), UpdatedAt: millis(e.UpdatedAt),
		Archived: e.ArchivedAt != nil}
	if e.ArchivedAt != nil {
		at := millis(*e.ArchivedAt)
		o.ArchivedAt = &at
	}
	for _, n := range append(systemDefaults(sch), names...) {
		if _, ok := sch.Lookup(n); !ok {
			continue
		}
		o.Properties[n] = valueOrNil(e.Values, n)
	}
	if len(names) == 0 {
		for _, n := range sch.Defaults {
			o.Properties[n] = valueOrNil(e.Values, n)
		}
	}
	o.PropertiesWithHistory = historyJSON(e.History)
	o.Associations = associationsJSON(e.Associations)
	return o
}

func valueOrNil(values map[string]string, name string) *string {
	if v, ok := values[name]; ok {
		return &v
	}
	return nil
}

// systemDefaults are the defaults every answer carries: the id and the date properties.
func systemDefaults(sch crm.Schema) []string {
	var out []string
	for _, n := range sch.Defaults {
		if p, ok := sch.Lookup(n); ok && p.Group == "system" {
			out = append(out, n)
		}
	}
	return out
}

func millis(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func historyJSON(h map[string][]crm.HistoryEntry) map[string][]HistoryJSON {
	if len(h) == 0 {
		return nil
	}
	out := map[string][]HistoryJSON{}
	for name, entries := range h {
		for _, e := range entries {
			out[name] = append(out[name], HistoryJSON{Value: e.Value, Timestamp: e.Timestamp, SourceType: e.Source.Type, SourceID: e.Source.ID})
		}
	}
	return out
}

func associationsJSON(a map[string][]crm.AssociatedRecord) map[string]AssociationListJSON {
	if len(a) == 0 {
		return nil
	}
	out := map[string]AssociationListJSON{}
	for key, recs := range a {
		list := AssociationListJSON{Results: []AssociationRefJSON{}}
		for _, r := range recs {
			for _, t := range r.Types {
				list.Results = append(list.Results, AssociationRefJSON{ID: strconv.FormatInt(r.ID, 10), Type: t.Name})
			}
		}
		out[key] = list
	}
	return out
}

// PagingJSON points at the next page.
type PagingJSON struct {
	Next *NextJSON `json:"next,omitempty"`
}

// NextJSON is the cursor of the next page and, for lists, its link.
type NextJSON struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

// ObjectPageJSON is a page of records.
type ObjectPageJSON struct {
	Results []ObjectJSON `json:"results"`
	Paging  *PagingJSON  `json:"paging,omitempty"`
}

// SearchPageJSON is a page of search results. Total counts the matches up to 10,000, the
// most a search pages through; when more match, Total is 10,000 and TotalCapped is true.
type SearchPageJSON struct {
	Total       int          `json:"total"`
	TotalCapped bool         `json:"totalCapped,omitempty"`
	Results     []ObjectJSON `json:"results"`
	Paging      *PagingJSON  `json:"paging,omitempty"`
}

// flexID is an id that clients send as a JSON string or number.
type flexID string

// UnmarshalJSON accepts "123" and 123.
func (f *flexID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexID(n.String())
	return nil
}

// PropertyValues are the property values of a write. The CRM sends them as strings; JavaScript
// callers of its client also send numbers and booleans, which are read as their JSON text.
// null clears a value, as "" does.
type PropertyValues map[string]string

// UnmarshalJSON reads an object of strings, numbers, booleans and nulls.
func (v *PropertyValues) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(PropertyValues, len(raw))
	for name, r := range raw {
		var s string
		switch {
		case json.Unmarshal(r, &s) == nil:
		case len(r) > 0 && (r[0] == '-' || r[0] >= '0' && r[0] <= '9' || r[0] == 't' || r[0] == 'f'):
			s = string(r)
		default:
			return &json.UnmarshalTypeError{Value: "object or array", Type: reflect.TypeFor[string](), Field: name}
		}
		out[name] = s
	}
	*v = out
	return nil
}

// queryList reads a query array given repeated (?p=a&p=b) or comma-separated (?p=a,b).
func queryList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
