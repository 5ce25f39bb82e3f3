package api

import (
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/telemetry"
)

// BatchReadRequest names records to read.
type BatchReadRequest struct {
	Inputs []struct {
		ID flexID `json:"id"`
	} `json:"inputs"`
	Properties            []string `json:"properties,omitempty"`
	PropertiesWithHistory []string `json:"propertiesWithHistory,omitempty"`
	IDProperty            string   `json:"idProperty,omitempty"`
}

// BatchCreateRequest holds records to create.
type BatchCreateRequest struct {
	Inputs []struct {
		Properties         PropertyValues          `json:"properties"`
		Associations       []AssociationCreateJSON `json:"associations,omitempty"`
		ObjectWriteTraceID string                  `json:"objectWriteTraceId,omitempty"`
	} `json:"inputs"`
}

// BatchUpdateRequest holds records to change (or, for upsert, to create when absent).
type BatchUpdateRequest struct {
	Inputs []struct {
		ID                 flexID         `json:"id"`
		IDProperty         string         `json:"idProperty,omitempty"`
		ObjectWriteTraceID string         `json:"objectWriteTraceId,omitempty"`
		Properties         PropertyValues `json:"properties"`
	} `json:"inputs"`
}

// BatchArchiveRequest names records to archive.
type BatchArchiveRequest struct {
	Inputs []struct {
		ID flexID `json:"id"`
	} `json:"inputs"`
}

// BatchJSON is the answer to a batch; Errors are set (with status 207) when some inputs
// failed.
type BatchJSON[T any] struct {
	Status      string           `json:"status"`
	Results     []T              `json:"results"`
	RequestedAt time.Time        `json:"requestedAt"`
	StartedAt   time.Time        `json:"startedAt"`
	CompletedAt time.Time        `json:"completedAt"`
	NumErrors   int              `json:"numErrors,omitempty"`
	Errors      []BatchErrorJSON `json:"errors,omitempty"`
}

// BatchErrorJSON reports inputs a batch could not process.
type BatchErrorJSON struct {
	Status   string              `json:"status"`
	Category string              `json:"category"`
	Message  string              `json:"message"`
	Context  map[string][]string `json:"context"`
	Errors   []ErrorDetail       `json:"errors"`
	Links    map[string]string   `json:"links"`
}

func (a *API) crmBatchRoutes() []Route {
	const path = "/crm/v3/objects/{objectType}/batch/"
	return []Route{
		{Method: "POST", Path: path + "read", Access: Authenticated, Tag: "CRM objects", Summary: "Read up to 100 records by id or idProperty",
			Request: BatchReadRequest{}, Response: BatchJSON[ObjectJSON]{}, Status: 200, Partial: true, handle: a.batchRead},
		{Method: "POST", Path: path + "create", Access: Authenticated, Tag: "CRM objects", Summary: "Create up to 100 records, all or none",
			Request: BatchCreateRequest{}, Response: BatchJSON[ObjectJSON]{}, Status: 201, Partial: true, handle: a.batchCreate},
		{Method: "POST", Path: path + "update", Access: Authenticated, Tag: "CRM objects", Summary: "Change up to 100 records",
			Request: BatchUpdateRequest{}, Response: BatchJSON[ObjectJSON]{}, Status: 200, Partial: true, handle: a.batchUpdate},
		{Method: "POST", Path: path + "upsert", Access: Authenticated, Tag: "CRM objects", Summary: "Create or change up to 100 records by a unique idProperty",
			Request: BatchUpdateRequest{}, Response: BatchJSON[UpsertObjectJSON]{}, Status: 200, handle: a.batchUpsert},
		{Method: "POST", Path: path + "archive", Access: Authenticated, Tag: "CRM objects", Summary: "Archive up to 100 records",
			Request: BatchArchiveRequest{}, Status: 204, handle: a.batchArchive},
	}
}

// batchAnswer writes a batch result: status ok, or 207 (or partialStatus when given) with an
// OBJECT_NOT_FOUND error listing the ids that were missing.
func batchAnswer[T any](w http.ResponseWriter, r *http.Request, ok int, started time.Time, results []T, missing []string, partialStatus ...int) {
	out := BatchJSON[T]{Status: "COMPLETE", Results: results, RequestedAt: started, StartedAt: started, CompletedAt: time.Now().UTC()}
	if out.Results == nil {
		out.Results = []T{}
	}
	status := ok
	if len(missing) > 0 {
		status = http.StatusMultiStatus
		if len(partialStatus) > 0 {
			status = partialStatus[0]
		}
		out.NumErrors = 1
		out.Errors = []BatchErrorJSON{{Status: "error", Category: CategoryNotFound, Message: "Could not find the records with these ids.",
			Context: map[string][]string{"ids": missing}, Errors: []ErrorDetail{}, Links: map[string]string{}}}
	}
	w.Header().Set("X-Correlation-Id", telemetry.RequestID(r.Context()))
	writeJSON(w, status, out)
}

func (a *API) batchRead(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	var body BatchReadRequest
	if err := decode(r, &body); err != nil {
		return err
	}
	ids := make([]string, len(body.Inputs))
	for i, in := range body.Inputs {
		ids[i] = string(in.ID)
	}
	opts := crm.ReadOptions{History: body.PropertiesWithHistory, Archived: r.URL.Query().Get("archived") == "true"}
	found, missing, err := a.deps.CRM.BatchRead(r.Context(), p.AccountID, t.Name, ids, body.IDProperty, opts)
	if err != nil {
		return err
	}
	sch, err := a.deps.CRM.Schema(r.Context(), p.AccountID, t.Name)
	if err != nil {
		return err
	}
	out := make([]ObjectJSON, len(found))
	for i, e := range found {
		out[i] = objectJSON(sch, e, body.Properties)
	}
	batchAnswer(w, r, http.StatusOK, started, out, missing)
	return nil
}

func (a *API) batchCreate(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	var body BatchCreateRequest
	if err := decode(r, &body); err != nil {
		return err
	}
	inputs := make([]crm.Input, len(body.Inputs))
	for i, in := range body.Inputs {
		inputs[i] = crm.Input{Properties: in.Properties, Associations: associationInputs(in.Associations)}
	}
	recs, err := a.deps.CRM.BatchCreate(r.Context(), p.AccountID, t.Name, inputs, source(p))
	if err != nil {
		return err
	}
	out, err := a.recordsJSON(r, p, t.Name, recs)
	if err != nil {
		return err
	}
	batchAnswer(w, r, http.StatusCreated, started, out, nil)
	return nil
}

// recordsJSON shows written records with their values and the type's defaults.
func (a *API) recordsJSON(r *http.Request, p auth.Principal, typeName string, recs []crm.Record) ([]ObjectJSON, error) {
	sch, err := a.deps.CRM.Schema(r.Context(), p.AccountID, typeName)
	if err != nil {
		return nil, err
	}
	out := make([]ObjectJSON, len(recs))
	for i, rec := range recs {
		out[i] = objectJSON(sch, crm.Expanded{Record: rec}, append(append([]string{}, sch.Defaults...), writtenNames(rec)...))
	}
	return out, nil
}

func (a *API) updateInputs(r *http.Request) ([]crm.UpdateInput, error) {
	var body BatchUpdateRequest
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	inputs := make([]crm.UpdateInput, len(body.Inputs))
	for i, in := range body.Inputs {
		inputs[i] = crm.UpdateInput{ID: string(in.ID), IDProperty: in.IDProperty, Properties: in.Properties}
	}
	return inputs, nil
}

func (a *API) batchUpdate(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	inputs, err := a.updateInputs(r)
	if err != nil {
		return err
	}
	recs, missing, err := a.deps.CRM.BatchUpdate(r.Context(), p.AccountID, t.Name, inputs, source(p))
	if err != nil {
		return err
	}
	out, err := a.recordsJSON(r, p, t.Name, recs)
	if err != nil {
		return err
	}
	batchAnswer(w, r, http.StatusOK, started, out, missing)
	return nil
}

func (a *API) batchUpsert(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	started := time.Now().UTC()
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	inputs, err := a.updateInputs(r)
	if err != nil {
		return err
	}
	results, err := a.deps.CRM.BatchUpsert(r.Context(), p.AccountID, t.Name, inputs, source(p))
	if err != nil {
		return err
	}
	recs := make([]crm.Record, len(results))
	for i, res := range results {
		recs[i] = res.Record
	}
	objs, err := a.recordsJSON(r, p, t.Name, recs)
	if err != nil {
		return err
	}
	out := make([]UpsertObjectJSON, len(objs))
	for i, o := range objs {
		out[i] = UpsertObjectJSON{ObjectJSON: o, New: results[i].New}
	}
	batchAnswer(w, r, http.StatusOK, started, out, nil)
	return nil
}

func (a *API) batchArchive(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", true)
	if err != nil {
		return err
	}
	var body BatchArchiveRequest
	if err := decode(r, &body); err != nil {
		return err
	}
	ids := make([]string, len(body.Inputs))
	for i, in := range body.Inputs {
		ids[i] = string(in.ID)
	}
	if err := a.deps.CRM.BatchArchive(r.Context(), p.AccountID, t.Name, ids, source(p)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
