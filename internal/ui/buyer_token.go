package ui

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// A buyer page has no session to tie its form to. Each browser that opens one gets a random
// secret in buyerCookie instead (HttpOnly, SameSite=Strict, scoped to the pages' prefix:
// /pay/, /invoices/pay/ or /quotes/), and what the pages hand out is keyed by it with
// HMAC-SHA256:
//
//   - the checkout form's CSRF token is HMAC(secret, "checkout", path), path being the
//     page's, /pay/{slug} or /quotes/{token}: a signed double-submit cookie bound to one
//     link, invoice or quote. A page on another site can neither read the cookie nor, under
//     SameSite=Strict, make the browser send it, so it cannot forge a post;
//   - the receipt a payment redirects to is a payload (the payment and what the buyer paid
//     with) and HMAC(secret, "receipt", path, payload): only the browser that paid can open
//     it, and no one can read another buyer's payment by changing a number in the URL.
//
// Nothing is stored on the server and no server key is needed, so any replica can check
// what another one handed out.

// buyerCookie holds the buyer's browser secret.
const buyerCookie = "settle_pay"

// buyerCookieAge is how long the secret, and so a receipt's page, lasts: a day, in seconds.
const buyerCookieAge = 24 * 60 * 60

// buyerSecret returns the browser's secret, setting its cookie for the pages under path
// when the browser has none yet.
func (u *UI) buyerSecret(w http.ResponseWriter, r *http.Request, path string) string {
	if c, err := r.Cookie(buyerCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	secret := randomToken()
	http.SetCookie(w, &http.Cookie{Name: buyerCookie, Value: secret, Path: path, MaxAge: buyerCookieAge, HttpOnly: true,
		Secure: u.deps.Config.SecureCookies(), SameSite: http.SameSiteStrictMode})
	return secret
}

// storedBuyerSecret returns the secret the browser sent, or "" when it sent none.
func storedBuyerSecret(r *http.Request) string {
	if c, err := r.Cookie(buyerCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	return ""
}

// buyerMAC is the HMAC of parts under the browser's secret, URL-safe.
func buyerMAC(secret string, parts ...string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		mac.Write([]byte(p))
		mac.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// checkoutToken is the CSRF token of the checkout form of the page at path in the browser
// of secret.
func checkoutToken(secret, path string) string { return buyerMAC(secret, "checkout", path) }

// checkCheckoutToken checks a posted checkout form's CSRF token against the cookie.
func checkCheckoutToken(r *http.Request, path string) error {
	secret := storedBuyerSecret(r)
	got := r.PostFormValue(csrfField)
	if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(checkoutToken(secret, path))) != 1 {
		return errCSRF
	}
	return nil
}

// buyerReceipt is what the success page shows of how the buyer paid: the payment, its method and,
// from what they typed, the card's brand and the last four digits of the card or account.
type buyerReceipt struct {
	PaymentID int64
	Method    string
	Brand     string
	Last4     string
}

// receiptPart checks each part of a decoded receipt: lower-case words and up to 4 digits.
var receiptPart = regexp.MustCompile(`^(\d{1,19})~([a-z]{1,10})~([a-z]{0,16})~(\d{0,4})$`)

// token writes the receipt for the browser of secret, bound to the page at path.
func (rc buyerReceipt) token(secret, path string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(rc.PaymentID, 10) + "~" + rc.Method + "~" +
		rc.Brand + "~" + rc.Last4))
	return payload + "." + buyerMAC(secret, "receipt", path, payload)
}

// readReceipt reads a receipt token made for this browser and the page at path; ok is
// false for any other.
func readReceipt(secret, path, token string) (buyerReceipt, bool) {
	payload, mac, found := strings.Cut(token, ".")
	if secret == "" || !found || !hmac.Equal([]byte(mac), []byte(buyerMAC(secret, "receipt", path, payload))) {
		return buyerReceipt{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	m := receiptPart.FindStringSubmatch(string(raw))
	if err != nil || m == nil {
		return buyerReceipt{}, false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	return buyerReceipt{PaymentID: id, Method: m[2], Brand: m[3], Last4: m[4]}, err == nil
}
