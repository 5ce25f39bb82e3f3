package auth

import (
	"context"
	"database/sql"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// Users lists the account's users, oldest first.
func (s *Service) Users(ctx context.Context, accountID int64) ([]User, error) {
	return listUsers(ctx, s.db.Reader(ctx), accountID)
}

// User returns one of the account's users.
func (s *Service) User(ctx context.Context, accountID, id int64) (User, error) {
	return getUser(ctx, s.db.Reader(ctx), accountID, id, "")
}

// UserByEmail finds a user by email, case-insensitively, in any account. The command line
// uses it to act for a user it was told the address of.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.db.Reader(ctx).QueryRowContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE lower(email) = lower($1)`, email))
	if err != nil {
		return User{}, db.NotFoundOr(err, "no user has the email %s", email)
	}
	return u, nil
}

// CreateUser adds a user to the account.
func (s *Service) CreateUser(ctx context.Context, accountID int64, n NewUser) (User, error) {
	if err := n.validate(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := getAccount(ctx, tx, accountID); err != nil {
			return err
		}
		u, err = insertUser(ctx, tx, accountID, n, hash, s.clock.Now())
		return err
	})
	return u, err
}

// UpdateUser changes a user of the account. The last super admin cannot lose that permission.
func (s *Service) UpdateUser(ctx context.Context, accountID, id int64, up UserUpdate) (User, error) {
	defer s.tokens.clear() // API requests carry their token's user's permissions
	if err := up.validate(); err != nil {
		return User{}, err
	}
	hash := ""
	if up.Password != nil {
		var err error
		if hash, err = HashPassword(*up.Password); err != nil {
			return User{}, err
		}
	}
	var u User
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = s.lockUser(ctx, tx, accountID, id); err != nil {
			return err
		}
		if err := s.keepsSuperAdmin(ctx, tx, u, up); err != nil {
			return err
		}
		u = up.applyTo(u, s.clock.Now())
		return saveUser(ctx, tx, u, hash)
	})
	return u, err
}

// lockUser reads a user for a change, first locking the account row so that two concurrent
// changes cannot both remove "another" super admin and leave none.
func (s *Service) lockUser(ctx context.Context, tx *sql.Tx, accountID, id int64) (User, error) {
	if _, err := tx.ExecContext(ctx, `SELECT id FROM accounts WHERE id = $1`+s.db.Dialect.ForUpdate(), accountID); err != nil {
		return User{}, err
	}
	return getUser(ctx, tx, accountID, id, "")
}

func (up UserUpdate) validate() error {
	inv := &problem.InvalidError{}
	var name, lang string
	var perms []Permission
	if up.Name != nil {
		name = *up.Name
	}
	if up.Language != nil {
		lang = *up.Language
	}
	if up.Permissions != nil {
		perms = *up.Permissions
	}
	validateUserFields(inv, name, lang, perms)
	if up.Password != nil {
		inv.Merge(ValidatePassword("password", *up.Password))
	}
	return inv.OrNil()
}

func (up UserUpdate) applyTo(u User, now time.Time) User {
	setString(&u.Name, up.Name)
	setString(&u.Language, up.Language)
	if up.Permissions != nil {
		u.Permissions = PermissionSet(*up.Permissions)
	}
	u.UpdatedAt = now
	return u
}

func (s *Service) keepsSuperAdmin(ctx context.Context, tx *sql.Tx, u User, up UserUpdate) error {
	if up.Permissions == nil || !u.Permissions.Has(PermSuperAdmin) || PermissionSet(*up.Permissions).Has(PermSuperAdmin) {
		return nil
	}
	others, err := countSuperAdmins(ctx, tx, u.AccountID, u.ID)
	if err == nil && others == 0 {
		return problem.Conflict("%s is the account's last super admin; make another user super admin first", u.Email)
	}
	return err
}

func saveUser(ctx context.Context, tx *sql.Tx, u User, passwordHash string) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET name = $3, language = $4, permissions = $5,
		updated_at = $6 WHERE account_id = $1 AND id = $2`,
		u.AccountID, u.ID, u.Name, u.Language, u.Permissions.String(), u.UpdatedAt)
	if err != nil || passwordHash == "" {
		return err
	}
	// A new password ends every session of the user: whoever knew the old one is signed out.
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, u.ID, passwordHash); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
	return err
}

// DeleteUser removes a user of the account, with their sessions and tokens. The last super
// admin cannot be removed.
func (s *Service) DeleteUser(ctx context.Context, accountID, id int64) error {
	defer s.tokens.clear()
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		u, err := s.lockUser(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		none := []Permission{}
		if err := s.keepsSuperAdmin(ctx, tx, u, UserUpdate{Permissions: &none}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM users WHERE account_id = $1 AND id = $2`, accountID, id)
		return err
	})
}
