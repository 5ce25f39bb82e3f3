package i18n_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/i18n"
)

func load(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	c := load(t)
	want := c.Keys(i18n.Default)
	if len(want) == 0 {
		t.Fatal("the English catalog is empty")
	}
	for _, lang := range c.Languages() {
		t.Run(lang, func(t *testing.T) {
			got := c.Keys(lang)
			for _, k := range want {
				if !slices.Contains(got, k) {
					t.Errorf("%s lacks %q", lang, k)
				}
			}
			for _, k := range got {
				if !slices.Contains(want, k) {
					t.Errorf("%s has %q, which English lacks", lang, k)
				}
			}
		})
	}
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

func TestTranslationsAreFilledIn(t *testing.T) {
	c := load(t)
	for _, lang := range c.Languages() {
		t.Run(lang, func(t *testing.T) {
			same := 0
			for _, k := range c.Keys(lang) {
				text, english := c.T(lang, k), c.T(i18n.Default, k)
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s: %q is empty", lang, k)
				}
				if !slices.Equal(sortedPlaceholders(text), sortedPlaceholders(english)) {
					t.Errorf("%s: %q has arguments %v, English %v", lang, k, sortedPlaceholders(text), sortedPlaceholders(english))
				}
				if text == english {
					same++
				}
			}
			// Names such as "Stripe" and "Workflows" read the same in several languages;
			// a catalog that copies English wholesale does not.
			if lang != i18n.Default && same*10 > len(c.Keys(lang)) {
				t.Errorf("%s: %d of %d texts are the English ones", lang, same, len(c.Keys(lang)))
			}
		})
	}
}

func sortedPlaceholders(s string) []string {
	out := placeholder.FindAllString(s, -1)
	slices.Sort(out)
	return out
}

func TestT(t *testing.T) {
	c := load(t)
	cases := []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{name: "plain", lang: "fr", key: "nav.payments", want: "Paiements"},
		{name: "an argument", lang: "en", key: "error.reference", args: []any{"id", "abc-123"}, want: "Reference: abc-123"},
		{name: "a number argument", lang: "de", key: "tokens.scope_count", args: []any{"n", 3}, want: "Bereiche: 3"},
		{name: "an argument left without value", lang: "en", key: "error.reference", args: []any{"id"}, want: "Reference: {id}"},
		{name: "an unknown language falls back to English", lang: "xx", key: "nav.settings", want: "Settings"},
		{name: "an unknown key shows itself", lang: "fr", key: "no.such.key", want: "no.such.key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.T(tc.lang, tc.key, tc.args...); got != tc.want {
				t.Errorf("T(%q, %q, %v) = %q, want %q", tc.lang, tc.key, tc.args, got, tc.want)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	c := load(t)
	cases := []struct {
		name string
		p    i18n.Preferences
		want string
	}{
		{name: "nothing", want: "en"},
		{name: "the query first", p: i18n.Preferences{Query: "fr", Remembered: "de", User: "es", Account: "de", AcceptLanguage: "es"}, want: "fr"},
		{name: "an unsupported query is skipped", p: i18n.Preferences{Query: "ja", Remembered: "de"}, want: "de"},
		{name: "the remembered choice", p: i18n.Preferences{Remembered: "de", User: "es"}, want: "de"},
		{name: "the user's language", p: i18n.Preferences{User: "es", Account: "fr"}, want: "es"},
		{name: "the account's language", p: i18n.Preferences{Account: "fr", AcceptLanguage: "de"}, want: "fr"},
		{name: "Accept-Language", p: i18n.Preferences{AcceptLanguage: "es-MX,es;q=0.9,en;q=0.8"}, want: "es"},
		{name: "Accept-Language by quality", p: i18n.Preferences{AcceptLanguage: "en;q=0.3, de-AT;q=0.9"}, want: "de"},
		{name: "Swiss French", p: i18n.Preferences{AcceptLanguage: "fr-CH"}, want: "fr"},
		{name: "nothing close", p: i18n.Preferences{AcceptLanguage: "ja, zh;q=0.8"}, want: "en"},
		{name: "a malformed header", p: i18n.Preferences{AcceptLanguage: ";;;q=x"}, want: "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Negotiate(tc.p); got != tc.want {
				t.Errorf("Negotiate(%+v) = %q, want %q", tc.p, got, tc.want)
			}
		})
	}
}
