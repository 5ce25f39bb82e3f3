package api

import (
	"io"
	"net/http"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
)

// SearchRequestJSON documents the search body: filter groups (OR) of filters (AND), one
// sort, the properties to return, limit (≤ 200) and after (an offset, ≤ 10,000).
type SearchRequestJSON struct {
	FilterGroups []struct {
		Filters []struct {
			PropertyName string   `json:"propertyName"`
			Operator     string   `json:"operator" enum:"EQ,NEQ,LT,LTE,GT,GTE,BETWEEN,IN,NOT_IN,HAS_PROPERTY,NOT_HAS_PROPERTY,CONTAINS_TOKEN,NOT_CONTAINS_TOKEN"`
			Value        string   `json:"value,omitempty"`
			HighValue    string   `json:"highValue,omitempty"`
			Values       []string `json:"values,omitempty"`
		} `json:"filters"`
	} `json:"filterGroups,omitempty"`
	Sorts      []any    `json:"sorts,omitempty"`
	Query      string   `json:"query,omitempty"`
	Properties []string `json:"properties,omitempty"`
	Limit      int      `json:"limit,omitempty"`
	After      string   `json:"after,omitempty"`
}

func (a *API) crmSearchRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/crm/v3/objects/{objectType}/search", Access: Authenticated, Tag: "CRM objects",
			Summary: "Search records with filter groups, one sort and paging (total counted up to 10,000)", Request: SearchRequestJSON{},
			Response: SearchPageJSON{}, Status: 200, handle: a.searchObjects},
	}
}

func (a *API) searchObjects(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return err
	}
	req, err := crm.ParseSearchRequest(body)
	if err != nil {
		return err
	}
	res, err := a.deps.CRM.Search(r.Context(), p.AccountID, t.Name, req)
	if err != nil {
		return err
	}
	sch, err := a.deps.CRM.Schema(r.Context(), p.AccountID, t.Name)
	if err != nil {
		return err
	}
	out := SearchPageJSON{Total: res.Total, TotalCapped: res.Capped, Results: make([]ObjectJSON, len(res.Results))}
	for i, rec := range res.Results {
		out.Results[i] = objectJSON(sch, crm.Expanded{Record: rec}, req.Properties)
	}
	if res.Next >= 0 {
		out.Paging = &PagingJSON{Next: &NextJSON{After: strconv.Itoa(res.Next)}}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
