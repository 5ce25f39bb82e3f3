package ui

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/auth"
)

// navItem is one entry of the dashboard's navigation.
type navItem struct {
	// Key names the entry: its catalog key is "nav.<Key>" and its icon the sprite's <Key>.
	Key  string
	Path string
	// empty is set for sections whose records come in later versions of Settle: their page
	// says there is nothing yet.
	empty bool
	// groupStart sets an entry apart from the ones before it, as the first of a group.
	groupStart bool
}

// navigation lists the dashboard's sections in the order the navigation shows them.
func navigation() []navItem {
	return []navItem{
		{Key: "payments", Path: "/payments"},
		{Key: "disputes", Path: "/disputes", empty: true},
		{Key: "payouts", Path: "/payouts", empty: true},
		{Key: "reports", Path: "/reports", empty: true},
		{Key: "payment_links", Path: linksPath, groupStart: true},
		{Key: "invoices", Path: "/selling/invoices"},
		{Key: "quotes", Path: "/selling/quotes"},
		{Key: "products", Path: "/selling/products"},
		{Key: "contacts", Path: "/contacts", groupStart: true},
		{Key: "companies", Path: "/companies"},
		{Key: "deals", Path: "/deals"},
		{Key: "workflows", Path: "/workflows", empty: true, groupStart: true},
		{Key: "segments", Path: "/segments", empty: true},
		{Key: "settings", Path: "/settings"},
		{Key: "mailbox", Path: "/mailbox", empty: true},
	}
}

// sections returns the navigation entries that have no records yet.
func sections() []navItem {
	var out []navItem
	for _, n := range navigation() {
		if n.empty {
			out = append(out, n)
		}
	}
	return out
}

// page is what templates see: the view, the visit and helpers to localize and format.
type page struct {
	view
	*visit
	ui    *UI
	path  string
	query url.Values
	loc   *time.Location
}

func (u *UI) newPage(r *http.Request, v *visit, vw view) *page {
	return &page{view: vw, visit: v, ui: u, path: r.URL.Path, query: r.URL.Query(), loc: location(v.Account.Timezone)}
}

// T returns the text of key in the visit's language; args are name, value pairs.
func (p *page) T(key string, args ...any) string { return p.ui.text.T(p.Lang, key, args...) }

// Shell reports whether the page shows the signed-in header and navigation.
func (p *page) Shell() bool { return p.signedIn() && p.Account.ID != 0 }

// CSRF is the token every form of the page carries.
func (p *page) CSRF() string {
	if p.csrf != "" {
		return p.csrf
	}
	return p.Principal.CSRFToken
}

// part is what a partial template draws, with the page's helpers ($.T, the CSRF token) at
// hand.
type part struct {
	*page
	Part any
}

// With hands data to a partial template along with the page.
func (p *page) With(data any) part { return part{page: p, Part: data} }

// Can reports whether the signed-in user holds a permission.
func (p *page) Can(perm string) bool { return p.Principal.Has(auth.Permission(perm)) }

// Nav lists the navigation, the current section marked.
func (p *page) Nav() []navLink {
	var out []navLink
	for _, n := range navigation() {
		out = append(out, navLink{Key: n.Key, Path: n.Path, Label: p.T("nav." + n.Key), Current: n.Path == p.Section,
			Icon: p.Asset("icons.svg") + "#" + n.Key, GroupStart: n.groupStart})
	}
	return out
}

// navLink is a navigation entry as the layout draws it.
type navLink struct {
	Key, Path, Label, Icon string
	Current, GroupStart    bool
}

// SettingsNav lists the settings pages the user may open, the current one marked.
func (p *page) SettingsNav() []navLink {
	links := []navLink{{Key: "account", Path: "/settings"}}
	if p.Principal.Has(auth.PermManageSettings) {
		links = append(links, navLink{Key: "users", Path: "/settings/users"})
	}
	links = append(links, navLink{Key: "api_tokens", Path: "/settings/api-tokens"},
		navLink{Key: "test_clock", Path: "/settings/test-clock"})
	for i := range links {
		links[i].Label = p.T("settings.nav." + links[i].Key)
		links[i].Current = links[i].Path == p.path || (links[i].Key == "users" && strings.HasPrefix(p.path, "/settings/users/"))
	}
	return links
}

// langLink is an entry of the language menu.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// Languages lists the languages the page can be read in, each a link to this page in it
// that keeps the rest of the query (the login page's next) but not a one-time notice.
func (p *page) Languages() []langLink {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Del("notice")
	var out []langLink
	for _, code := range p.ui.text.Languages() {
		q.Set("lang", code)
		out = append(out, langLink{Code: code, Name: languageName(code), URL: p.path + "?" + q.Encode(),
			Current: code == p.Lang})
	}
	return out
}

// LanguageName is a language's name in itself.
func (p *page) LanguageName(code string) string { return languageName(code) }

// Asset is the URL of a static file, naming its content so that browsers may cache it for
// good.
func (p *page) Asset(name string) string { return p.ui.assets.url(name) }

// Time writes a moment in the account's time zone, in a <time> element; nil writes a dash.
func (p *page) Time(t *time.Time) template.HTML {
	if t == nil || t.IsZero() {
		return "—"
	}
	local := t.In(p.loc)
	return template.HTML(`<time datetime="` + local.Format(time.RFC3339) + `">` +
		html.EscapeString(local.Format("2006-01-02 15:04 MST")) + `</time>`)
}

// Date is Time for a value rather than a pointer.
func (p *page) Date(t time.Time) template.HTML { return p.Time(&t) }
