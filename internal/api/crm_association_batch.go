package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
)

// LinkBatchRequest pairs records with association types (batch create, labels archive).
type LinkBatchRequest struct {
	Inputs []struct {
		From  IDJSON                `json:"from"`
		To    IDJSON                `json:"to"`
		Types []AssociationSpecJSON `json:"types"`
	} `json:"inputs"`
}

// DefaultLinkBatchRequest pairs records to link with the default type.
type DefaultLinkBatchRequest struct {
	Inputs []struct {
		From IDJSON `json:"from"`
		To   IDJSON `json:"to"`
	} `json:"inputs"`
}

// UnlinkBatchRequest removes associations from records to others.
type UnlinkBatchRequest struct {
	Inputs []struct {
		From IDJSON   `json:"from"`
		To   []IDJSON `json:"to"`
	} `json:"inputs"`
}

// ReadLinksRequest names records whose associations to read.
type ReadLinksRequest struct {
	Inputs []struct {
		ID    flexID `json:"id"`
		After string `json:"after,omitempty"`
	} `json:"inputs"`
}

// LinksOfJSON is one record's associations in a batch read.
type LinksOfJSON struct {
	From IDJSON           `json:"from"`
	To   []AssociatedJSON `json:"to"`
}

// LabelJSON is one association type (v4 labels).
type LabelJSON struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

// LabelCreate defines a label.
type LabelCreate struct {
	Label        string `json:"label"`
	Name         string `json:"name,omitempty"`
	InverseLabel string `json:"inverseLabel,omitempty"`
}

// LabelUpdate renames a label.
type LabelUpdate struct {
	AssociationTypeID int    `json:"associationTypeId"`
	Label             string `json:"label"`
	InverseLabel      string `json:"inverseLabel,omitempty"`
}

func (a *API) crmAssociationBatchRoutes() []Route {
	const batch = "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/"
	return []Route{
		{Method: "POST", Path: batch + "read", Access: Authenticated, Tag: "CRM associations", Summary: "Read the associations of up to 100 records",
			Request: ReadLinksRequest{}, Response: BatchJSON[LinksOfJSON]{}, Status: 200, Partial: true, handle: a.batchReadLinks},
		{Method: "POST", Path: batch + "create", Access: Authenticated, Tag: "CRM associations", Summary: "Associate up to 100 pairs with types",
			Request: LinkBatchRequest{}, Response: BatchJSON[LabelsBetweenJSON]{}, Status: 201, Partial: true, handle: a.batchLink},
		{Method: "POST", Path: batch + "associate/default", Access: Authenticated, Tag: "CRM associations",
			Summary: "Associate up to 100 pairs with the default type; failed pairs are listed in errors", Request: DefaultLinkBatchRequest{},
			Response: BatchJSON[DefaultAssociationJSON]{}, Status: 200, handle: a.batchLinkDefault},
		{Method: "POST", Path: batch + "archive", Access: Authenticated, Tag: "CRM associations", Summary: "Remove every association of up to 100 pairs",
			Request: UnlinkBatchRequest{}, Status: 204, handle: a.batchUnlink},
		{Method: "POST", Path: batch + "labels/archive", Access: Authenticated, Tag: "CRM associations", Summary: "Remove some association types of pairs",
			Request: LinkBatchRequest{}, Status: 204, handle: a.batchUnlabel},
	}
}

func (a *API) crmLabelRoutes() []Route {
	var routes []Route
	for _, base := range []string{"/crm/associations/v4/{fromObjectType}/{toObjectType}/labels", "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels"} {
		routes = append(routes,
			Route{Method: "GET", Path: base, Access: Authenticated, Tag: "CRM associations", Summary: "List association types between two object types",
				Response: list[LabelJSON]{}, Status: 200, handle: a.listLabels},
			Route{Method: "POST", Path: base, Scope: auth.ScopeSchemasWrite, Tag: "CRM associations", Summary: "Define an association label",
				Request: LabelCreate{}, Response: list[LabelJSON]{}, Status: 200, handle: a.createLabel},
			Route{Method: "PUT", Path: base, Scope: auth.ScopeSchemasWrite, Tag: "CRM associations", Summary: "Rename an association label",
				Request: LabelUpdate{}, Status: 204, handle: a.updateLabel},
			Route{Method: "DELETE", Path: base + "/{associationTypeId}", Scope: auth.ScopeSchemasWrite, Tag: "CRM associations",
				Summary: "Delete an association label and the associations that use it", Status: 204, handle: a.deleteLabel})
	}
	return routes
}

func (a *API) batchReadLinks(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	from, to, err := a.typePair(r, p, false)
	if err != nil {
		return err
	}
	var body ReadLinksRequest
	if err := decode(r, &body); err != nil {
		return err
	}
	ids := make([]string, len(body.Inputs))
	for i, in := range body.Inputs {
		ids[i] = string(in.ID)
	}
	found, missing, err := a.deps.CRM.BatchAssociations(r.Context(), p.AccountID, from.Name, ids, to.Name)
	if err != nil {
		return err
	}
	var out []LinksOfJSON
	for _, id := range ids {
		if recs, ok := found[id]; ok {
			out = append(out, LinksOfJSON{From: IDJSON{ID: flexID(id)}, To: associatedJSON(recs)})
		}
	}
	batchAnswer(w, r, http.StatusOK, started, out, missing)
	return nil
}

func (a *API) batchLink(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	from, to, err := a.typePair(r, p, true)
	if err != nil {
		return err
	}
	inputs, err := decodeLinks[LinkBatchRequest](r)
	if err != nil {
		return err
	}
	results, missing, err := a.deps.CRM.BatchAssociate(r.Context(), p.AccountID, from.Name, to.Name, inputs, source(p))
	if err != nil {
		return err
	}
	out := make([]LabelsBetweenJSON, len(results))
	for i, res := range results {
		out[i] = LabelsBetweenJSON{FromObjectTypeID: from.ID, FromObjectID: res.FromID, ToObjectTypeID: to.ID, ToObjectID: res.ToID, Labels: labelsOf(res.Types)}
	}
	batchAnswer(w, r, http.StatusCreated, started, out, missing)
	return nil
}

// linkRequest is a batch body that names pairs of records.
type linkRequest interface {
	LinkBatchRequest | DefaultLinkBatchRequest | UnlinkBatchRequest
	links() []crm.LinkInput
}

// decodeLinks reads a batch body into the pairs it names.
func decodeLinks[T linkRequest](r *http.Request) ([]crm.LinkInput, error) {
	var body T
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	return body.links(), nil
}

func (b LinkBatchRequest) links() []crm.LinkInput {
	out := make([]crm.LinkInput, len(b.Inputs))
	for i, in := range b.Inputs {
		out[i] = crm.LinkInput{FromID: string(in.From.ID), ToID: string(in.To.ID), Types: specs(in.Types)}
	}
	return out
}

func (b DefaultLinkBatchRequest) links() []crm.LinkInput {
	out := make([]crm.LinkInput, len(b.Inputs))
	for i, in := range b.Inputs {
		out[i] = crm.LinkInput{FromID: string(in.From.ID), ToID: string(in.To.ID)}
	}
	return out
}

func (b UnlinkBatchRequest) links() []crm.LinkInput {
	var out []crm.LinkInput
	for _, in := range b.Inputs {
		for _, target := range in.To {
			out = append(out, crm.LinkInput{FromID: string(in.From.ID), ToID: string(target.ID)})
		}
	}
	return out
}

func labelsOf(types []crm.AssociationType) []string {
	out := []string{}
	for _, t := range types {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func (a *API) batchLinkDefault(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	from, to, err := a.typePair(r, p, true)
	if err != nil {
		return err
	}
	inputs, err := decodeLinks[DefaultLinkBatchRequest](r)
	if err != nil {
		return err
	}
	results, missing, err := a.deps.CRM.BatchAssociate(r.Context(), p.AccountID, from.Name, to.Name, inputs, source(p))
	if err != nil {
		return err
	}
	out := make([]DefaultAssociationJSON, len(results))
	for i, res := range results {
		out[i] = defaultJSON(res.FromID, res.ToID, res.Types)
	}
	// The CRM answers this call 200 even when some pairs failed; its clients accept nothing else.
	batchAnswer(w, r, http.StatusOK, started, out, missing, http.StatusOK)
	return nil
}

func (a *API) batchUnlink(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, true)
	if err != nil {
		return err
	}
	inputs, err := decodeLinks[UnlinkBatchRequest](r)
	if err != nil {
		return err
	}
	if _, err := a.deps.CRM.BatchDissociate(r.Context(), p.AccountID, from.Name, to.Name, inputs, source(p)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) batchUnlabel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, true)
	if err != nil {
		return err
	}
	inputs, err := decodeLinks[LinkBatchRequest](r)
	if err != nil {
		return err
	}
	if _, err := a.deps.CRM.BatchDissociate(r.Context(), p.AccountID, from.Name, to.Name, inputs, source(p)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listLabels(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, false)
	if err != nil {
		return err
	}
	types, err := a.deps.CRM.AssociationTypes(r.Context(), p.AccountID, from.Name, to.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, labelsJSON(types))
	return nil
}

func labelsJSON(types []crm.AssociationType) list[LabelJSON] {
	out := list[LabelJSON]{Results: []LabelJSON{}}
	for _, t := range typesJSON(types) {
		out.Results = append(out.Results, LabelJSON(t))
	}
	return out
}

func (a *API) createLabel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, false)
	if err != nil {
		return err
	}
	var body LabelCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	types, err := a.deps.CRM.CreateLabel(r.Context(), p.AccountID, from.Name, to.Name, crm.LabelInput{Name: body.Name,
		Label: body.Label, InverseLabel: body.InverseLabel})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, labelsJSON(types[:1]))
	return nil
}

func (a *API) updateLabel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, false)
	if err != nil {
		return err
	}
	var body LabelUpdate
	if err := decode(r, &body); err != nil {
		return err
	}
	if err := a.deps.CRM.UpdateLabel(r.Context(), p.AccountID, from.Name, to.Name, body.AssociationTypeID, body.Label, body.InverseLabel); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) deleteLabel(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	from, to, err := a.typePair(r, p, false)
	if err != nil {
		return err
	}
	id, err := strconv.Atoi(r.PathValue("associationTypeId"))
	if err != nil {
		return pathNotFound("association label", r.PathValue("associationTypeId"))
	}
	if err := a.deps.CRM.DeleteLabel(r.Context(), p.AccountID, from.Name, to.Name, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
