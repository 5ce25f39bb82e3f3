package api

import (
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/problem"
)

// TokenJSON is an API token as listed: never its secret.
type TokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	UserID     string     `json:"user_id"`
	UserEmail  string     `json:"user_email"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// CreatedTokenJSON is the answer to creating a token: the only time its secret is shown.
type CreatedTokenJSON struct {
	TokenJSON
	Token string `json:"token"`
}

// TokenCreate is the body of POST /settle/v1/api-tokens.
type TokenCreate struct {
	Name          string   `json:"name,omitempty"`
	Scopes        []string `json:"scopes,omitempty"`
	ExpiresInDays int      `json:"expires_in_days,omitempty"`
}

func (a *API) tokenRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/settle/v1/api-tokens", Scope: auth.ScopeTokensWrite, Tag: "API tokens",
			Summary: "List the caller's tokens (a super admin sees the account's)", Response: list[TokenJSON]{},
			Status: 200, handle: a.listTokens},
		{Method: "POST", Path: "/settle/v1/api-tokens", Scope: auth.ScopeTokensWrite, Tag: "API tokens",
			Summary: "Create a token for the caller; its secret is in this answer only", Request: TokenCreate{},
			Response: CreatedTokenJSON{}, Status: 201, handle: a.createToken},
		{Method: "DELETE", Path: "/settle/v1/api-tokens/{id}", Scope: auth.ScopeTokensWrite, Tag: "API tokens",
			Summary: "Revoke a token at once", Status: 204, handle: a.revokeToken},
	}
}

// visibleTokens returns the tokens p may see: its user's, or all of the account's for a
// super admin.
func (a *API) visibleTokens(r *http.Request, p auth.Principal) ([]auth.Token, error) {
	all, err := a.deps.Auth.Tokens(r.Context(), p.AccountID)
	if err != nil || p.Has(auth.PermSuperAdmin) {
		return all, err
	}
	var own []auth.Token
	for _, t := range all {
		if t.UserID == p.UserID {
			own = append(own, t)
		}
	}
	return own, nil
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	tokens, err := a.visibleTokens(r, p)
	if err != nil {
		return err
	}
	out := list[TokenJSON]{Results: make([]TokenJSON, len(tokens))}
	for i, t := range tokens {
		out.Results[i] = tokenJSON(t)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body TokenCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	if body.ExpiresInDays < 0 || body.ExpiresInDays > 3650 {
		return problem.Invalid("expires_in_days", "INVALID_RANGE", "expires_in_days must be between 1 and 3650, or absent for no expiry.")
	}
	scopes := make([]auth.Scope, len(body.Scopes))
	for i, s := range body.Scopes {
		scopes[i] = auth.Scope(s)
	}
	scopes, err := limitToCaller(scopes, p)
	if err != nil {
		return err
	}
	t, secret, err := a.deps.Auth.CreateToken(r.Context(), p.AccountID, p.UserID, auth.NewToken{Name: body.Name,
		Scopes: scopes, ExpiresIn: time.Duration(body.ExpiresInDays) * 24 * time.Hour})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, CreatedTokenJSON{TokenJSON: tokenJSON(t), Token: secret})
	return nil
}

// limitToCaller keeps a caller from minting a token wider than itself: with no scopes asked
// for, the new token gets the caller's own; a scope the caller lacks is refused.
func limitToCaller(asked []auth.Scope, p auth.Principal) ([]auth.Scope, error) {
	if len(asked) == 0 {
		return p.EffectiveScopes(), nil
	}
	inv := &problem.InvalidError{}
	for _, s := range asked {
		if _, known := auth.LookupScope(s); known && !p.Can(s) {
			inv.Addf("scopes", "SCOPE_NOT_ALLOWED", "The caller cannot grant scope %q, which it does not have.", s)
		}
	}
	return asked, inv.OrNil()
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "API token")
	if err != nil {
		return err
	}
	tokens, err := a.visibleTokens(r, p)
	if err != nil {
		return err
	}
	if !containsToken(tokens, id) {
		return problem.NotFound("API token %d", id)
	}
	if err := a.deps.Auth.RevokeToken(r.Context(), p.AccountID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func containsToken(tokens []auth.Token, id int64) bool {
	for _, t := range tokens {
		if t.ID == id {
			return true
		}
	}
	return false
}

func tokenJSON(t auth.Token) TokenJSON {
	return TokenJSON{ID: formatID(t.ID), Name: t.Name, Prefix: t.Prefix, UserID: formatID(t.UserID),
		UserEmail: t.UserEmail, Scopes: scopeStrings(t.Scopes), CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}
