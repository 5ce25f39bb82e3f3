package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/problem"
)

// usersData is the users page: the account's users and the choices of the add form.
type usersData struct {
	Users       []auth.User
	Permissions []auth.Permission
	Languages   []string
}

// userData is the page of one user: their record and the choices of the edit form.
type userData struct {
	User        auth.User
	Permissions []auth.Permission
	Languages   []string
}

// mayManageUsers lets a user with manage_settings see the users; only a super admin may
// add, change or remove them (needSuperAdmin).
func mayManageUsers(p auth.Principal) error {
	if !p.Has(auth.PermManageSettings) {
		return problem.Forbidden("the users page needs %s", auth.PermManageSettings)
	}
	return nil
}

func needSuperAdmin(p auth.Principal) error {
	if !p.Has(auth.PermSuperAdmin) {
		return problem.Forbidden("adding, changing and removing users needs %s", auth.PermSuperAdmin)
	}
	return nil
}

func (u *UI) usersView(r *http.Request, v *visit, f *form, status int) (view, error) {
	users, err := u.deps.Auth.Users(r.Context(), v.Principal.AccountID)
	return view{name: "settings_users", Status: status, Title: "settings.users.title", Section: "/settings",
		Form: f, Data: usersData{Users: users, Permissions: auth.Permissions, Languages: u.text.Languages()}}, err
}

// usersPage lists the account's users, with a form to add one for a super admin.
func (u *UI) usersPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := mayManageUsers(v.Principal); err != nil {
		return err
	}
	vw, err := u.usersView(r, v, newForm(nil), http.StatusOK)
	if err != nil {
		return err
	}
	return u.render(w, r, v, vw)
}

// addUser creates a user from the add form.
func (u *UI) addUser(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := needSuperAdmin(v.Principal); err != nil {
		return err
	}
	_, err := u.deps.Auth.CreateUser(r.Context(), v.Principal.AccountID, auth.NewUser{
		Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Language: r.PostFormValue("language"),
		Password: r.PostFormValue("password"), Permissions: postedPermissions(r.PostForm),
	})
	f := newForm(r.PostForm)
	f.forget("password")
	if status, ok := u.formFailure(v.Lang, "user", f, err, "users.error.email_taken"); ok {
		vw, err := u.usersView(r, v, f, status)
		if err != nil {
			return err
		}
		return u.render(w, r, v, vw)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/settings/users", "user_added")
}

// postedPermissions reads a group of permission checkboxes; the group's hidden empty value
// is dropped.
func postedPermissions(values url.Values) []auth.Permission {
	out := []auth.Permission{}
	for _, name := range values["permissions"] {
		if name != "" {
			out = append(out, auth.Permission(name))
		}
	}
	return out
}

// pathUser reads the {id} of a users URL and returns that user of the signed-in account;
// any other id, another account's included, is not found.
func (u *UI) pathUser(r *http.Request, v *visit) (auth.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return auth.User{}, problem.NotFound("user %q", r.PathValue("id"))
	}
	return u.deps.Auth.User(r.Context(), v.Principal.AccountID, id)
}

func (u *UI) userView(usr auth.User, f *form, status int) view {
	return view{name: "settings_user", Status: status, Title: "settings.user.title", Section: "/settings",
		Form: f, Data: userData{User: usr, Permissions: auth.Permissions, Languages: u.text.Languages()}}
}

func userValues(usr auth.User) url.Values {
	values := url.Values{"name": {usr.Name}, "language": {usr.Language}}
	for _, p := range usr.Permissions {
		values.Add("permissions", string(p))
	}
	return values
}

// userPage shows one user, with a form to change them for a super admin.
func (u *UI) userPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := mayManageUsers(v.Principal); err != nil {
		return err
	}
	usr, err := u.pathUser(r, v)
	if err != nil {
		return err
	}
	return u.render(w, r, v, u.userView(usr, newForm(userValues(usr)), http.StatusOK))
}
