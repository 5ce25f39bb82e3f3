package auth

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// TokenPrefix starts every API token, so that leaked tokens are easy to recognize and scan for.
const TokenPrefix = "stl_"

// Token is an API token as stored: the secret itself is shown once, at creation, and only
// its hash is kept.
type Token struct {
	ID         int64
	AccountID  int64
	UserID     int64
	UserEmail  string
	Name       string
	Prefix     string
	Scopes     []Scope
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// NewToken are the fields of a token to create. Empty Scopes means every scope the user may
// grant; a zero ExpiresIn means the token does not expire.
type NewToken struct {
	Name      string
	Scopes    []Scope
	ExpiresIn time.Duration
}

// Active reports whether the token can still be used at now.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

func (n *NewToken) validate(perms PermissionSet) error {
	inv := &problem.InvalidError{}
	n.Name = strings.TrimSpace(n.Name)
	if len(n.Name) > 100 {
		inv.Add("name", "INVALID_LENGTH", "The token name must be at most 100 characters.")
	}
	if n.ExpiresIn < 0 {
		inv.Add("expires_in_days", "INVALID_RANGE", "The expiry must be in the future.")
	}
	allowed := AllowedScopes(perms)
	if len(n.Scopes) == 0 {
		n.Scopes = allowed
	}
	for _, s := range n.Scopes {
		if _, ok := LookupScope(s); !ok {
			inv.Addf("scopes", "INVALID_OPTION", "%q is not a scope.", s)
		} else if !slices.Contains(allowed, s) {
			inv.Addf("scopes", "SCOPE_NOT_ALLOWED", "The user lacks the permission that scope %q needs.", s)
		}
	}
	return inv.OrNil()
}

const tokenColumns = `t.id, t.account_id, t.user_id, u.email, t.name, t.prefix, t.scopes, t.created_at,
	t.expires_at, t.last_used_at, t.revoked_at`

func scanToken(row db.Scanner, extra ...any) (Token, error) {
	var t Token
	var scopes string
	var expires, used, revoked sql.NullTime
	dest := append([]any{&t.ID, &t.AccountID, &t.UserID, &t.UserEmail, &t.Name, &t.Prefix, &scopes,
		&t.CreatedAt, &expires, &used, &revoked}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Token{}, err
	}
	t.Scopes = splitScopes(scopes)
	t.ExpiresAt, t.LastUsedAt, t.RevokedAt = timePtr(expires), timePtr(used), timePtr(revoked)
	return t, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

func insertToken(ctx context.Context, tx *sql.Tx, u User, n NewToken, now time.Time) (Token, string, error) {
	secret := newSecret(TokenPrefix)
	t := Token{AccountID: u.AccountID, UserID: u.ID, UserEmail: u.Email, Name: n.Name,
		Prefix: secret[:len(TokenPrefix)+6], Scopes: n.Scopes, CreatedAt: now}
	if n.ExpiresIn > 0 {
		exp := now.Add(n.ExpiresIn)
		t.ExpiresAt = &exp
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (account_id, user_id, name, token_hash, prefix,
		scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		u.AccountID, u.ID, n.Name, hashSecret(secret), t.Prefix, joinScopes(n.Scopes), now, t.ExpiresAt).Scan(&t.ID)
	if err != nil {
		return Token{}, "", fmt.Errorf("insert token: %w", err)
	}
	return t, secret, nil
}

func listTokens(ctx context.Context, q db.Querier, accountID int64) ([]Token, error) {
	return db.CollectRows[Token](q.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t
		JOIN users u ON u.id = t.user_id WHERE t.account_id = $1 ORDER BY t.id`, accountID))(
		func(r db.Scanner) (Token, error) { return scanToken(r) })
}
