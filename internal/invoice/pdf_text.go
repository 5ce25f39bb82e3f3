package invoice

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif"  // logos may be GIF
	_ "image/jpeg" // or JPEG
	"image/png"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// colour is an RGB colour with components from 0 to 255.
type colour struct{ r, g, b int }

// parseColour reads a colour written #RRGGBB, in either case.
func parseColour(s string) (colour, bool) {
	if len(s) != 7 || s[0] != '#' {
		return colour{}, false
	}
	b, err := hex.DecodeString(s[1:])
	if err != nil {
		return colour{}, false
	}
	return colour{int(b[0]), int(b[1]), int(b[2])}, true
}

// accentColour is the branding's colour, or DefaultColour when s is not #RRGGBB.
func accentColour(s string) colour {
	if c, ok := parseColour(s); ok {
		return c
	}
	c, _ := parseColour(DefaultColour)
	return c
}

// light reports whether dark text reads better than white on c, by its perceived
// brightness (the YIQ formula, in thousandths).
func (c colour) light() bool { return 299*c.r+587*c.g+114*c.b > 150_000 }

// printablePNG decodes a PNG, JPEG or GIF and encodes it as an 8-bit RGB(A) PNG without
// interlacing, the only kind fpdf reads, so that any valid logo prints.
func printablePNG(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: logo: %w", ErrInvalidDocument, err)
	}
	flat := image.NewNRGBA(img.Bounds())
	draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Src)
	var out bytes.Buffer
	if err := png.Encode(&out, flat); err != nil {
		return nil, fmt.Errorf("invoice: logo: %w", err)
	}
	return out.Bytes(), nil
}

// fontCoverage tells which runes of the Basic Multilingual Plane both Go fonts draw. It is
// computed once, from fonts compiled into the binary, and never changes after.
var fontCoverage = sync.OnceValue(func() []bool {
	covered := make([]bool, 0x10000)
	for i := range covered {
		covered[i] = true
	}
	for _, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			panic("invoice: the Go fonts do not parse: " + err.Error())
		}
		var buf sfnt.Buffer
		for r := range covered {
			if g, err := f.GlyphIndex(&buf, rune(r)); err != nil || g == 0 {
				covered[r] = false
			}
		}
	}
	return covered
})

// oneLine is clean for a text printed on a single line: its line breaks become spaces.
func oneLine(s string) string { return clean(strings.ReplaceAll(s, "\n", " ")) }

// clean makes s printable in the Go fonts, which fpdf needs: it would draw a missing glyph
// as nothing and fail on a rune beyond the Basic Multilingual Plane, such as an emoji.
// Decomposed accents are composed, the no-break spaces CLDR puts in numbers become the
// font's U+00A0, other spaces and tabs a plain space, invisible controls are dropped, line
// breaks are kept, and any other rune the fonts lack becomes U+FFFD.
func clean(s string) string {
	covered := fontCoverage()
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\u202F' || r == '\u2007':
			return '\u00A0'
		case r != '\u00A0' && unicode.IsSpace(r):
			return ' '
		case r < 0x10000 && covered[r]:
			return r
		case unicode.In(r, unicode.Cc, unicode.Cf):
			return -1
		}
		return '\uFFFD'
	}, norm.NFC.String(s))
}

// date writes t as people reading lang write a day: "March 27, 2026", "27 mars 2026".
func (r *renderer) date(t time.Time) string {
	month := r.t(fmt.Sprintf("invoice.pdf.month.%02d", int(t.Month())))
	return r.t("invoice.pdf.date", "day", t.Day(), "month", month, "year", t.Year())
}
