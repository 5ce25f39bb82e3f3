package ui_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// postLogo posts the settings page's logo form: the file (none when data is nil) and, when
// remove is set, its remove button.
func (d *dashboard) postLogo(data []byte, remove bool) (*http.Response, string) {
	d.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("csrf_token", d.csrf("/settings"))
	if remove {
		w.WriteField("remove", "1")
	}
	if data != nil {
		part, _ := w.CreateFormFile("logo", "logo.png")
		part.Write(data)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, d.app.URL+"/settings/logo", &b)
	if err != nil {
		d.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return d.do(req)
}

// TestTheLogoIsUploadedFromSettings: the settings page uploads a logo, shows it and removes
// it; a file that is not an image is refused with its reason and the logo stays; a form
// without the CSRF token is refused.
func TestTheLogoIsUploadedFromSettings(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		d := signedIn(t, a, "admin@acme.test")
		var img bytes.Buffer
		if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 80, 20))); err != nil {
			t.Fatal(err)
		}
		logo := func() string {
			acct, err := a.Auth.Account(context.Background(), a.Account.ID)
			if err != nil {
				t.Fatal(err)
			}
			return acct.Branding.LogoFileID
		}
		if res, _ := d.postLogo(img.Bytes(), false); res.StatusCode != http.StatusSeeOther || logo() == "" {
			t.Fatalf("upload: %d, logo %q", res.StatusCode, logo())
		}
		kept := logo()
		if _, page := d.get("/settings"); !strings.Contains(page, `src="/brand/logo/`+kept+`"`) {
			t.Errorf("the settings page does not show the logo")
		}
		res, page := d.postLogo(img.Bytes()[:40], false) // a PNG cut short
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "this file is not one, or it is damaged") || logo() != kept {
			t.Errorf("a broken image: %d, logo %q", res.StatusCode, logo())
		}
		if res, page := d.postLogo(nil, false); res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Choose the logo&#39;s file") {
			t.Errorf("no file: %d", res.StatusCode)
		}
		if res, _ := d.postLogo(nil, true); res.StatusCode != http.StatusSeeOther || logo() != "" {
			t.Errorf("remove: %d, logo %q", res.StatusCode, logo())
		}
		req, _ := http.NewRequest(http.MethodPost, a.URL+"/settings/logo", strings.NewReader("--x--\r\n"))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		if res, _ := d.do(req); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusBadRequest {
			t.Errorf("a form without its CSRF token: %d", res.StatusCode)
		}
	})
}
