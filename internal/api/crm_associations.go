package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
)

// AssociationTypeJSON is one association type of a link (v4).
type AssociationTypeJSON struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

// AssociatedJSON is one associated record and the types linking it (v4).
type AssociatedJSON struct {
	ToObjectID       string                `json:"toObjectId"`
	AssociationTypes []AssociationTypeJSON `json:"associationTypes"`
}

// AssociationPageJSON is a page of associations (v4).
type AssociationPageJSON struct {
	Results []AssociatedJSON `json:"results"`
	Paging  *PagingJSON      `json:"paging,omitempty"`
}

// LabelsBetweenJSON answers a labelled association: the types now linking the two records.
type LabelsBetweenJSON struct {
	FromObjectTypeID string   `json:"fromObjectTypeId"`
	FromObjectID     string   `json:"fromObjectId"`
	ToObjectTypeID   string   `json:"toObjectTypeId"`
	ToObjectID       string   `json:"toObjectId"`
	Labels           []string `json:"labels"`
}

// IDJSON wraps an id.
type IDJSON struct {
	ID flexID `json:"id"`
}

// DefaultAssociationJSON is one default association written.
type DefaultAssociationJSON struct {
	From            IDJSON              `json:"from"`
	To              IDJSON              `json:"to"`
	AssociationSpec AssociationSpecJSON `json:"associationSpec"`
}

// DefaultBatchJSON answers default associations.
type DefaultBatchJSON struct {
	Status      string                   `json:"status"`
	Results     []DefaultAssociationJSON `json:"results"`
	StartedAt   time.Time                `json:"startedAt"`
	CompletedAt time.Time                `json:"completedAt"`
}

// association types reach the API through the route's object types; both must be readable and,
// for writes, writable.
func (a *API) typePair(r *http.Request, p auth.Principal, write bool) (*crm.ObjectType, *crm.ObjectType, error) {
	from, err := a.objectType(r, p, "fromObjectType", write)
	if err != nil {
		return nil, nil, err
	}
	to, err := a.objectType(r, p, "toObjectType", write)
	return from, to, err
}

func (a *API) crmAssociationRoutes() []Route {
	const rec = "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/"
	return []Route{
		{Method: "GET", Path: rec + "{toObjectType}", Access: Authenticated, Tag: "CRM associations",
			Summary: "List a record's associations to a type (limit ≤ 500)", Response: AssociationPageJSON{}, Status: 200, handle: a.listAssociations},
		{Method: "PUT", Path: rec + "{toObjectType}/{toObjectId}", Access: Authenticated, Tag: "CRM associations",
			Summary: "Associate two records with the given types", Request: []AssociationSpecJSON{}, Response: LabelsBetweenJSON{},
			Status: 201, handle: a.associate},
		{Method: "DELETE", Path: rec + "{toObjectType}/{toObjectId}", Access: Authenticated, Tag: "CRM associations",
			Summary: "Remove every association between two records", Status: 204, handle: a.dissociate},
		{Method: "PUT", Path: "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
			Access: Authenticated, Tag: "CRM associations", Summary: "Associate two records with the default type",
			Response: DefaultBatchJSON{}, Status: 200, handle: a.associateDefault},
	}
}

func (a *API) listAssociations(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, false)
	if err != nil {
		return err
	}
	limit, after, err := listPaging(r.URL.Query(), 500, 500)
	if err != nil {
		return err
	}
	page, err := a.deps.CRM.Associations(r.Context(), p.AccountID, from.Name, r.PathValue("fromObjectId"), to.Name, after, limit)
	if err != nil {
		return err
	}
	out := AssociationPageJSON{Results: associatedJSON(page.Results)}
	if page.Next != 0 {
		out.Paging = nextPage(r, strconv.FormatInt(page.Next, 10))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func associatedJSON(recs []crm.AssociatedRecord) []AssociatedJSON {
	out := make([]AssociatedJSON, len(recs))
	for i, rec := range recs {
		out[i] = AssociatedJSON{ToObjectID: strconv.FormatInt(rec.ID, 10), AssociationTypes: typesJSON(rec.Types)}
	}
	return out
}

func typesJSON(types []crm.AssociationType) []AssociationTypeJSON {
	out := make([]AssociationTypeJSON, len(types))
	for i, t := range types {
		out[i] = AssociationTypeJSON{Category: t.Category, TypeID: t.TypeID}
		if t.Label != "" {
			label := t.Label
			out[i].Label = &label
		}
	}
	return out
}

func (a *API) associate(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, true)
	if err != nil {
		return err
	}
	var body []AssociationSpecJSON
	if err := decode(r, &body); err != nil {
		return err
	}
	types, err := a.deps.CRM.Associate(r.Context(), p.AccountID, from.Name, r.PathValue("fromObjectId"), to.Name,
		r.PathValue("toObjectId"), specs(body), source(p))
	if err != nil {
		return err
	}
	labels := []string{}
	for _, t := range types {
		if t.Label != "" {
			labels = append(labels, t.Label)
		}
	}
	writeJSON(w, http.StatusCreated, LabelsBetweenJSON{FromObjectTypeID: from.ID, FromObjectID: r.PathValue("fromObjectId"),
		ToObjectTypeID: to.ID, ToObjectID: r.PathValue("toObjectId"), Labels: labels})
	return nil
}

func (a *API) associateDefault(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	from, to, err := a.typePair(r, p, true)
	if err != nil {
		return err
	}
	fromID, toID := r.PathValue("fromObjectId"), r.PathValue("toObjectId")
	types, err := a.deps.CRM.Associate(r.Context(), p.AccountID, from.Name, fromID, to.Name, toID, nil, source(p))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, DefaultBatchJSON{Status: "COMPLETE", StartedAt: started, CompletedAt: time.Now().UTC(),
		Results: []DefaultAssociationJSON{defaultJSON(fromID, toID, types)}})
	return nil
}

// defaultJSON describes a default association written between two records.
func defaultJSON(fromID, toID string, types []crm.AssociationType) DefaultAssociationJSON {
	out := DefaultAssociationJSON{From: IDJSON{ID: flexID(fromID)}, To: IDJSON{ID: flexID(toID)}}
	for _, t := range types {
		if t.Default {
			out.AssociationSpec = AssociationSpecJSON{AssociationCategory: t.Category, AssociationTypeID: t.TypeID}
		}
	}
	return out
}

func (a *API) dissociate(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, true)
	if err != nil {
		return err
	}
	err = a.deps.CRM.Dissociate(r.Context(), p.AccountID, from.Name, r.PathValue("fromObjectId"), to.Name, r.PathValue("toObjectId"), source(p))
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
