package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/problem"
)

// sessionCookie holds the secret of a dashboard session.
const sessionCookie = "settle_session"

// maxFormBytes bounds the body of a dashboard form.
const maxFormBytes = 64 << 10

// maxUploadBytes bounds a posted form that carries a file (the logo): the largest file and
// the form around it.
const maxUploadBytes = 3 << 20

// visit is who is asking and in which language. Principal and Account are zero on pages
// that need no session (the login page).
type visit struct {
	Principal auth.Principal
	Account   auth.Account
	Lang      string
	secret    string
}

// signedIn reports whether the visit carries a session.
func (v *visit) signedIn() bool { return v.Principal.UserID != 0 }

// pageFunc answers one dashboard request.
type pageFunc func(w http.ResponseWriter, r *http.Request, v *visit) error

// signedIn wraps a page that needs a session: without one the browser is sent to the login
// page; a form post must carry the session's CSRF token; errors become error pages.
func (u *UI) signedIn(h pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w)
		v, err := u.openVisit(w, r)
		if errors.Is(err, problem.ErrUnauthenticated) {
			u.toLogin(w, r)
			return
		}
		if err == nil && r.Method == http.MethodPost {
			err = u.checkForm(w, r, v.Principal.CSRFToken)
		}
		if err == nil {
			err = h(w, r, v)
		}
		if err != nil {
			u.fail(w, r, v, err)
		}
	})
}

// public wraps a page that needs no session, in the language the request asks for.
func (u *UI) public(h pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w)
		v := &visit{Lang: u.language(w, r, "", "")}
		if err := h(w, r, v); err != nil {
			u.fail(w, r, v, err)
		}
	})
}

// openVisit reads the session cookie and the account it belongs to. The visit it returns
// always has a language, even with an error, so that the error page can be written.
func (u *UI) openVisit(w http.ResponseWriter, r *http.Request) (*visit, error) {
	v := &visit{}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		v.Lang = u.language(w, r, "", "")
		return v, fmt.Errorf("no session cookie: %w", problem.ErrUnauthenticated)
	}
	v.secret = c.Value
	v.Principal, err = u.deps.Auth.Session(r.Context(), c.Value)
	if err != nil {
		v.Lang = u.language(w, r, "", "")
		return v, err
	}
	v.Account, err = u.deps.Auth.Account(r.Context(), v.Principal.AccountID)
	v.Lang = u.language(w, r, v.Principal.Language, v.Account.Language)
	return v, err
}

// toLogin sends a request without a valid session to the login page, forgetting a stale
// session cookie. A page asked for with GET is remembered, to return to after signing in.
func (u *UI) toLogin(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(sessionCookie); err == nil {
		http.SetCookie(w, u.cookie(sessionCookie, "", -1, http.SameSiteLaxMode))
	}
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// cookie returns an HttpOnly cookie for the whole site, Secure when Settle is served over
// HTTPS. A negative maxAge deletes it; zero makes it last until the browser closes.
func (u *UI) cookie(name, value string, maxAge int, site http.SameSite) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: u.deps.Config.SecureCookies(), SameSite: site}
}

// localPath returns next when it is a path on this site, and "/" otherwise, so that the
// login page cannot be used to send someone elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	p, err := url.Parse(next)
	if err != nil || p.Scheme != "" || p.Host != "" || p.User != nil {
		return "/"
	}
	return next
}
