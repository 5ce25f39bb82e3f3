package i18n

import (
	"golang.org/x/text/language"
)

// Preferences are the signals a request gives about its language, strongest first.
type Preferences struct {
	// Query is the ?lang= parameter: a choice made just now.
	Query string
	// Remembered is the choice made earlier, kept in a cookie.
	Remembered string
	// User and Account are the signed-in user's and their account's languages.
	User    string
	Account string
	// AcceptLanguage is the browser's Accept-Language header.
	AcceptLanguage string
}

// Negotiate returns the language to answer in: the first of Query, Remembered, User and
// Account that Settle speaks, else the best match for AcceptLanguage, else Default.
func (c *Catalog) Negotiate(p Preferences) string {
	for _, lang := range []string{p.Query, p.Remembered, p.User, p.Account} {
		if c.Supported(lang) {
			return lang
		}
	}
	if lang, ok := c.Match(p.AcceptLanguage); ok {
		return lang
	}
	return Default
}

// Match returns the supported language that best answers an Accept-Language header, and
// false when the header is empty, malformed or names nothing close to a supported language.
func (c *Catalog) Match(acceptLanguage string) (string, bool) {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "", false
	}
	_, index, confidence := c.matcher.Match(tags...)
	if confidence == language.No {
		return "", false
	}
	return c.langs[index], true
}
