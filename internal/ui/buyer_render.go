package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/settlehq/settle/internal/auth"
)

// buyerLayout is the buyer pages' own layout: the merchant's brand, not the dashboard's
// shell; buyerParts the parts several pages share. Every other templates/buyer_*.html is a
// buyer page.
const (
	buyerLayout = "templates/buyer_layout.html"
	buyerParts  = "templates/buyer_parts.html"
)

// buyerPages maps a buyer page's name (its file without .html) to its templates.
type buyerPages map[string]*template.Template

// parseBuyerPages parses each buyer page with the buyer layout and parts, once, at start.
func parseBuyerPages() (buyerPages, error) {
	files, err := fs.Glob(templateFiles, "templates/buyer_*.html")
	if err != nil {
		return nil, err
	}
	out := buyerPages{}
	for _, file := range files {
		if file == buyerLayout || file == buyerParts {
			continue
		}
		name := strings.TrimSuffix(path.Base(file), ".html")
		t, err := template.New(name).Funcs(templateFuncs()).ParseFS(templateFiles, buyerLayout, buyerParts, file)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
		out[name] = t
	}
	return out, nil
}

// defaultBrandColor is the brand colour of an account that has none, or an invalid one.
const defaultBrandColor = "#1F6FEB"

// hexColor is a colour in #RRGGBB form, the only form a brand colour reaches a page in.
var hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// buyerBrand is how a buyer page presents the merchant (SPEC F31).
type buyerBrand struct {
	Name string
	// LogoURL is where the logo is served; "" shows the name alone.
	LogoURL string
	// CSS sets the brand colour, and a text colour readable on it, as custom properties.
	CSS template.CSS
	// TestMode marks pages of an account in test mode, where no real money moves.
	TestMode bool
}

// brandOf is the account's branding: its company name (else the account's name), its
// logo when it has one, and its colour.
func brandOf(a auth.Account) buyerBrand {
	name := a.Branding.CompanyName
	if strings.TrimSpace(name) == "" {
		name = a.Name
	}
	color := a.Branding.Color
	if !hexColor.MatchString(color) {
		color = defaultBrandColor
	}
	logo := ""
	if a.Branding.LogoFileID != "" {
		logo = "/brand/logo/" + url.PathEscape(a.Branding.LogoFileID)
	}
	return buyerBrand{Name: name, TestMode: a.TestMode, LogoURL: logo,
		CSS: template.CSS(":root{--brand:" + strings.ToLower(color) + ";--brand-ink:" + inkOn(color) + "}")}
}

// inkOn is black or white, whichever reads better on a #RRGGBB background (WCAG relative
// luminance, approximated without gamma: enough to choose between two).
func inkOn(color string) string {
	c := func(i int) float64 {
		v, _ := strconv.ParseUint(color[i:i+2], 16, 8)
		return float64(v) / 255
	}
	if 0.2126*c(1)+0.7152*c(3)+0.0722*c(5) > 0.6 {
		return "#111111"
	}
	return "#ffffff"
}

// buyerCSP is the buyer pages' content security policy: the dashboard's, plus the one
// inline <style> that sets the brand colour, allowed by its hash.
func buyerCSP(b buyerBrand) string {
	sum := sha256.Sum256([]byte(b.CSS))
	return strings.Replace(contentSecurityPolicy, "style-src 'self'",
		"style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1)
}

// buyerView is what a buyer handler asks to render.
type buyerView struct {
	name   string
	Status int
	// Title is the catalog key of the page's heading; Heading, when set, replaces it.
	Title   string
	Heading string
	Brand   buyerBrand
	Form    *form
	Data    any
}

// buyerPage is what buyer templates see.
type buyerPage struct {
	buyerView
	Lang  string
	ui    *UI
	path  string
	query url.Values
}

// T returns the text of key in the page's language; args are name, value pairs.
func (p *buyerPage) T(key string, args ...any) string { return p.ui.text.T(p.Lang, key, args...) }

// Asset is the URL of a static file.
func (p *buyerPage) Asset(name string) string { return p.ui.assets.url(name) }

// Languages lists the page in each language; only ?lang= is kept of the query.
func (p *buyerPage) Languages() []langLink {
	var out []langLink
	for _, code := range p.ui.text.Languages() {
		out = append(out, langLink{Code: code, Name: languageName(code), URL: p.path + "?lang=" + code, Current: code == p.Lang})
	}
	return out
}

// render writes a buyer page all at once, with the buyer pages' headers: never stored,
// never framed, and a CSP that allows the brand's style.
func (b *buyerSite) render(w http.ResponseWriter, r *http.Request, lang string, vw buyerView) error {
	t, ok := b.pages[vw.name]
	if !ok {
		return fmt.Errorf("no buyer page template %q", vw.name)
	}
	var buf bytes.Buffer
	page := &buyerPage{buyerView: vw, Lang: lang, ui: b.ui, path: r.URL.Path, query: r.URL.Query()}
	if err := t.ExecuteTemplate(&buf, "buyer_layout", page); err != nil {
		return fmt.Errorf("render %s: %w", vw.name, err)
	}
	setSecurityHeaders(w)
	w.Header().Set("Content-Security-Policy", buyerCSP(vw.Brand))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if vw.Status == 0 {
		vw.Status = http.StatusOK
	}
	w.WriteHeader(vw.Status)
	_, err := buf.WriteTo(w)
	return err
}

// buyerField is one input of a buyer form, as the buyer_field template draws it.
type buyerField struct {
	ID, Name, Label, Value, Error, Hint string
	Type, Autocomplete, InputMode       string
	Required                            bool
	// Optional is the word that marks a field the buyer may leave empty.
	Optional string
}

// DescribedBy lists the ids of the field's hint and error, for aria-describedby.
func (f buyerField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Field describes a field of the page's form: its name, the catalog key of its label, and
// options written name=value (type, autocomplete, inputmode, hint as a catalog key) or as a
// bare word (required).
func (p *buyerPage) Field(name, label string, options ...string) buyerField {
	f := buyerField{ID: fieldID(name), Name: name, Label: p.T(label), Value: p.Form.Value(name), Error: p.Form.Error(name), Type: "text",
		Optional: p.T("buyer.field.optional")}
	for _, o := range options {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "type":
			f.Type = v
		case "autocomplete":
			f.Autocomplete = v
		case "inputmode":
			f.InputMode = v
		case "hint":
			f.Hint = p.T(v)
		case "required":
			f.Required = true
		}
	}
	return f
}

// ErrorOf is the message of a group of fields (a fieldset) that was refused as a whole.
func (p *buyerPage) ErrorOf(name string) string { return p.Form.Error(name) }

// buyerProblem is an entry of the error summary: a message and the field it links to.
type buyerProblem struct{ ID, Message string }

// Problems lists the refused fields in the order of the form, for the error summary.
func (p *buyerPage) Problems() []buyerProblem {
	var out []buyerProblem
	for _, name := range buyerFieldOrder() {
		if msg := p.Form.Error(name); msg != "" {
			out = append(out, buyerProblem{ID: fieldID(name), Message: msg})
		}
	}
	return out
}
