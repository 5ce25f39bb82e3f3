package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/problem"
)

// maxTokenDays is the longest expiry the token form accepts: ten years.
const maxTokenDays = 3650

// tokensData is the API tokens page: the tokens the user may see, the scopes they may grant
// and, right after creating one, its secret.
type tokensData struct {
	Tokens []tokenRow
	Scopes []auth.ScopeInfo
	// AllUsers is set for a super admin, who sees every user's tokens.
	AllUsers bool
	Created  *createdToken
}

// tokenRow is a token as listed, with its state at the time of the page.
type tokenRow struct {
	auth.Token
	// State is "active", "revoked" or "expired".
	State string
}

// createdToken is a token just created: the only time its secret is ever shown.
type createdToken struct {
	Name   string
	Secret string
}

// visibleTokens returns the tokens a principal may see and revoke: their own, or every
// token of the account for a super admin.
func (u *UI) visibleTokens(r *http.Request, p auth.Principal) ([]auth.Token, error) {
	all, err := u.deps.Auth.Tokens(r.Context(), p.AccountID)
	if err != nil || p.Has(auth.PermSuperAdmin) {
		return all, err
	}
	return slices.DeleteFunc(all, func(t auth.Token) bool { return t.UserID != p.UserID }), nil
}

func (u *UI) tokensView(r *http.Request, v *visit, f *form, status int, created *createdToken) (view, error) {
	tokens, err := u.visibleTokens(r, v.Principal)
	now := u.deps.Clock.Now()
	rows := make([]tokenRow, len(tokens))
	for i, t := range tokens {
		rows[i] = tokenRow{Token: t, State: tokenState(t, now)}
	}
	return view{name: "settings_tokens", Status: status, Title: "settings.tokens.title", Section: "/settings",
		Form: f, Data: tokensData{Tokens: rows, Scopes: grantable(v.Principal), AllUsers: v.Principal.Has(auth.PermSuperAdmin),
			Created: created}}, err
}

func tokenState(t auth.Token, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case !t.Active(now):
		return "expired"
	}
	return "active"
}

// grantable lists the scopes a principal may give a new token.
func grantable(p auth.Principal) []auth.ScopeInfo {
	allowed := auth.AllowedScopes(p.Permissions)
	var out []auth.ScopeInfo
	for _, s := range auth.Scopes {
		if slices.Contains(allowed, s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// tokensPage lists the user's API tokens (a super admin's lists the account's) with a form
// to create one.
func (u *UI) tokensPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	return u.renderTokens(w, r, v, newForm(nil), http.StatusOK, nil)
}

func (u *UI) renderTokens(w http.ResponseWriter, r *http.Request, v *visit, f *form, status int, created *createdToken) error {
	vw, err := u.tokensView(r, v, f, status, created)
	if err != nil {
		return err
	}
	return u.render(w, r, v, vw)
}

// createToken creates a token for the signed-in user and shows its secret in this answer
// only: it is never stored, nor put in a URL.
func (u *UI) createToken(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r.PostForm)
	n, err := newTokenFrom(f)
	var secret string
	if err == nil {
		_, secret, err = u.deps.Auth.CreateToken(r.Context(), v.Principal.AccountID, v.Principal.UserID, n)
	}
	if status, ok := u.formFailure(v.Lang, "token", f, err, ""); ok {
		return u.renderTokens(w, r, v, f, status, nil)
	}
	if err != nil {
		return err
	}
	return u.renderTokens(w, r, v, newForm(nil), http.StatusCreated, &createdToken{Name: n.Name, Secret: secret})
}

// newTokenFrom reads the token form: a name, an optional expiry in days and at least one
// scope. The service checks that the user may grant each scope.
func newTokenFrom(f *form) (auth.NewToken, error) {
	inv := &problem.InvalidError{}
	n := auth.NewToken{Name: strings.TrimSpace(f.Value("name"))}
	if n.Name == "" {
		inv.Add("name", "REQUIRED", "The token needs a name.")
	}
	if days := strings.TrimSpace(f.Value("expires_in_days")); days != "" {
		d, err := strconv.Atoi(days)
		if err != nil || d < 1 || d > maxTokenDays {
			inv.Add("expires_in_days", "INVALID_RANGE", "The expiry must be a number of days from 1 to 3650.")
		}
		n.ExpiresIn = time.Duration(d) * 24 * time.Hour
	}
	for _, s := range f.values["scopes"] {
		n.Scopes = append(n.Scopes, auth.Scope(s))
	}
	if len(n.Scopes) == 0 {
		inv.Add("scopes", "REQUIRED", "Choose at least one scope.")
	}
	return n, inv.OrNil()
}

// revokeToken ends one of the tokens the user may see, at once.
func (u *UI) revokeToken(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return problem.NotFound("API token %q", r.PathValue("id"))
	}
	tokens, err := u.visibleTokens(r, v.Principal)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(tokens, func(t auth.Token) bool { return t.ID == id })
	if i < 0 {
		return problem.NotFound("API token %d", id)
	}
	// A token revoked already (a second click) stays revoked: nothing to do.
	if tokens[i].RevokedAt == nil {
		if err := u.deps.Auth.RevokeToken(r.Context(), v.Principal.AccountID, id); err != nil {
			return err
		}
	}
	return redirect(w, r, "/settings/api-tokens", "token_revoked")
}
