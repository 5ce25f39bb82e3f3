package api

import (
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/payment"
	"github.com/settlehq/settle/internal/problem"
)

// ActivityJSON is one timeline entry of a record.
type ActivityJSON struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	OccurredAt time.Time      `json:"occurred_at"`
	SourceType string         `json:"source_type"`
	SourceID   string         `json:"source_id"`
	Data       map[string]any `json:"data"`
}

func (a *API) objectHistory(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	t, err := a.objectType(r, p, "objectType", false)
	if err != nil {
		return err
	}
	if t.Name == payment.Type && !p.Can(auth.ScopePaymentsHistory) { // SPEC F41
		return missingScopeError{scope: auth.ScopePaymentsHistory}
	}
	acts, err := a.deps.CRM.Timeline(r.Context(), p.AccountID, t.Name, r.PathValue("objectId"))
	if err != nil {
		return err
	}
	out := list[ActivityJSON]{Results: make([]ActivityJSON, len(acts))}
	for i, act := range acts {
		out.Results[i] = ActivityJSON{ID: formatID(act.ID), Kind: act.Kind, OccurredAt: act.OccurredAt,
			SourceType: act.Source.Type, SourceID: act.Source.ID, Data: act.Data}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// pathNotFound is the error for a path value that cannot name a record.
func pathNotFound(what, value string) error {
	return problem.NotFound("%s %q", what, value)
}
