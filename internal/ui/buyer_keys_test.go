package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/checkout"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/lineitem"
	"github.com/settlehq/settle/internal/payment"
)

// buyerKeyPattern finds the buyer pages' catalog keys written out in their code and
// templates.
var buyerKeyPattern = regexp.MustCompile(`"(buyer\.[A-Za-z0-9_.]*[A-Za-z0-9_])"`)

// buyerDynamicKeys are the keys the buyer pages build from Settle's own lists.
func buyerDynamicKeys() []string {
	var keys []string
	for _, f := range []lineitem.Frequency{lineitem.FrequencyWeekly, lineitem.FrequencyBiweekly, lineitem.FrequencyMonthly,
		lineitem.FrequencyQuarterly, lineitem.FrequencyPerSixMonths, lineitem.FrequencyAnnually, lineitem.FrequencyPerTwoYears,
		lineitem.FrequencyPerThreeYears} {
		keys = append(keys, "buyer.every."+string(f))
	}
	for _, u := range []lineitem.Unit{lineitem.Day, lineitem.Week, lineitem.Month, lineitem.Year} {
		keys = append(keys, "buyer.every_n."+string(u))
	}
	for _, m := range checkout.Methods {
		keys = append(keys, "buyer.method."+string(m))
	}
	for _, s := range []payment.Status{payment.StatusSucceeded, payment.StatusProcessing, payment.StatusFailed, payment.StatusRefunded,
		payment.StatusDisputeLost} {
		keys = append(keys, "buyer.status."+buyerStatus(s))
	}
	for _, prefix := range []string{"buyer.inactive", "buyer.not_found", "buyer.error_page", "buyer.invoice_void", "buyer.invoice_closed",
		buyerInvoicePaid, buyerInvoiceProcessing, "buyer.quote.expired", "buyer.quote.accepted"} {
		keys = append(keys, prefix+".title", prefix+".body")
	}
	for _, code := range []string{"generic_decline", "insufficient_funds", "default"} {
		keys = append(keys, "buyer.decline."+code)
	}
	return keys
}

func TestBuyerKeysAreInEveryCatalog(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	used := buyerDynamicKeys()
	files, _ := filepath.Glob("buyer*.go")
	templates, _ := filepath.Glob("templates/buyer*.html")
	for _, file := range append(files, templates...) {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range buyerKeyPattern.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(buyerFieldOrder(), m[1]) && !strings.HasSuffix(m[1], ".css") { // form fields, assets
				used = append(used, m[1])
			}
		}
	}
	if len(used) < 100 {
		t.Errorf("found only %d buyer keys in use; is the pattern still right?", len(used))
	}
	for _, lang := range c.Languages() {
		for _, key := range used {
			if !c.Has(lang, key) && !isPrefix(c, key) {
				t.Errorf("the %s catalog lacks %q", lang, key)
			}
		}
	}
}

func TestBuyerErrorsHaveMessages(t *testing.T) {
	u := New(Deps{})
	for _, tc := range []struct{ field, code string }{
		{"buyer.email", "REQUIRED"}, {"buyer.email", "INVALID_EMAIL"}, {"quantity", "INVALID_RANGE"},
		{"card.number", "INVALID_NUMBER"}, {"card.exp_year", "EXPIRED_CARD"}, {"card.cvc", "INVALID_CVC"},
		{"ach.routing_number", "INVALID_ROUTING_NUMBER"}, {"sepa.iban", "INVALID_IBAN"}, {"bacs.sort_code", "INVALID_SORT_CODE"},
		{"pad.transit_number", "INVALID_TRANSIT_NUMBER"}, {"pad.institution_number", "INVALID_INSTITUTION_NUMBER"},
		{"pad.account_number", "INVALID_ACCOUNT_NUMBER"}, {"payment_method.type", "METHOD_NOT_ALLOWED"},
		{"billing_address", "REQUIRED"}, {"line_items", "AMOUNT_TOO_LARGE"}, {"processor", "PROCESSOR_UNAVAILABLE"},
	} {
		for _, lang := range []string{"en", "fr", "de", "es"} {
			if got, fallback := u.buyerMessage(lang, tc.field, tc.code), u.text.T(lang, "buyer.error.default"); got == fallback {
				t.Errorf("%s %s in %s has only the default message", tc.field, tc.code, lang)
			}
		}
	}
}
