package ui

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"

	"github.com/settlehq/settle/internal/problem"
)

// csrfField is the hidden form field that carries the CSRF token.
const csrfField = "csrf_token"

// loginCSRFCookie carries the CSRF token of the login form, which is posted before there
// is a session: the form's field must match the cookie (a double-submit cookie).
const loginCSRFCookie = "settle_csrf"

// errCSRF is a form post whose CSRF token is missing or wrong: it did not come from a page
// Settle served to this browser, or that page is too old.
var errCSRF = fmt.Errorf("the form's CSRF token is missing or wrong: %w", problem.ErrForbidden)

// checkForm reads a posted form, at most maxFormBytes (maxUploadBytes for a form with a
// file), and checks that its CSRF field equals want, in constant time.
func (u *UI) checkForm(w http.ResponseWriter, r *http.Request, want string) error {
	parse, limit := r.ParseForm, int64(maxFormBytes)
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		parse, limit = func() error { return r.ParseMultipartForm(maxFormBytes) }, maxUploadBytes
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := parse(); err != nil {
		return problem.Invalid("", "INVALID_FORM", "The form could not be read.")
	}
	got := r.PostFormValue(csrfField)
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF
	}
	return nil
}

// loginToken returns the login form's CSRF token, setting its cookie when the browser has
// none yet.
func (u *UI) loginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(loginCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	token := randomToken()
	http.SetCookie(w, u.cookie(loginCSRFCookie, token, 0, http.SameSiteStrictMode))
	return token
}

// checkLoginForm checks a posted login form against the login CSRF cookie.
func (u *UI) checkLoginForm(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil {
		return errCSRF
	}
	return u.checkForm(w, r, c.Value)
}

// randomToken returns 32 random bytes, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
