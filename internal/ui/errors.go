package ui

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/telemetry"
)

// errorKind maps an error to its status and the catalog prefix of the page that explains
// it. This is, with formFailure, the one place where service errors meet the dashboard.
func errorKind(err error) (int, string) {
	var inv *problem.InvalidError
	switch {
	case errors.Is(err, errCSRF):
		return http.StatusForbidden, "error.csrf"
	case errors.As(err, &inv):
		return http.StatusBadRequest, "error.invalid"
	case errors.Is(err, problem.ErrUnauthenticated):
		return http.StatusUnauthorized, ""
	case errors.Is(err, problem.ErrForbidden):
		return http.StatusForbidden, "error.forbidden"
	case errors.Is(err, problem.ErrNotFound):
		return http.StatusNotFound, "error.not_found"
	case errors.Is(err, problem.ErrConflict):
		return http.StatusConflict, "error.conflict"
	case errors.Is(err, problem.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "error.unavailable"
	}
	return http.StatusInternalServerError, "error.internal"
}

// errorData is what the error page shows besides its heading.
type errorData struct {
	Body      string
	RequestID string
}

// fail answers a request whose handler returned err: a lost session goes to the login page,
// anything else to an error page; server errors are logged with the request id, which the
// page shows so that the log line can be found.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	status, key := errorKind(err)
	if status == http.StatusUnauthorized {
		u.toLogin(w, r)
		return
	}
	id := telemetry.RequestID(r.Context())
	if status >= 500 {
		u.deps.Logger.ErrorContext(r.Context(), "dashboard request failed", "request_id", id,
			"method", r.Method, "path", r.URL.Path, "error", err.Error())
	}
	vw := view{name: "error", Status: status, Title: key + ".title",
		Data: errorData{Body: key + ".body", RequestID: id}}
	if rerr := u.render(w, r, v, vw); rerr != nil {
		u.deps.Logger.ErrorContext(r.Context(), "error page failed", "request_id", id, "error", rerr.Error())
		http.Error(w, http.StatusText(status), status)
	}
}

// formFailure shows on f an error that the user can fix in the form — refused fields, or a
// conflict explained by conflictKey — and returns the status to render the form with. It
// returns false for any other error, which the caller returns to fail. args are name, value
// pairs that the form's messages may use.
func (u *UI) formFailure(lang, formName string, f *form, err error, conflictKey string, args ...any) (int, bool) {
	var inv *problem.InvalidError
	switch {
	case errors.As(err, &inv):
		for _, fe := range inv.Fields {
			if fe.Field == "" {
				f.Message = u.fieldMessage(lang, formName, fe, args...)
				continue
			}
			f.refuse(fe.Field, u.fieldMessage(lang, formName, fe, args...))
		}
		return http.StatusBadRequest, true
	case errors.Is(err, problem.ErrConflict) && conflictKey != "":
		f.Message = u.text.T(lang, conflictKey)
		return http.StatusConflict, true
	}
	return 0, false
}

// fieldMessage localizes why a field was refused, from the most precise catalog key to the
// most general: field_error.<form>.<field>.<code>, field_error.<field>.<code>,
// field_error.<code>, field_error.default.
func (u *UI) fieldMessage(lang, formName string, fe problem.FieldError, args ...any) string {
	for _, key := range []string{
		"field_error." + formName + "." + fe.Field + "." + fe.Code,
		"field_error." + fe.Field + "." + fe.Code,
		"field_error." + fe.Code,
	} {
		if u.text.Has(i18n.Default, key) {
			return u.text.T(lang, key, append([]any{"min", auth.MinPasswordLen, "max", auth.MaxPasswordLen,
				"countries", strings.Join(auth.BuiltinCountries, ", ")}, args...)...)
		}
	}
	return u.text.T(lang, "field_error.default")
}
