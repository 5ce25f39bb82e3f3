package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/problem"
)

// ObjectCreate is the body of a create: properties and, optionally, associations.
type ObjectCreate struct {
	Properties   PropertyValues          `json:"properties"`
	Associations []AssociationCreateJSON `json:"associations,omitempty"`
}

// AssociationCreateJSON associates a new record with an existing one.
type AssociationCreateJSON struct {
	To struct {
		ID flexID `json:"id"`
	} `json:"to"`
	Types []AssociationSpecJSON `json:"types"`
}

// AssociationSpecJSON names an association type.
type AssociationSpecJSON struct {
	AssociationCategory string `json:"associationCategory"`
	AssociationTypeID   int    `json:"associationTypeId"`
}

// ObjectUpdate is the body of an update.
type ObjectUpdate struct {
	Properties PropertyValues `json:"properties"`
}

// crm list limits.
const (
	defaultListLimit = 10
	maxListLimit     = 100
)

func (a *API) crmObjectRoutes() []Route {
	const path = "/crm/v3/objects/{objectType}"
	return []Route{
		{Method: "GET", Path: path, Access: Authenticated, Tag: "CRM objects", Summary: "List records of a type, oldest first (scope crm.objects.<type>.read)",
			Response: ObjectPageJSON{}, Status: 200, handle: a.listObjects},
		{Method: "POST", Path: path, Access: Authenticated, Tag: "CRM objects", Summary: "Create a record (scope crm.objects.<type>.write)",
			Request: ObjectCreate{}, Response: ObjectJSON{}, Status: 201, handle: a.createObject},
		{Method: "GET", Path: path + "/{objectId}", Access: Authenticated, Tag: "CRM objects", Summary: "Read a record by id or by idProperty",
			Response: ObjectJSON{}, Status: 200, handle: a.getObject},
		{Method: "PATCH", Path: path + "/{objectId}", Access: Authenticated, Tag: "CRM objects", Summary: "Change a record's properties",
			Request: ObjectUpdate{}, Response: ObjectJSON{}, Status: 200, handle: a.updateObject},
		{Method: "DELETE", Path: path + "/{objectId}", Access: Authenticated, Tag: "CRM objects", Summary: "Archive a record (it can be restored)",
			Status: 204, handle: a.archiveObject},
		{Method: "POST", Path: "/settle/v1/objects/{objectType}/{objectId}/restore", Access: Authenticated, Tag: "CRM objects",
			Summary: "Restore an archived record", Response: ObjectJSON{}, Status: 200, handle: a.restoreObject},
		{Method: "GET", Path: "/settle/v1/objects/{objectType}/{objectId}/history", Access: Authenticated, Tag: "CRM objects",
			Summary: "A record's timeline, newest first", Response: list[ActivityJSON]{}, Status: 200, handle: a.objectHistory},
	}
}

func (a *API) listObjects(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	limit, after, err := listPaging(r.URL.Query(), defaultListLimit, maxListLimit)
	if err != nil {
		return err
	}
	names, opts := readOptions(r)
	page, err := a.deps.CRM.List(r.Context(), p.AccountID, t.Name, crm.ListOptions{ReadOptions: opts, Limit: limit, After: after})
	if err != nil {
		return err
	}
	sch, err := a.deps.CRM.Schema(r.Context(), p.AccountID, t.Name)
	if err != nil {
		return err
	}
	out := ObjectPageJSON{Results: make([]ObjectJSON, len(page.Results))}
	for i, e := range page.Results {
		out.Results[i] = objectJSON(sch, e, names)
	}
	if page.Next != 0 {
		out.Paging = nextPage(r, strconv.FormatInt(page.Next, 10))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// listPaging reads limit and after: after is the opaque cursor of the previous page.
func listPaging(q url.Values, def, max int) (int, int64, error) {
	limit := def
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > max {
			return 0, 0, problem.Invalid("limit", "INVALID_LIMIT", "limit must be between 1 and "+strconv.Itoa(max)+".")
		}
		limit = n
	}
	var after int64
	if s := q.Get("after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, problem.Invalid("after", "INVALID_AFTER", "after must be the cursor of a previous page.")
		}
		after = n
	}
	return limit, after, nil
}

// nextPage is the paging of a list page: the cursor and the link that fetches it.
func nextPage(r *http.Request, after string) *PagingJSON {
	q := r.URL.Query()
	q.Set("after", after)
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return &PagingJSON{Next: &NextJSON{After: after, Link: u.String()}}
}

func (a *API) createObject(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	var body ObjectCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	rec, err := a.deps.CRM.Create(r.Context(), p.AccountID, t.Name, crm.Input{Properties: body.Properties,
		Associations: associationInputs(body.Associations)}, source(p))
	if err != nil {
		return err
	}
	return a.writeRecord(w, r, p, http.StatusCreated, rec, nil)
}

func associationInputs(in []AssociationCreateJSON) []crm.AssociationInput {
	out := make([]crm.AssociationInput, 0, len(in))
	for _, a := range in {
		out = append(out, crm.AssociationInput{ToID: string(a.To.ID), Types: specs(a.Types)})
	}
	return out
}

func specs(in []AssociationSpecJSON) []crm.AssociationSpec {
	out := make([]crm.AssociationSpec, len(in))
	for i, s := range in {
		out[i] = crm.AssociationSpec{Category: s.AssociationCategory, TypeID: s.AssociationTypeID}
	}
	return out
}

// writeRecord answers with one record, showing the properties written and the defaults.
func (a *API) writeRecord(w http.ResponseWriter, r *http.Request, p auth.Principal, status int, rec crm.Record, names []string) error {
	sch, err := a.deps.CRM.SchemaOf(r.Context(), p.AccountID, rec)
	if err != nil {
		return err
	}
	if names == nil {
		names = append(append([]string{}, sch.Defaults...), writtenNames(rec)...)
	}
	writeJSON(w, status, objectJSON(sch, crm.Expanded{Record: rec}, names))
	return nil
}

// writtenNames lists the record's properties that have a value.
func writtenNames(rec crm.Record) []string {
	names := make([]string, 0, len(rec.Values))
	for n := range rec.Values {
		names = append(names, n)
	}
	return names
}

func (a *API) getObject(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	names, opts := readOptions(r)
	e, err := a.deps.CRM.Get(r.Context(), p.AccountID, t.Name, r.PathValue("objectId"), r.URL.Query().Get("idProperty"), opts)
	if err != nil {
		return err
	}
	sch, err := a.deps.CRM.Schema(r.Context(), p.AccountID, t.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, objectJSON(sch, e, names))
	return nil
}

func (a *API) updateObject(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	var body ObjectUpdate
	if err := decode(r, &body); err != nil {
		return err
	}
	rec, err := a.deps.CRM.Update(r.Context(), p.AccountID, t.Name, r.PathValue("objectId"), r.URL.Query().Get("idProperty"),
		body.Properties, source(p))
	if err != nil {
		return err
	}
	return a.writeRecord(w, r, p, http.StatusOK, rec, nil)
}

func (a *API) archiveObject(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	if err := a.deps.CRM.Archive(r.Context(), p.AccountID, t.Name, r.PathValue("objectId"), source(p)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) restoreObject(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	rec, err := a.deps.CRM.Restore(r.Context(), p.AccountID, t.Name, r.PathValue("objectId"), source(p))
	if err != nil {
		return err
	}
	return a.writeRecord(w, r, p, http.StatusOK, rec, nil)
}
