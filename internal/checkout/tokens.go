package checkout

import (
	"context"
	"database/sql"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// The object types a public token names.
const (
	tokenInvoice = "invoices"
	tokenQuote   = "quotes"
)

// publicToken returns the public token of an invoice or quote of the account, making it on
// first use. Tokens are drawn like link slugs, 80 random bits unique across accounts: a
// draw that repeats an existing token fails rather than being retried, which in practice
// never happens.
func (s *Service) publicToken(ctx context.Context, accountID int64, objectType string, id int64) (string, error) {
	var token string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkout_tokens (token, account_id, object_type, object_id, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, object_type, object_id) DO NOTHING`,
			newSlug(), accountID, objectType, id, s.clock.Now()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT token FROM checkout_tokens WHERE account_id = $1 AND object_type = $2 AND object_id = $3`,
			accountID, objectType, id).Scan(&token)
	})
	return token, err
}

// byToken finds the account and id of the invoice or quote a public token names.
func (s *Service) byToken(ctx context.Context, objectType, token string) (accountID, id int64, err error) {
	what := map[string]string{tokenInvoice: "invoice", tokenQuote: "quote"}[objectType]
	if len(token) != slugEncoding.EncodedLen(slugBytes) {
		return 0, 0, problem.NotFound("%s %q", what, token)
	}
	err = s.db.Reader(ctx).QueryRowContext(ctx, `SELECT account_id, object_id FROM checkout_tokens WHERE token = $1 AND object_type = $2`,
		token, objectType).Scan(&accountID, &id)
	if err != nil {
		return 0, 0, db.NotFoundOr(err, "%s %q", what, token)
	}
	return accountID, id, nil
}

// Payee finds the account a checkout of a source pays: the one its payment link, invoice or
// quote belongs to. An unknown source type is left to Checkout to refuse, with the account
// of no source: ok is false.
func (s *Service) Payee(ctx context.Context, sourceType, id string) (accountID int64, ok bool, err error) {
	switch sourceType {
	case SourceInvoice:
		accountID, _, err = s.byToken(ctx, tokenInvoice, id)
	case SourceQuote:
		accountID, _, err = s.byToken(ctx, tokenQuote, id)
	case SourcePaymentLink, "":
		var l Link
		l, err = s.LinkBySlug(ctx, id)
		accountID = l.AccountID
	default:
		return 0, false, nil
	}
	return accountID, err == nil, err
}
