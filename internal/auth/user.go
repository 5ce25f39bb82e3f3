package auth

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/problem"
)

// User is a person who signs in to an account's dashboard.
type User struct {
	ID          int64
	AccountID   int64
	Email       string
	Name        string
	Language    string
	Permissions PermissionSet
	CreatedAt   time.Time
	UpdatedAt   time.Time
	LastLoginAt *time.Time
}

// NewUser are the fields of a user to create.
type NewUser struct {
	Email       string
	Name        string
	Language    string
	Password    string
	Permissions []Permission
}

// UserUpdate changes some of a user's fields; nil fields stay as they are.
type UserUpdate struct {
	Name        *string
	Language    *string
	Password    *string
	Permissions *[]Permission
}

// NormalizeEmail trims an address and checks that it is one plain address.
func NormalizeEmail(field, email string) (string, error) {
	email = strings.TrimSpace(email)
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 {
		return "", problem.Invalid(field, "INVALID_EMAIL", fmt.Sprintf("%q is not an email address.", email))
	}
	return email, nil
}

func (n *NewUser) validate() error {
	inv := &problem.InvalidError{}
	email, err := NormalizeEmail("email", n.Email)
	inv.Merge(err)
	n.Email = email
	inv.Merge(ValidatePassword("password", n.Password))
	validateUserFields(inv, n.Name, n.Language, n.Permissions)
	return inv.OrNil()
}

func validateUserFields(inv *problem.InvalidError, name, lang string, perms []Permission) {
	if len(name) > 200 {
		inv.Add("name", "INVALID_LENGTH", "The name must be at most 200 characters.")
	}
	if lang != "" && !slices.Contains(Languages, lang) {
		inv.Addf("language", "INVALID_OPTION", "Language must be empty (the account's) or one of %s.", strings.Join(Languages, ", "))
	}
	for _, p := range perms {
		if !slices.Contains(Permissions, p) {
			inv.Addf("permissions", "INVALID_OPTION", "%q is not a permission; use %s.", p, permissionNames())
		}
	}
}

func permissionNames() string {
	names := make([]string, len(Permissions))
	for i, p := range Permissions {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

const userColumns = `id, account_id, email, name, language, permissions, created_at, updated_at, last_login_at`

func scanUser(row db.Scanner, extra ...any) (User, error) {
	var u User
	var perms string
	var last sql.NullTime
	dest := append([]any{&u.ID, &u.AccountID, &u.Email, &u.Name, &u.Language, &perms,
		&u.CreatedAt, &u.UpdatedAt, &last}, extra...)
	if err := row.Scan(dest...); err != nil {
		return User{}, err
	}
	u.Permissions = ParsePermissions(perms)
	if last.Valid {
		u.LastLoginAt = &last.Time
	}
	return u, nil
}

func getUser(ctx context.Context, q db.Querier, accountID, id int64, lock string) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE account_id = $1 AND id = $2`+lock, accountID, id))
	if err != nil {
		return User{}, db.NotFoundOr(err, "user %d", id)
	}
	return u, nil
}

func listUsers(ctx context.Context, q db.Querier, accountID int64) ([]User, error) {
	return db.CollectRows[User](q.QueryContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE account_id = $1 ORDER BY id`, accountID))(func(r db.Scanner) (User, error) { return scanUser(r) })
}

func insertUser(ctx context.Context, tx *sql.Tx, accountID int64, n NewUser, hash string, now time.Time) (User, error) {
	u := User{AccountID: accountID, Email: n.Email, Name: n.Name, Language: n.Language,
		Permissions: PermissionSet(n.Permissions), CreatedAt: now, UpdatedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO users (account_id, email, name, language, password_hash,
		permissions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		accountID, n.Email, n.Name, n.Language, hash, u.Permissions.String(), now).Scan(&u.ID)
	if db.IsUniqueViolation(err) {
		return User{}, problem.Conflict("a user with email %s already exists", n.Email)
	}
	return u, err
}

// countSuperAdmins counts the account's super admins other than exceptID.
func countSuperAdmins(ctx context.Context, tx *sql.Tx, accountID, exceptID int64) (int, error) {
	users, err := listUsers(ctx, tx, accountID)
	n := 0
	for _, u := range users {
		if u.ID != exceptID && u.Permissions.Has(PermSuperAdmin) {
			n++
		}
	}
	return n, err
}
