package ui

import (
	"net/http"

	"github.com/settlehq/settle/internal/i18n"
)

// langCookie remembers the language last chosen with ?lang=.
const langCookie = "settle_lang"

// langCookieAge is how long a language choice is remembered: a year, in seconds.
const langCookieAge = 365 * 24 * 60 * 60

// language chooses the language of a request: ?lang= (remembered in a cookie), then the
// remembered choice, the user's language, the account's, the browser's Accept-Language,
// and English.
func (u *UI) language(w http.ResponseWriter, r *http.Request, user, account string) string {
	query := r.URL.Query().Get("lang")
	if u.text.Supported(query) {
		http.SetCookie(w, u.cookie(langCookie, query, langCookieAge, http.SameSiteLaxMode))
	}
	var remembered string
	if c, err := r.Cookie(langCookie); err == nil {
		remembered = c.Value
	}
	return u.text.Negotiate(i18n.Preferences{Query: query, Remembered: remembered, User: user,
		Account: account, AcceptLanguage: r.Header.Get("Accept-Language")})
}

// languageName is each language's name in itself, as a language menu shows it.
func languageName(lang string) string {
	switch lang {
	case "fr":
		return "Français"
	case "de":
		return "Deutsch"
	case "es":
		return "Español"
	}
	return "English"
}
