package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/settlehq/settle/internal/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

// sharedTemplates are parsed with every page: the layout and the partials pages call.
func sharedTemplates() []string {
	return []string{"templates/layout.html", "templates/partials.html", "templates/line_items.html"}
}

// pages maps a page's name (its file under templates/, without .html) to its templates.
type pages map[string]*template.Template

// parsePages parses each page with the shared templates, once, at start.
func parsePages() (pages, error) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, file := range files {
		if slices.Contains(sharedTemplates(), file) {
			continue
		}
		name := strings.TrimSuffix(path.Base(file), ".html")
		patterns := append(sharedTemplates(), file)
		t, err := template.New(name).Funcs(templateFuncs()).ParseFS(templateFiles, patterns...)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
		out[name] = t
	}
	return out, nil
}

// templateFuncs are the functions templates call besides the page's methods.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"join": strings.Join,
		"dict": dict,
	}
}

// dict builds a map from name, value pairs, to hand several values to a template.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict needs name, value pairs, got %d arguments", len(pairs))
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		name, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: argument %d is not a name", i)
		}
		m[name] = pairs[i+1]
	}
	return m, nil
}

// view is what a handler asks to render: a page, its status and its data.
type view struct {
	// name is the page's template (templates/<name>.html).
	name string
	// Status is the HTTP status; zero means 200.
	Status int
	// Title is the catalog key of the page's heading and title.
	Title string
	// Heading, when set, names what the page shows (a record's name): the browser's title
	// puts it before Title's text.
	Heading string
	// Section is the path of the navigation item to mark as current.
	Section string
	// Notice is the catalog key of a message confirming what was just done.
	Notice string
	// Form is the page's form, with what was typed and what is wrong with it.
	Form *form
	// Data is the page's own data.
	Data any
	// csrf replaces the session's CSRF token in forms (the login form has no session).
	csrf string
}

// render writes a page, all at once: a template that fails halfway sends an error page, not
// half a page.
func (u *UI) render(w http.ResponseWriter, r *http.Request, v *visit, vw view) error {
	t, ok := u.pages[vw.name]
	if !ok {
		return fmt.Errorf("no page template %q", vw.name)
	}
	if vw.Notice == "" {
		vw.Notice = u.noticeKey(r.URL.Query().Get("notice"))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", u.newPage(r, v, vw)); err != nil {
		return fmt.Errorf("render %s: %w", vw.name, err)
	}
	if vw.Status == 0 {
		vw.Status = http.StatusOK
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(vw.Status)
	_, err := buf.WriteTo(w)
	return err
}

// noticeKey returns the catalog key of a confirmation a redirect asked for with ?notice=,
// or "" when the catalog has no such notice: nothing else from the query reaches the page.
func (u *UI) noticeKey(code string) string {
	key := "notice." + code
	if code == "" || !u.text.Has(i18n.Default, key) {
		return ""
	}
	return key
}

// redirect answers a successful form post by sending the browser to a page (POST, then
// redirect, then GET), optionally with a notice to show there.
func redirect(w http.ResponseWriter, r *http.Request, to, notice string) error {
	if notice != "" {
		to += "?notice=" + notice
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
