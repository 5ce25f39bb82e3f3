// Package auth holds accounts (the tenants), their users, permissions, dashboard sessions and
// API tokens. Every read and write is scoped by account: no method returns or changes a row
// of another account than the one it is given.
package auth

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Service is the entry point to accounts, users, sessions and tokens.
type Service struct {
	db     *db.DB
	clock  clock.Clock
	tokens tokenCache // what authenticating API tokens read, kept for a moment
}

// NewService returns a Service over d, telling time with c.
func NewService(d *db.DB, c clock.Clock) *Service {
	return &Service{db: d, clock: c}
}

// Account returns the account with id: the one ctx carries (see WithAccount) when it is
// that account, or else as read now.
func (s *Service) Account(ctx context.Context, id int64) (Account, error) {
	if a, ok := ctx.Value(accountKey{}).(Account); ok && a.ID == id {
		return a, nil
	}
	return getAccount(ctx, s.db.Reader(ctx), id)
}

type accountKey struct{}

// WithAccount returns ctx carrying a, read at the start of the request ctx belongs to:
// Account then answers with it instead of reading the account again. A request that
// changes the account must not use the copy afterwards; UpdateAccount returns the new one.
func WithAccount(ctx context.Context, a Account) context.Context {
	return context.WithValue(ctx, accountKey{}, a)
}

// LogoOwner returns the account whose branding shows the logo fileID now; a file that is
// no account's current logo is not found.
func (s *Service) LogoOwner(ctx context.Context, fileID string) (int64, error) {
	var id int64
	err := s.db.Reader(ctx).QueryRowContext(ctx, `SELECT id FROM accounts WHERE brand_logo_file_id = $1 AND brand_logo_file_id <> ''`,
		fileID).Scan(&id)
	return id, db.NotFoundOr(err, "logo %s", fileID)
}

// UpdateAccount applies u to the account and returns it, or every validation problem.
func (s *Service) UpdateAccount(ctx context.Context, accountID int64, u AccountUpdate) (Account, error) {
	defer s.tokens.clear() // API requests carry the account their token read
	var out Account
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		a, err := scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts
			WHERE id = $1`+s.db.Dialect.ForUpdate(), accountID))
		if err != nil {
			return db.NotFoundOr(err, "account %d", accountID)
		}
		if out, err = u.apply(a); err != nil {
			return err
		}
		out.UpdatedAt = s.clock.Now()
		return updateAccount(ctx, tx, out)
	})
	return out, err
}

// FirstRun is what Bootstrap needs to create the first account.
type FirstRun struct {
	AccountName string
	Country     string
	Admin       NewUser
}

// Bootstrap creates the first account and its super admin when the database has no account
// yet, and reports whether it did. Both are written in one transaction.
func (s *Service) Bootstrap(ctx context.Context, f FirstRun) (Account, User, bool, error) {
	var acct Account
	var admin User
	created := false
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n); err != nil || n > 0 {
			return err
		}
		var err error
		acct, admin, err = s.createAccount(ctx, tx, f)
		created = err == nil
		return err
	})
	return acct, admin, created, err
}

// CreateAccount creates an account with its first super admin, in one transaction.
func (s *Service) CreateAccount(ctx context.Context, f FirstRun) (Account, User, error) {
	var acct Account
	var admin User
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		acct, admin, err = s.createAccount(ctx, tx, f)
		return err
	})
	return acct, admin, err
}

func (s *Service) createAccount(ctx context.Context, tx *sql.Tx, f FirstRun) (Account, User, error) {
	a := NewAccountFor(f.AccountName, f.Country)
	a.CreatedAt = s.clock.Now()
	inv := &problem.InvalidError{}
	a.validate(inv)
	f.Admin.Permissions = []Permission{PermSuperAdmin}
	inv.Merge(f.Admin.validate())
	if err := inv.OrNil(); err != nil {
		return Account{}, User{}, err
	}
	a, err := insertAccount(ctx, tx, a)
	if err != nil {
		return Account{}, User{}, err
	}
	hash, err := HashPassword(f.Admin.Password)
	if err != nil {
		return Account{}, User{}, err
	}
	u, err := insertUser(ctx, tx, a.ID, f.Admin, hash, a.CreatedAt)
	if err != nil {
		return Account{}, User{}, fmt.Errorf("first user: %w", err)
	}
	return a, u, nil
}

// Accounts lists every account, oldest first. Only operators use it, from the command line.
func (s *Service) Accounts(ctx context.Context) ([]Account, error) {
	return db.CollectRows[Account](s.db.Reader(ctx).QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY id`))(scanAccount)
}
