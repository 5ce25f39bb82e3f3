package invoice

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/testenv"
)

func catalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sample is an invoice in cur with accented names, a description that wraps and one
// with quotes, a discount and a tax.
func sample(lang, cur string) Document {
	a := func(minor int64) money.Amount { return money.Amount{Minor: minor, Currency: cur} }
	return Document{
		Language:  lang,
		Number:    "INV-2026-0042",
		Status:    "open",
		IssueDate: time.Date(2026, time.March, 27, 0, 0, 0, 0, time.UTC),
		DueDate:   time.Date(2026, time.April, 26, 0, 0, 0, 0, time.UTC),
		Seller: Branding{CompanyName: "Brasserie Müller & Söhne", Address: []string{"12 rue de l'Église", "75004 Paris"},
			Colour: "#0A7D5A"},
		Buyer: Recipient{Name: "José Núñez", Email: "jose@example.com", Address: []string{"Calle Mayor 5", "28013 Madrid"}},
		Lines: []DocumentLine{
			{Description: "Conseil en stratégie", Quantity: 3, UnitPrice: a(40000), Total: a(120000)},
			{Description: "Schulung „Grundlagen“ für das gesamte Team, mit Unterlagen, Übungen und einer Nachbesprechung vor Ort in München",
				Quantity: 1, UnitPrice: a(15050), Discount: a(1050), Tax: a(2800), Total: a(16800)},
			{Description: "Diseño de página", Quantity: 1200, UnitPrice: a(25), Total: a(30000)},
		},
		Subtotal: a(165050), Discount: a(1050), Tax: a(2800), Total: a(166800),
		AmountPaid: a(50000), BalanceDue: a(116800),
		Notes: "Merci de votre confiance.\nVirement : FR76 3000 6000 0112 3456 7890 189",
	}
}

// writePDF writes doc as a PDF and fails the test on an error.
func writePDF(t *testing.T, doc Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, doc, catalog(t)); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	return buf.Bytes()
}

// pdfText reads a PDF back with poppler's pdftotext, as a user's viewer would, with
// no-break spaces as plain ones and one string per page.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin := testenv.NeedCommand(t, "pdftotext", "apt-get install poppler-utils")
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(spaces(string(out)), "\f"), "\f")
	if testing.Verbose() {
		t.Logf("pdftotext:\n%s", strings.Join(pages, "\n---- page break ----\n"))
	}
	return pages
}

// spaces turns the no-break spaces of formatted numbers into plain ones.
func spaces(s string) string { return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s) }

func TestWritePDFInEveryLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang, cur string
		want      []string
	}{
		{"en", "USD", []string{"Invoice", "Invoice number", "Issue date", "March 27, 2026", "Due date", "April 26, 2026",
			"Bill to", "Description", "Unit price", "Subtotal", "Discount", "Tax", "Total", "Amount paid", "Balance due",
			"Notes", "Page 1 of 1", "1,200"}},
		{"fr", "EUR", []string{"Facture", "Numéro de facture", "Date d'émission", "27 mars 2026", "Date d'échéance",
			"26 avril 2026", "Facturé à", "Désignation", "Prix unitaire", "Sous-total", "Remise", "Taxe", "Montant payé",
			"Solde à payer", "Remarques", "Page 1 sur 1", "1 200"}},
		{"de", "EUR", []string{"Rechnung", "Rechnungsnummer", "Rechnungsdatum", "27. März 2026", "Fälligkeitsdatum",
			"26. April 2026", "Rechnungsempfänger", "Beschreibung", "Einzelpreis", "Zwischensumme", "Rabatt", "Steuer",
			"Gesamtbetrag", "Bezahlter Betrag", "Offener Betrag", "Anmerkungen", "Seite 1 von 1", "1.200"}},
		{"es", "EUR", []string{"Factura", "Número de factura", "Fecha de emisión", "27 de marzo de 2026",
			"Fecha de vencimiento", "26 de abril de 2026", "Facturar a", "Descripción", "Precio unitario", "Subtotal",
			"Descuento", "Impuestos", "Importe pagado", "Saldo pendiente", "Notas", "Página 1 de 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			doc := sample(tc.lang, tc.cur)
			pages := pdfText(t, writePDF(t, doc))
			if len(pages) != 1 {
				t.Fatalf("%d pages, want 1", len(pages))
			}
			want := append([]string{doc.Number, doc.Seller.CompanyName, "12 rue de l'Église", doc.Buyer.Name,
				doc.Buyer.Email, "28013 Madrid", "Conseil en stratégie", "Schulung „Grundlagen“", "Diseño de página",
				"Merci de votre confiance.", "Virement : FR76"}, tc.want...)
			for _, a := range doc.amounts() {
				want = append(want, spaces(a.Format(tc.lang)))
			}
			for _, s := range want {
				if !strings.Contains(pages[0], s) {
					t.Errorf("the PDF lacks %q", s)
				}
			}
		})
	}
}

func TestWritePDFWrapsDescriptions(t *testing.T) {
	t.Parallel()
	pages := pdfText(t, writePDF(t, sample("en", "USD")))
	first, last := lineOf(pages[0], "Schulung"), lineOf(pages[0], "Nachbesprechung")
	if first < 0 || last <= first {
		t.Errorf("the long description is on lines %d and %d; it should wrap over several", first, last)
	}
}

// lineOf is the index of the first line of text holding s, or -1.
func lineOf(text, s string) int {
	for i, line := range strings.Split(text, "\n") {
		if strings.Contains(line, s) {
			return i
		}
	}
	return -1
}

func TestWritePDFRunsOverPages(t *testing.T) {
	t.Parallel()
	doc := sample("de", "EUR")
	doc.Lines = nil
	for i := 1; i <= 120; i++ {
		doc.Lines = append(doc.Lines, DocumentLine{Description: fmt.Sprintf("Posten %03d", i), Quantity: 1,
			UnitPrice: money.Amount{Minor: 1000, Currency: "EUR"}, Total: money.Amount{Minor: 1000, Currency: "EUR"}})
	}
	pages := pdfText(t, writePDF(t, doc))
	if len(pages) < 2 {
		t.Fatalf("%d page, want 2 or more", len(pages))
	}
	all := strings.Join(pages, "\n")
	for i := 1; i <= 120; i++ {
		if n := strings.Count(all, fmt.Sprintf("Posten %03d", i)); n != 1 {
			t.Errorf("Posten %03d is printed %d times, want once", i, n)
		}
	}
	for i, page := range pages {
		want := []string{doc.Number, fmt.Sprintf("Seite %d von %d", i+1, len(pages))}
		if strings.Contains(page, "Posten") {
			want = append(want, "Beschreibung", "Einzelpreis", "Betrag")
		}
		for _, s := range want {
			if !strings.Contains(page, s) {
				t.Errorf("page %d lacks %q", i+1, s)
			}
		}
	}
	if !strings.Contains(pages[len(pages)-1], "Offener Betrag") {
		t.Error("the last page lacks the totals")
	}
}

func TestWritePDFIsReproducible(t *testing.T) {
	t.Parallel()
	doc := sample("fr", "EUR")
	doc.Seller.LogoPNG = logo(t, 16)
	first, second := writePDF(t, doc), writePDF(t, doc)
	if !bytes.Equal(first, second) {
		t.Error("two renders of the same document differ")
	}
	if !bytes.Contains(first, []byte("/Subtype /Image")) {
		t.Error("the logo is not in the PDF")
	}
}

// logo is a small PNG with a transparent corner, of the given bit depth (8 or 16).
func logo(t *testing.T, depth int) []byte {
	t.Helper()
	var img image.Image
	if depth == 16 {
		m := image.NewNRGBA64(image.Rect(0, 0, 120, 40))
		for x := range 120 {
			for y := range 40 {
				m.Set(x, y, color.NRGBA64{R: uint16(x * 500), G: 0x4000, B: 0xC000, A: uint16(min(0xFFFF, (x+y)*2000))})
			}
		}
		img = m
	} else {
		m := image.NewPaletted(image.Rect(0, 0, 40, 40), color.Palette{color.White, color.Black})
		m.SetColorIndex(10, 10, 1)
		img = m
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWritePDFColour(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, colour string
		want         colour
	}{
		{"upper case", "#0A7D5A", colour{0x0A, 0x7D, 0x5A}},
		{"lower case", "#ff8800", colour{0xFF, 0x88, 0x00}},
		{"empty", "", colour{0x1F, 0x4F, 0xD1}},
		{"a name", "red", colour{0x1F, 0x4F, 0xD1}},
		{"short form", "#f80", colour{0x1F, 0x4F, 0xD1}},
		{"no hash", "0A7D5A0", colour{0x1F, 0x4F, 0xD1}},
		{"not hex", "#GG0000", colour{0x1F, 0x4F, 0xD1}},
		{"CSS injection", "#000000;", colour{0x1F, 0x4F, 0xD1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := accentColour(tc.colour); got != tc.want {
				t.Errorf("accentColour(%q) = %v, want %v", tc.colour, got, tc.want)
			}
		})
	}
	t.Run("an invalid colour prints as the default", func(t *testing.T) {
		doc := sample("en", "USD")
		doc.Seller.Colour = "not a colour"
		fallback := writePDF(t, doc)
		doc.Seller.Colour = DefaultColour
		if !bytes.Equal(fallback, writePDF(t, doc)) {
			t.Error("an invalid colour does not print as DefaultColour")
		}
	})
}

func TestWritePDFPrintsUserTextAsIs(t *testing.T) {
	t.Parallel()
	doc := sample("en", "USD")
	doc.Status = "paid"
	doc.Buyer.Name = "{nb} Tab\there <b>Bold</b>"
	doc.Lines[0].Description = "100% %s \\(escaped) {page}\r\nparty 🎉 e\u0301clair\x00"
	doc.Notes = "{total} (see) \\n"
	text := pdfText(t, writePDF(t, doc))[0]
	for _, s := range []string{"{nb} Tab here <b>Bold</b>", "100% %s \\(escaped) {page}", "party \uFFFD éclair",
		"{total} (see) \\n", "PAID"} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF lacks %q", s)
		}
	}
}

func TestWritePDFStatusStamp(t *testing.T) {
	t.Parallel()
	cases := []struct{ status, lang, want, absent string }{
		{"draft", "fr", "BROUILLON", ""},
		{"paid", "de", "BEZAHLT", ""},
		{"void", "es", "ANULADA", ""},
		{"open", "en", "", "OPEN"},
	}
	for _, tc := range cases {
		t.Run(tc.status, func(t *testing.T) {
			t.Parallel()
			doc := sample(tc.lang, "EUR")
			doc.Status = tc.status
			text := pdfText(t, writePDF(t, doc))[0]
			if tc.want != "" && !strings.Contains(text, tc.want) {
				t.Errorf("the PDF lacks the stamp %q", tc.want)
			}
			if tc.absent != "" && strings.Contains(text, tc.absent) {
				t.Errorf("the PDF has a stamp %q", tc.absent)
			}
		})
	}
}

func TestWritePDFOptionalParts(t *testing.T) {
	t.Parallel()
	doc := sample("en", "USD")
	doc.Language = "ja"
	doc.DueDate = time.Time{}
	doc.Discount, doc.Tax, doc.AmountPaid = money.Amount{}, money.Amount{}, money.Amount{}
	for i := range doc.Lines {
		doc.Lines[i].Discount, doc.Lines[i].Tax = money.Amount{}, money.Amount{}
	}
	doc.Notes = " \n "
	doc.Seller.LogoPNG = logo(t, 8)
	text := pdfText(t, writePDF(t, doc))[0]
	for _, s := range []string{"Due date", "Discount", "Tax", "Notes"} {
		if strings.Contains(text, s) {
			t.Errorf("the PDF shows %q, which the document leaves out", s)
		}
	}
	for _, s := range []string{"Invoice", "Amount paid", "$0.00", "Balance due"} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF lacks %q", s)
		}
	}
}

func TestWritePDFRejectsIncompleteDocuments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*Document)
	}{
		{"no number", func(d *Document) { d.Number = " " }},
		{"no issue date", func(d *Document) { d.IssueDate = time.Time{} }},
		{"no currency", func(d *Document) { d.Total = money.Amount{Minor: 100} }},
		{"mixed currencies", func(d *Document) { d.Lines[1].Tax = money.Amount{Minor: 2800, Currency: "USD"} }},
		{"a logo that is not a PNG", func(d *Document) { d.Seller.LogoPNG = []byte("GIF89a") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := sample("en", "EUR")
			tc.change(&doc)
			var buf bytes.Buffer
			if err := WritePDF(&buf, doc, catalog(t)); !errors.Is(err, ErrInvalidDocument) {
				t.Errorf("WritePDF = %v, want ErrInvalidDocument", err)
			}
			if buf.Len() != 0 {
				t.Errorf("WritePDF wrote %d bytes of a document it rejected", buf.Len())
			}
		})
	}
}

// TestTheFontsDrawEveryText checks that the Go fonts have a glyph for every character of
// the PDF's labels and of amounts in each language, so none prints as U+FFFD.
func TestTheFontsDrawEveryText(t *testing.T) {
	t.Parallel()
	c := catalog(t)
	for _, lang := range c.Languages() {
		texts := []string{}
		for _, k := range c.Keys(lang) {
			if strings.HasPrefix(k, "invoice.pdf.") {
				texts = append(texts, c.T(lang, k))
			}
		}
		for _, cur := range []string{"USD", "EUR", "GBP", "CAD", "JPY", "CHF", "BHD"} {
			texts = append(texts, money.Amount{Minor: -123456789, Currency: cur}.Format(lang))
		}
		for _, s := range texts {
			if got := clean(s); strings.ContainsRune(got, '\uFFFD') {
				t.Errorf("%s: %q prints as %q", lang, s, got)
			}
		}
	}
}
