package ui

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/problem"
)

// loginView is the login page with f, whose "next" field is where to go after signing in.
func loginView(f *form, status int, csrf string) view {
	return view{name: "login", Status: status, Title: "login.title", Form: f, csrf: csrf}
}

// loginPage shows the login form, or sends a browser that is signed in already on its way.
func (u *UI) loginPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	next := localPath(r.URL.Query().Get("next"))
	if c, err := r.Cookie(sessionCookie); err == nil {
		if _, err := u.deps.Auth.Session(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return nil
		}
	}
	f := newForm(url.Values{"next": {next}})
	return u.render(w, r, v, loginView(f, http.StatusOK, u.loginToken(w, r)))
}

// login checks the email and password posted by the login form and opens a session. A wrong
// pair shows the form again with the email kept, never saying which of the two was wrong.
func (u *UI) login(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := u.checkLoginForm(w, r); err != nil {
		return err
	}
	email, next := r.PostFormValue("email"), localPath(r.PostFormValue("next"))
	secret, _, err := u.deps.Auth.Login(r.Context(), email, r.PostFormValue("password"))
	if errors.Is(err, problem.ErrUnauthenticated) {
		f := newForm(url.Values{"email": {email}, "next": {next}})
		f.Message = u.text.T(v.Lang, "login.invalid")
		return u.render(w, r, v, loginView(f, http.StatusUnauthorized, u.loginToken(w, r)))
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, u.cookie(sessionCookie, secret, int(auth.SessionTTL.Seconds()), http.SameSiteLaxMode))
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// logout ends the session and forgets its cookie.
func (u *UI) logout(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := u.deps.Auth.Logout(r.Context(), v.secret); err != nil {
		return err
	}
	http.SetCookie(w, u.cookie(sessionCookie, "", -1, http.SameSiteLaxMode))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
