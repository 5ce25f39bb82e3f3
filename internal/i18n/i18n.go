// Package i18n holds the text of Settle's pages in every language Settle speaks, and chooses
// the language of a request. Catalogs are JSON files embedded in the binary, one per
// language, each mapping a key such as "nav.payments" to its text; a text may hold named
// arguments written {name}.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// Default is the language used when nothing else decides, and the one a missing text falls
// back to.
const Default = "en"

//go:embed catalogs/*.json
var catalogFiles embed.FS

// supported lists the languages with a catalog, Default first: the language matcher
// answers with the first one when nothing matches.
func supported() []string { return []string{"en", "fr", "de", "es"} }

// Catalog is every language's texts and the matcher that picks among them. It is read-only
// once built and safe for concurrent use.
type Catalog struct {
	langs    []string
	messages map[string]map[string]string
	matcher  language.Matcher
}

// Load reads the embedded catalogs. It fails when one is missing or is not a JSON object of
// strings.
func Load() (*Catalog, error) {
	c := &Catalog{langs: supported(), messages: map[string]map[string]string{}}
	tags := make([]language.Tag, len(c.langs))
	for i, lang := range c.langs {
		m, err := readCatalog(lang)
		if err != nil {
			return nil, err
		}
		c.messages[lang] = m
		tags[i] = language.Make(lang)
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

func readCatalog(lang string) (map[string]string, error) {
	b, err := catalogFiles.ReadFile("catalogs/" + lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", lang, err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", lang, err)
	}
	return m, nil
}

// Languages returns the languages Settle's pages are written in, Default first.
func (c *Catalog) Languages() []string { return slices.Clone(c.langs) }

// Supported reports whether lang is one of Languages.
func (c *Catalog) Supported(lang string) bool { return slices.Contains(c.langs, lang) }

// Has reports whether lang's catalog holds key.
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.messages[lang][key]
	return ok
}

// Keys returns the keys of lang's catalog, sorted.
func (c *Catalog) Keys(lang string) []string {
	keys := make([]string, 0, len(c.messages[lang]))
	for k := range c.messages[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// T returns the text of key in lang, with its {name} arguments replaced by the values that
// follow each name in args ("name", value, …). A key missing from lang falls back to
// Default's text, and a key missing there too comes back as itself, so a gap shows on the
// page instead of breaking it.
func (c *Catalog) T(lang, key string, args ...any) string {
	text, ok := c.messages[lang][key]
	if !ok {
		if text, ok = c.messages[Default][key]; !ok {
			return key
		}
	}
	if len(args) < 2 {
		return text
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}
