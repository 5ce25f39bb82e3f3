package api_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/apptest"
	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
)

// upload builds a multipart form with a file part (when data is not nil) and a purpose.
func upload(t *testing.T, purpose, name string, data []byte) (body string, headers map[string]string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if data != nil {
		part, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(data)
	}
	w.WriteField("purpose", purpose)
	w.Close()
	return b.String(), map[string]string{"Content-Type": w.FormDataContentType()}
}

func logoPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 64, 32))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestUploadingALogo: a logo uploaded through the API becomes the account's branding; files
// that are not logos, another account's file and a user without the account scope are
// refused, and the branding stays as it was.
func TestUploadingALogo(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		body, headers := upload(t, "logo", "acme.png", logoPNG(t))
		res, out := a.Do(t, "POST", "/settle/v1/files", "", body, headers)
		var f struct{ ID, Purpose, ContentType string }
		if err := json.Unmarshal(out, &f); res.StatusCode != 201 || err != nil || f.Purpose != "logo" || f.ID == "" {
			t.Fatalf("upload: %d %s", res.StatusCode, out)
		}
		pdfBody, pdfHeaders := upload(t, "dispute_evidence", "receipt.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		_, pdfOut := a.Do(t, "POST", "/settle/v1/files", "", pdfBody, pdfHeaders)
		var evidence struct{ ID string }
		_ = json.Unmarshal(pdfOut, &evidence)
		_, _, otherToken := a.OtherAccount(t, "boss@globex.test")
		otherBody, otherHeaders := upload(t, "logo", "globex.png", logoPNG(t))
		_, otherOut := a.Do(t, "POST", "/settle/v1/files", otherToken, otherBody, otherHeaders)
		var theirs struct{ ID string }
		_ = json.Unmarshal(otherOut, &theirs)
		_, clerk := a.UserWith(t, "clerk@acme.test", auth.PermViewPayments)
		text, textHeaders := upload(t, "logo", "logo.svg", []byte(`<svg onload="alert(1)"/>`))
		none, noneHeaders := upload(t, "logo", "", nil)
		a.Run(t, []apptest.Scenario{
			{Name: "an SVG is no logo", Method: "POST", URL: "/settle/v1/files", Body: text, Headers: textHeaders, ExpectedStatus: 400,
				ExpectedContent: []string{`"code":"INVALID_FILE_TYPE"`}},
			{Name: "a form without a file", Method: "POST", URL: "/settle/v1/files", Body: none, Headers: noneHeaders, ExpectedStatus: 400,
				ExpectedContent: []string{`"code":"REQUIRED"`}},
			{Name: "JSON is no upload", Method: "POST", URL: "/settle/v1/files", Body: `{"purpose":"logo"}`, ExpectedStatus: 400,
				ExpectedContent: []string{`"code":"INVALID_UPLOAD"`}},
			{Name: "a clerk may not upload", Method: "POST", URL: "/settle/v1/files", Token: clerk, Body: body, Headers: headers,
				ExpectedStatus: 403},
			{Name: "evidence is no logo", Method: "PATCH", URL: "/settle/v1/account", ExpectedStatus: 400,
				Body: `{"branding":{"logo_file_id":"` + evidence.ID + `"}}`, ExpectedContent: []string{`"code":"INVALID_FILE"`}},
			{Name: "another account's logo", Method: "PATCH", URL: "/settle/v1/account", ExpectedStatus: 400,
				Body: `{"branding":{"logo_file_id":"` + theirs.ID + `"}}`, ExpectedContent: []string{`"code":"INVALID_FILE"`}},
			{Name: "the branding is unchanged", Method: "GET", URL: "/settle/v1/account", ExpectedStatus: 200,
				ExpectedContent: []string{`"logo_file_id":null`}},
			{Name: "the logo becomes the account's", Method: "PATCH", URL: "/settle/v1/account", ExpectedStatus: 200,
				Body: `{"branding":{"logo_file_id":"` + f.ID + `"}}`, ExpectedContent: []string{`"logo_file_id":"` + f.ID + `"`}},
			{Name: "and is removed", Method: "PATCH", URL: "/settle/v1/account", ExpectedStatus: 200,
				Body: `{"branding":{"logo_file_id":""}}`, ExpectedContent: []string{`"logo_file_id":null`}},
		})
		if theirs.ID == "" || evidence.ID == "" || strings.HasPrefix(theirs.ID, f.ID) {
			t.Errorf("uploads: evidence %q, other account's %q", evidence.ID, theirs.ID)
		}
	})
}

// uploadLogo uploads data as a logo and returns its file id.
func uploadLogo(t *testing.T, a *apptest.App, data []byte) string {
	t.Helper()
	body, headers := upload(t, "logo", "logo.png", data)
	res, out := a.Do(t, "POST", "/settle/v1/files", "", body, headers)
	var f struct{ ID string }
	if err := json.Unmarshal(out, &f); res.StatusCode != 201 || err != nil {
		t.Fatalf("upload: %d %s", res.StatusCode, out)
	}
	return f.ID
}

// TestTheLogoBrandsBuyerPagesAndInvoices (SPEC F31): once the account shows a logo, its
// payment link page shows it, the logo is served to anyone at that address and the invoice
// PDF prints it; a file that is not the current logo is not served.
func TestTheLogoBrandsBuyerPagesAndInvoices(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		a := apptest.New(t, engine)
		logo := logoPNG(t)
		old, current := uploadLogo(t, a, logo), uploadLogo(t, a, logo)
		inv, _ := openInvoice(t, a, "buyer@globex.test")
		_, plain := a.Do(t, "GET", "/settle/v1/invoices/"+inv+"/pdf", "", "", nil)
		a.Run(t, []apptest.Scenario{{Name: "the logo is shown", Method: "PATCH", URL: "/settle/v1/account", ExpectedStatus: 200,
			Body: `{"branding":{"logo_file_id":"` + current + `"}}`}})
		link := createLink(t, a, `{"name":"Gym","line_items":[{"name":"Day pass","unit_amount":1500,"currency":"USD"}]}`)
		_, page := a.Do(t, "GET", "/pay/"+link.Slug, apptest.NoToken, "", nil)
		if !strings.Contains(string(page), `<img class="merchant-logo" src="/brand/logo/`+current+`"`) {
			t.Errorf("the link page shows no logo")
		}
		res, served := a.Do(t, "GET", "/brand/logo/"+current, apptest.NoToken, "", nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !bytes.Equal(served, logo) {
			t.Errorf("the logo: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(served))
		}
		for _, id := range []string{old, "file_000000000000000000000000"} {
			if res, _ := a.Do(t, "GET", "/brand/logo/"+id, apptest.NoToken, "", nil); res.StatusCode != 404 {
				t.Errorf("/brand/logo/%s: %d, want 404", id, res.StatusCode)
			}
		}
		_, branded := a.Do(t, "GET", "/settle/v1/invoices/"+inv+"/pdf", "", "", nil)
		image := []byte("/Subtype /Image")
		if bytes.Contains(plain, image) || !bytes.Contains(branded, image) {
			t.Errorf("images in the invoice PDF: %v before the logo, %v after", bytes.Contains(plain, image), bytes.Contains(branded, image))
		}
	})
}
