package api

import (
	"net/http"
	"time"

	"github.com/settlehq/settle/internal/auth"
)

// UserJSON is a user as the API shows it; the password hash never leaves the server.
type UserJSON struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Language    string     `json:"language"`
	Permissions []string   `json:"permissions"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	LastLoginAt *time.Time `json:"last_login_at"`
}

// UserCreate is the body of POST /settle/v1/users.
type UserCreate struct {
	Email       string   `json:"email"`
	Name        string   `json:"name,omitempty"`
	Language    string   `json:"language,omitempty"`
	Password    string   `json:"password"`
	Permissions []string `json:"permissions,omitempty"`
}

// UserPatch is the body of PATCH /settle/v1/users/{id}.
type UserPatch struct {
	Name        *string   `json:"name,omitempty"`
	Language    *string   `json:"language,omitempty"`
	Password    *string   `json:"password,omitempty"`
	Permissions *[]string `json:"permissions,omitempty"`
}

// MeJSON describes the caller: the user, the account and what the token may do.
type MeJSON struct {
	User      UserJSON `json:"user"`
	AccountID string   `json:"account_id"`
	Scopes    []string `json:"scopes"`
}

func (a *API) userRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/settle/v1/me", Access: Authenticated, Tag: "Users",
			Summary: "Who the token belongs to and what it may do", Response: MeJSON{}, Status: 200, handle: a.me},
		{Method: "GET", Path: "/settle/v1/users", Scope: auth.ScopeUsersRead, Tag: "Users",
			Summary: "List the account's users", Response: list[UserJSON]{}, Status: 200, handle: a.listUsers},
		{Method: "POST", Path: "/settle/v1/users", Scope: auth.ScopeUsersWrite, Tag: "Users",
			Summary: "Add a user", Request: UserCreate{}, Response: UserJSON{}, Status: 201, handle: a.createUser},
		{Method: "GET", Path: "/settle/v1/users/{id}", Scope: auth.ScopeUsersRead, Tag: "Users",
			Summary: "Read a user", Response: UserJSON{}, Status: 200, handle: a.getUser},
		{Method: "PATCH", Path: "/settle/v1/users/{id}", Scope: auth.ScopeUsersWrite, Tag: "Users",
			Summary: "Change a user's name, language, password or permissions", Request: UserPatch{},
			Response: UserJSON{}, Status: 200, handle: a.patchUser},
		{Method: "DELETE", Path: "/settle/v1/users/{id}", Scope: auth.ScopeUsersWrite, Tag: "Users",
			Summary: "Remove a user with their sessions and tokens", Status: 204, handle: a.deleteUser},
	}
}

func (a *API) me(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	u, err := a.deps.Auth.User(r.Context(), p.AccountID, p.UserID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, MeJSON{User: userJSON(u), AccountID: formatID(p.AccountID),
		Scopes: scopeStrings(p.EffectiveScopes())})
	return nil
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	users, err := a.deps.Auth.Users(r.Context(), p.AccountID)
	if err != nil {
		return err
	}
	out := list[UserJSON]{Results: make([]UserJSON, len(users))}
	for i, u := range users {
		out.Results[i] = userJSON(u)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	var body UserCreate
	if err := decode(r, &body); err != nil {
		return err
	}
	u, err := a.deps.Auth.CreateUser(r.Context(), p.AccountID, auth.NewUser{Email: body.Email, Name: body.Name,
		Language: body.Language, Password: body.Password, Permissions: permissions(body.Permissions)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, userJSON(u))
	return nil
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	u, err := a.deps.Auth.User(r.Context(), p.AccountID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

func (a *API) patchUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	var body UserPatch
	if err := decode(r, &body); err != nil {
		return err
	}
	up := auth.UserUpdate{Name: body.Name, Language: body.Language, Password: body.Password}
	if body.Permissions != nil {
		perms := permissions(*body.Permissions)
		up.Permissions = &perms
	}
	u, err := a.deps.Auth.UpdateUser(r.Context(), p.AccountID, id, up)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userJSON(u))
	return nil
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	if err := a.deps.Auth.DeleteUser(r.Context(), p.AccountID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func userJSON(u auth.User) UserJSON {
	perms := make([]string, len(u.Permissions))
	for i, p := range u.Permissions {
		perms[i] = string(p)
	}
	return UserJSON{ID: formatID(u.ID), Email: u.Email, Name: u.Name, Language: u.Language, Permissions: perms,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, LastLoginAt: u.LastLoginAt}
}

func permissions(names []string) []auth.Permission {
	out := make([]auth.Permission, len(names))
	for i, n := range names {
		out[i] = auth.Permission(n)
	}
	return out
}

func scopeStrings(scopes []auth.Scope) []string {
	out := make([]string, len(scopes))
	for i, s := range scopes {
		out[i] = string(s)
	}
	return out
}
