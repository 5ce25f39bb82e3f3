package ui

import (
	"net/http"
	"net/url"

	"github.com/settlehq/settle/internal/auth"
)

// saveUser applies the edit form of a user: name, language, permissions and, when typed, a
// new password. The account's last super admin keeps that permission.
func (u *UI) saveUser(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := needSuperAdmin(v.Principal); err != nil {
		return err
	}
	usr, err := u.pathUser(r, v)
	if err != nil {
		return err
	}
	saved, err := u.deps.Auth.UpdateUser(r.Context(), v.Principal.AccountID, usr.ID, userUpdate(r.PostForm))
	f := newForm(r.PostForm)
	f.forget("password")
	if status, ok := u.formFailure(v.Lang, "user", f, err, "users.error.last_super_admin"); ok {
		return u.render(w, r, v, u.userView(usr, f, status))
	}
	if err != nil {
		return err
	}
	if saved.ID == v.Principal.UserID && !saved.Permissions.Has(auth.PermManageSettings) {
		return redirect(w, r, "/settings", "user_updated")
	}
	return redirect(w, r, "/settings/users", "user_updated")
}

// userUpdate reads the edit form. Permissions change only when the form carries the group
// (its hidden empty value is always posted); the password only when one is typed.
func userUpdate(values url.Values) auth.UserUpdate {
	up := auth.UserUpdate{Name: present(values, "name"), Language: present(values, "language")}
	if _, ok := values["permissions"]; ok {
		perms := postedPermissions(values)
		up.Permissions = &perms
	}
	if pw := values.Get("password"); pw != "" {
		up.Password = &pw
	}
	return up
}

// removeUserPage asks a super admin to confirm removing a user.
func (u *UI) removeUserPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := needSuperAdmin(v.Principal); err != nil {
		return err
	}
	usr, err := u.pathUser(r, v)
	if err != nil {
		return err
	}
	return u.render(w, r, v, removeUserView(usr, newForm(nil), http.StatusOK))
}

func removeUserView(usr auth.User, f *form, status int) view {
	return view{name: "settings_user_remove", Status: status, Title: "settings.user_remove.title",
		Section: "/settings", Form: f, Data: usr}
}

// removeUser removes a user with their sessions and tokens, unless they are the account's
// last super admin.
func (u *UI) removeUser(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := needSuperAdmin(v.Principal); err != nil {
		return err
	}
	usr, err := u.pathUser(r, v)
	if err != nil {
		return err
	}
	err = u.deps.Auth.DeleteUser(r.Context(), v.Principal.AccountID, usr.ID)
	f := newForm(nil)
	if status, ok := u.formFailure(v.Lang, "user", f, err, "users.error.last_super_admin"); ok {
		return u.render(w, r, v, removeUserView(usr, f, status))
	}
	if err != nil {
		return err
	}
	if usr.ID == v.Principal.UserID {
		return redirect(w, r, "/login", "")
	}
	return redirect(w, r, "/settings/users", "user_removed")
}
