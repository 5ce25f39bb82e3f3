package builtin_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/money"
	"github.com/settlehq/settle/internal/processor"
)

// secretCards are the cards of the run, each with a CVC no other value of the run contains.
var secretCards = []processor.CardDetails{
	{Number: "4242 4242 4242 4242", ExpMonth: 12, ExpYear: 2030, CVC: "739"},
	{Number: "378282246310005", ExpMonth: 3, ExpYear: 2031, CVC: "6841"},
	{Number: "4000000000000259", ExpMonth: 1, ExpYear: 2029, CVC: "582"},
	{Number: "4000002500003155", ExpMonth: 7, ExpYear: 2032, CVC: "917"},
	{Number: "4000000000000002", ExpMonth: 7, ExpYear: 2032, CVC: "463"},
}

// TestNoCardNumberOrCVCIsKept runs payments, a refund and a dispute with real-looking cards
// through the processor with debug logging, then searches the database file, its WAL and the
// logs: no full card number and no CVC may appear, only last four digits.
func TestNoCardNumberOrCVCIsKept(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		h := newHarness(t, engine)
		acct := h.accounts["US"]
		for _, c := range secretCards {
			ch, err := h.proc.Pay(ctx, processor.PayParams{AccountID: acct, Amount: "42.00", Currency: "USD",
				Method: processor.TokenizeParams{Card: &c}})
			if err != nil {
				t.Fatal(err)
			}
			if ch.Status == processor.ChargeSucceeded && c.CVC == "739" {
				if _, err := h.proc.Refund(ctx, processor.RefundParams{AccountID: acct, ChargeID: ch.ID,
					Amount: money.Amount{Minor: 1000, Currency: "USD"}, Reason: processor.ReasonRequestedByCustomer}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := h.sched.Advance(ctx, acct, clock.Advance{By: 30 * 24 * time.Hour}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.logs.String(), `"last4":"4242"`) {
			t.Fatalf("the debug log does not show the tokenization; logs:\n%s", h.logs.String())
		}
		stores := map[string][]byte{"logs": []byte(h.logs.String())}
		if engine == config.SQLite {
			path := strings.TrimPrefix(h.url, "sqlite://")
			for _, f := range []string{path, path + "-wal"} {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatalf("read %s: %v", f, err)
				}
				stores[f] = b
			}
		}
		for name, b := range stores {
			assertNoSecrets(t, name, b)
		}
	})
}

func assertNoSecrets(t *testing.T, name string, b []byte) {
	t.Helper()
	for _, c := range secretCards {
		digits := strings.ReplaceAll(c.Number, " ", "")
		for _, form := range []string{digits, c.Number, digits[:len(digits)-4]} {
			if strings.Contains(string(b), form) {
				t.Errorf("%s contains the card number %q", name, form)
			}
		}
		// A CVC standing alone, not inside a longer run of letters or digits.
		cvc := regexp.MustCompile(`(^|[^0-9A-Za-z])` + c.CVC + `($|[^0-9A-Za-z])`)
		if loc := cvc.FindIndex(b); loc != nil {
			t.Errorf("%s contains the CVC %s: …%q…", name, c.CVC, b[max(0, loc[0]-40):min(len(b), loc[1]+40)])
		}
	}
}
