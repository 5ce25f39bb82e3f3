package ui_test

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
)

// dashboard is a browser without JavaScript: it keeps cookies, does not follow redirects
// and reads the CSRF token of the forms it is served.
type dashboard struct {
	t      *testing.T
	app    *apptest.App
	client *http.Client
}

func newDashboard(t *testing.T, a *apptest.App) *dashboard {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := a.Client()
	c.Jar = jar
	return &dashboard{t: t, app: a, client: c}
}

// signedIn returns a dashboard signed in as email with the test password.
func signedIn(t *testing.T, a *apptest.App, email string) *dashboard {
	t.Helper()
	d := newDashboard(t, a)
	res, body := d.login(email, apptest.AdminPassword, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d; body: %s", email, res.StatusCode, body)
	}
	return d
}

func (d *dashboard) do(req *http.Request) (*http.Response, string) {
	d.t.Helper()
	res, err := d.client.Do(req)
	if err != nil {
		d.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		d.t.Fatal(err)
	}
	return res, string(b)
}

func (d *dashboard) get(path string, headers ...string) (*http.Response, string) {
	d.t.Helper()
	req, err := http.NewRequest(http.MethodGet, d.app.URL+path, nil)
	if err != nil {
		d.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return d.do(req)
}

func (d *dashboard) post(path string, form url.Values) (*http.Response, string) {
	d.t.Helper()
	req, err := http.NewRequest(http.MethodPost, d.app.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		d.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return d.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf opens page and returns the CSRF token its forms carry.
func (d *dashboard) csrf(page string) string {
	d.t.Helper()
	res, body := d.get(page)
	m := csrfInput.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		d.t.Fatalf("GET %s: status %d, no CSRF token; body: %s", page, res.StatusCode, body)
	}
	return html.UnescapeString(m[1])
}

// submit posts form to action as the form on page would, with that page's CSRF token.
func (d *dashboard) submit(page, action string, form url.Values) (*http.Response, string) {
	d.t.Helper()
	form = cloneValues(form)
	form.Set("csrf_token", d.csrf(page))
	return d.post(action, form)
}

// login fills in the login form, reached with ?next=next when next is set.
func (d *dashboard) login(email, password, next string) (*http.Response, string) {
	d.t.Helper()
	page := "/login"
	if next != "" {
		page += "?next=" + url.QueryEscape(next)
	}
	form := url.Values{"email": {email}, "password": {password}}
	if next != "" {
		form.Set("next", next)
	}
	return d.submit(page, "/login", form)
}

// cookie returns the value of a cookie the dashboard holds for the app.
func (d *dashboard) cookie(name string) string {
	u, _ := url.Parse(d.app.URL)
	for _, c := range d.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// wantStatus fails the test when res does not have status want.
func wantStatus(t *testing.T, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body: %s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, body)
	}
}

// wantContains fails the test for each text that body lacks.
func wantContains(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q; page: %s", s, body)
		}
	}
}

// wantLacks fails the test for each text that body holds.
func wantLacks(t *testing.T, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(body, s) {
			t.Errorf("page holds %q", s)
		}
	}
}

// wantRedirect fails the test unless res is a 303 to location.
func wantRedirect(t *testing.T, res *http.Response, body, location string) {
	t.Helper()
	wantStatus(t, res, body, http.StatusSeeOther)
	if got := res.Header.Get("Location"); got != location {
		t.Fatalf("%s %s: redirects to %q, want %q", res.Request.Method, res.Request.URL.Path, got, location)
	}
}
