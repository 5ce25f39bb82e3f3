package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// lastUsedResolution bounds how often using a token writes its last-used time, so that a
// busy token does not turn every read into a write.
const lastUsedResolution = time.Minute

// CreateToken creates an API token for one of the account's users and returns it with its
// secret, which is not stored and cannot be shown again.
func (s *Service) CreateToken(ctx context.Context, accountID, userID int64, n NewToken) (Token, string, error) {
	var t Token
	var secret string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, accountID, userID, "")
		if err != nil {
			return err
		}
		if err := n.validate(u.Permissions); err != nil {
			return err
		}
		t, secret, err = insertToken(ctx, tx, u, n, s.clock.Now())
		return err
	})
	return t, secret, err
}

// Tokens lists the account's API tokens, revoked ones included.
func (s *Service) Tokens(ctx context.Context, accountID int64) ([]Token, error) {
	return listTokens(ctx, s.db.Reader(ctx), accountID)
}

// RevokeToken ends an API token of the account at once (on other replicas, within
// tokenCacheTTL).
func (s *Service) RevokeToken(ctx context.Context, accountID, id int64) error {
	defer s.tokens.clear()
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $3
			WHERE account_id = $1 AND id = $2 AND revoked_at IS NULL`, accountID, id, s.clock.Now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return problem.NotFound("active API token %d", id)
		}
		return nil
	})
}

// AuthenticateToken returns the principal an API token secret stands for, or an error
// wrapping ErrUnauthenticated that says why it cannot be used.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (Principal, error) {
	p, _, err := s.AuthenticateRequest(ctx, secret)
	return p, err
}

// AuthenticateRequest is AuthenticateToken for a request under ctx: it also returns ctx
// carrying the principal's account, read in the same statement as the token, so that the
// request's work finds it there instead of reading it again (see Account).
// What was read is kept for a moment (tokenCache).
func (s *Service) AuthenticateRequest(ctx context.Context, secret string) (Principal, context.Context, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return Principal{}, ctx, fmt.Errorf("the token is not a Settle API token (they start with %s): %w", TokenPrefix, problem.ErrUnauthenticated)
	}
	hash := hashSecret(secret)
	r, gen, kept := s.tokens.get(hash)
	if !kept {
		var err error
		if r, err = s.readToken(ctx, hash); err != nil {
			return Principal{}, ctx, err
		}
		s.tokens.put(hash, r, gen)
	}
	t, now := r.token, s.clock.Now()
	if err := checkActive(t, now); err != nil {
		return Principal{}, ctx, err
	}
	if s.touchToken(ctx, t, now) {
		s.tokens.touched(hash, now)
	}
	p := Principal{AccountID: t.AccountID, UserID: t.UserID, Email: t.UserEmail,
		Permissions: ParsePermissions(r.perms), TokenID: t.ID, Scopes: t.Scopes}
	return p, WithAccount(ctx, r.acct.account()), nil
}

// readToken reads the token whose secret has hash, with its user's permissions and its
// account, in one statement.
func (s *Service) readToken(ctx context.Context, hash string) (tokenRead, error) {
	r := tokenRead{at: time.Now()}
	var err error
	r.token, err = scanToken(s.db.Reader(ctx).QueryRowContext(ctx, `SELECT `+tokenColumns+`, u.permissions, `+qualified("a.", accountColumns)+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN accounts a ON a.id = t.account_id
		WHERE t.token_hash = $1`, hash), append([]any{&r.perms}, r.acct.targets()...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("the API token is not valid: %w", problem.ErrUnauthenticated)
	}
	return r, db.MapError(err)
}

func checkActive(t Token, now time.Time) error {
	if t.RevokedAt != nil {
		return fmt.Errorf("the API token was revoked: %w", problem.ErrUnauthenticated)
	}
	if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
		return fmt.Errorf("the API token expired at %s: %w", t.ExpiresAt.UTC().Format(time.RFC3339), problem.ErrUnauthenticated)
	}
	return nil
}

// touchToken records that t was used, at most once per lastUsedResolution, and reports
// whether it wrote. The update is conditional, so that many requests arriving together with
// a stale time write it once and the others change nothing. A failure is not the caller's
// problem: the request goes on.
func (s *Service) touchToken(ctx context.Context, t Token, now time.Time) bool {
	if t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < lastUsedResolution {
		return false
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2
			WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`, t.ID, now, now.Add(-lastUsedResolution))
		return err
	})
	return err == nil
}
