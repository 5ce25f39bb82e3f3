package auth

import (
	"slices"
)

// Principal is who is making a request: a user through a dashboard session, or an API token
// acting for its user. Everything it may touch belongs to AccountID.
type Principal struct {
	AccountID   int64
	UserID      int64
	Email       string
	Language    string
	Permissions PermissionSet
	// TokenID is set when the request carries an API token; its Scopes then limit what
	// the user's permissions allow.
	TokenID int64
	Scopes  []Scope
	// SessionID and CSRFToken are set for dashboard sessions.
	SessionID int64
	CSRFToken string
}

// Has reports whether the principal's user holds permission p.
func (p Principal) Has(perm Permission) bool { return p.Permissions.Has(perm) }

// Can reports whether the principal may use scope s: its user must hold the permission s
// requires and, for a token, the token must carry s. A permission removed from the user
// takes effect on their existing tokens at once.
func (p Principal) Can(s Scope) bool {
	info, ok := LookupScope(s)
	if !ok {
		return false
	}
	if info.Requires != "" && !p.Permissions.Has(info.Requires) {
		return false
	}
	return p.TokenID == 0 || slices.Contains(p.Scopes, s)
}

// EffectiveScopes lists every scope the principal can use now.
func (p Principal) EffectiveScopes() []Scope {
	var out []Scope
	for _, s := range Scopes {
		if p.Can(s.Name) {
			out = append(out, s.Name)
		}
	}
	return out
}
