package files_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/files"
	"github.com/settlehq/settle/internal/problem"
)

// pngOf encodes a w × h image as PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// setup returns a store over a fresh database of engine, the database, and two accounts.
func setup(t *testing.T, engine config.Engine) (*files.Store, *db.DB, int64, int64) {
	d := dbtest.Open(t, engine)
	svc := auth.NewService(d, clock.System{})
	var ids []int64
	for _, email := range []string{"one@acme.test", "two@globex.test"} {
		a, _, err := svc.CreateAccount(context.Background(), auth.FirstRun{AccountName: email, Country: "US",
			Admin: auth.NewUser{Email: email, Password: "a long password"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return files.New(d, clock.System{}), d, ids[0], ids[1]
}

// TestFilesAreKeptForTheirAccount: a logo comes back as it went in, described by what it
// is (not by its given name), to its own account only.
func TestFilesAreKeptForTheirAccount(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		store, _, mine, theirs := setup(t, engine)
		ctx := context.Background()
		logo := pngOf(t, 120, 40)
		f, err := store.Put(ctx, mine, files.PurposeLogo, `C:\Users\ada\..\logo.gif`, logo)
		if err != nil {
			t.Fatal(err)
		}
		if f.ContentType != "image/png" || f.Name != "logo.gif" || f.Size != int64(len(logo)) || len(f.SHA256) != 64 ||
			!strings.HasPrefix(f.ID, "file_") {
			t.Errorf("kept %+v", f)
		}
		got, data, err := store.Open(ctx, mine, f.ID)
		if err != nil || !bytes.Equal(data, logo) || got != f {
			t.Errorf("open: %+v, %d bytes, %v; want %+v", got, len(data), err, f)
		}
		if _, err := store.Get(ctx, theirs, f.ID); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("another account's read: %v", err)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
		if ev, err := store.Put(ctx, mine, files.PurposeDisputeEvidence, "receipt.pdf", pdf); err != nil || ev.ContentType != "application/pdf" {
			t.Errorf("evidence: %+v %v", ev, err)
		}
	})
}

// TestBadFilesAreRefused: each file a logo or evidence may not be is refused with the
// field error its code names, and nothing is kept.
func TestBadFilesAreRefused(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		store, d, mine, _ := setup(t, engine)
		ctx := context.Background()
		pdf := []byte("%PDF-1.4\n%%EOF\n")
		cases := []struct {
			name    string
			purpose files.Purpose
			data    []byte
			code    string
		}{
			{"unknown purpose", "avatar", pngOf(t, 10, 10), "INVALID_OPTION"},
			{"empty", files.PurposeLogo, nil, "REQUIRED"},
			{"over 2 MB", files.PurposeLogo, append(pngOf(t, 10, 10), make([]byte, 2<<20)...), "FILE_TOO_LARGE"},
			{"text", files.PurposeLogo, []byte("<svg onload=alert(1)>"), "INVALID_FILE_TYPE"},
			{"a PDF as a logo", files.PurposeLogo, pdf, "INVALID_FILE_TYPE"},
			{"a broken PNG", files.PurposeLogo, pngOf(t, 10, 10)[:40], "INVALID_FILE_TYPE"},
			{"too many pixels", files.PurposeLogo, pngOf(t, 5000, 2), "IMAGE_TOO_LARGE"},
			{"evidence over 5 MB", files.PurposeDisputeEvidence, append(pdf, make([]byte, 5<<20)...), "FILE_TOO_LARGE"},
		}
		for _, tc := range cases {
			_, err := store.Put(ctx, mine, tc.purpose, "x.png", tc.data)
			var inv *problem.InvalidError
			if !errors.As(err, &inv) || !strings.Contains(err.Error()+fmt.Sprint(inv.Fields), tc.code) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		var kept int
		if err := d.Read.QueryRow(`SELECT count(*) FROM files`).Scan(&kept); err != nil || kept != 0 {
			t.Errorf("refused files left %d rows (%v)", kept, err)
		}
		if _, err := store.Get(ctx, mine, "file_000000000000000000000000"); !errors.Is(err, problem.ErrNotFound) {
			t.Errorf("an unknown file: %v", err)
		}
	})
}
