package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/auth"
	"github.com/settlehq/settle/internal/crm"
	"github.com/settlehq/settle/internal/i18n"
	"github.com/settlehq/settle/internal/payment"
)

// keyPatterns find catalog keys written out in templates and in the package's Go code.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`\$\.T "([^"]+)"`),
	regexp.MustCompile(`\$\.Input "[^"]+" "([^"]+)"`),
	regexp.MustCompile(`"hint=([^"]+)"`),
	regexp.MustCompile(`"((?:layout|nav|form|login|home|processor|section|error|notice|settings|users|perm|tokens|scope|field_error|records?|crm|payments?)\.[a-z_.]*[a-z_])"`),
}

// dynamicKeys are the keys pages build from Settle's own lists.
func dynamicKeys() []string {
	var keys []string
	for _, n := range navigation() {
		keys = append(keys, "nav."+n.Key)
	}
	for _, s := range sections() {
		keys = append(keys, "section."+s.Key+".empty", "section."+s.Key+".about")
	}
	for _, p := range auth.Permissions {
		keys = append(keys, "perm."+string(p), "perm."+string(p)+".hint")
	}
	for _, s := range auth.Scopes {
		keys = append(keys, "scope."+string(s.Name))
	}
	for _, p := range []auth.Processor{auth.ProcessorBuiltin, auth.ProcessorStripe} {
		keys = append(keys, "processor."+string(p), "processor."+string(p)+".hint")
	}
	for _, name := range []string{"create_invoices", "marketing_contacts", "subscription_reminders"} {
		keys = append(keys, "settings.account."+name, "settings.account."+name+"_hint")
	}
	for _, name := range []string{"account", "users", "api_tokens"} {
		keys = append(keys, "settings.nav."+name)
	}
	return append(keys, recordKeys()...)
}

// recordKeys are the keys the CRM record pages build from their kinds and from what the
// CRM stores (property groups, activity kinds, sources), and the notices they redirect to.
func recordKeys() []string {
	var keys []string
	for _, k := range append(recordKinds(), paymentKind) {
		for _, t := range append(slices.Clone(k.cards), k.whenAny...) {
			for _, name := range []string{"no_associated", "add_existing", "find", "choose", "no_match", "none_to_add"} {
				keys = append(keys, "crm."+t+"."+name)
			}
			if crm.AtMostOne(k.Type, t) {
				keys = append(keys, "crm."+t+".replace")
			}
		}
	}
	for _, t := range []string{"line_items", "subscriptions"} {
		keys = append(keys, "crm."+t+".no_associated")
	}
	for _, k := range recordKinds() {
		for _, name := range []string{"lead", "create", "create_submit", "search", "none", "none_archived", "archived", "archive_confirm"} {
			keys = append(keys, "crm."+k.Type+"."+name)
		}
	}
	for _, g := range []string{"general", "address", "system", "amounts"} {
		keys = append(keys, "record.group."+g)
	}
	for _, kind := range []string{"created", "updated", "archived", "restored", "associated", "dissociated", "other"} {
		keys = append(keys, "record.timeline."+kind)
	}
	for _, src := range []string{"api", "crm_ui", "integration", "payments", "system"} {
		keys = append(keys, "record.timeline.source."+src)
	}
	for _, kind := range []string{"payment.processing", "payment.succeeded", "payment.failed", "payment.refunded",
		"payment.refund_processing", "dispute.opened", "dispute.closed"} {
		keys = append(keys, "record.timeline."+kind)
	}
	for _, n := range []string{"saved", "record_created", "record_archived", "record_restored", "associated", "labels_saved",
		"association_removed", "refunded", "refund_processing"} {
		keys = append(keys, "notice."+n)
	}
	for _, code := range []string{"EMPTY_RECORD", "INVALID_EMAIL", "INVALID_CURRENCY", "INVALID_NUMBER", "INVALID_DATETIME",
		"INVALID_DATE", "INVALID_BOOLEAN", "INVALID_OPTION", "INVALID_LENGTH", "PROPERTY_DOESNT_EXIST", "READ_ONLY_VALUE"} {
		keys = append(keys, "field_error."+code)
	}
	for _, code := range []string{"REQUIRED", "RECORD_NOT_FOUND", "INVALID_ASSOCIATION_TYPE"} {
		keys = append(keys, "field_error.record.add."+code)
	}
	return append(keys, paymentKeys()...)
}

// paymentKeys are the keys the payment pages build from the payment service's lists and
// errors.
func paymentKeys() []string {
	var keys []string
	for _, r := range payment.RefundReasons() {
		keys = append(keys, "payment.reason."+r)
	}
	for _, s := range []payment.RefundStatus{payment.RefundProcessing, payment.RefundSucceeded, payment.RefundFailed} {
		keys = append(keys, "payment.refund_status."+string(s))
	}
	for _, code := range []string{"INVALID_AMOUNT", "AMOUNT_TOO_LARGE"} {
		keys = append(keys, "field_error.refund.amount."+code)
	}
	for _, code := range []string{"NOT_REFUNDABLE", "REFUND_WINDOW_CLOSED"} {
		keys = append(keys, "field_error.refund.payment."+code)
	}
	for _, code := range []string{"READ_ONLY_PAYMENT", "PROCESSED_PAYMENT", "INVALID_TRANSITION"} {
		keys = append(keys, "field_error."+code)
	}
	return keys
}

func TestEveryKeyUsedIsInTheCatalogs(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	used := append(dynamicKeys(), errorPageKeys()...)
	used = append(used, keysIn(t, "templates", ".html")...)
	used = append(used, keysIn(t, ".", ".go")...)
	for _, key := range used {
		if !c.Has(i18n.Default, key) && !isPrefix(c, key) {
			t.Errorf("the catalogs lack %q", key)
		}
	}
	if len(used) < 200 {
		t.Errorf("found only %d keys in use; are the patterns still right?", len(used))
	}
}

// isPrefix reports whether key is the start of catalog keys that code completes, such as
// the "error.csrf" of "error.csrf.title".
func isPrefix(c *i18n.Catalog, key string) bool {
	for _, k := range c.Keys(i18n.Default) {
		if strings.HasPrefix(k, key+".") {
			return true
		}
	}
	return false
}

func errorPageKeys() []string {
	var keys []string
	for _, err := range []error{errCSRF, errInvalid, errForbidden, errNotFound, errConflict, errUnavailable, errOther} {
		_, prefix := errorKind(err)
		keys = append(keys, prefix+".title", prefix+".body")
	}
	return keys
}

func keysIn(t *testing.T, dir, ext string) []string {
	t.Helper()
	var keys []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && path != dir || !strings.HasSuffix(path, ext) || strings.HasSuffix(path, "_test.go") {
			if d != nil && d.IsDir() && path != dir {
				return fs.SkipDir
			}
			return err
		}
		b, err := os.ReadFile(path)
		for _, p := range keyPatterns {
			for _, m := range p.FindAllStringSubmatch(string(b), -1) {
				keys = append(keys, m[1])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
