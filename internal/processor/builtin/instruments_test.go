package builtin_test

import (
	"context"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/calendar"
	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/ledger"
	"github.com/settlehq/settle/internal/processor"
	"github.com/settlehq/settle/internal/processor/builtin"
)

func card(number string) processor.TokenizeParams {
	return processor.TokenizeParams{Card: &processor.CardDetails{Number: number, ExpMonth: 12, ExpYear: 2030, CVC: "739"}}
}

func ach(account string) processor.TokenizeParams {
	return processor.TokenizeParams{ACH: &processor.ACHDetails{RoutingNumber: "110000000", AccountNumber: account, AccountHolder: "Jane Buyer"}}
}

func sepa(iban string) processor.TokenizeParams {
	return processor.TokenizeParams{SEPA: &processor.SEPADetails{IBAN: iban, AccountHolder: "Jana Käufer"}}
}

func bacs(account string) processor.TokenizeParams {
	return processor.TokenizeParams{BACS: &processor.BACSDetails{SortCode: "108800", AccountNumber: account, AccountHolder: "Jo Buyer"}}
}

func pad(account string) processor.TokenizeParams {
	return processor.TokenizeParams{PAD: &processor.PADDetails{TransitNumber: "11000", InstitutionNumber: "000",
		AccountNumber: account, AccountHolder: "Jean Acheteur"}}
}

// instrumentCase is one row of API.md §3: what a charge of Amount answers at once, and where
// it stands once the test clock has moved 20 business days on.
type instrumentCase struct {
	name     string
	country  string
	method   processor.TokenizeParams
	amount   string
	currency string
	// At once.
	status      processor.ChargeStatus
	failureCode string
	charged     string // amount and currency actually charged, as "100.00 USD"
	settled     string // in the settlement currency, with the processor's fee and the rate
	fee         int64
	rate        string
	availableOn string
	// After 20 business days.
	finalStatus  processor.ChargeStatus
	finalFailure string
	dispute      string // the reason of the dispute that opened, if one did
}

func instrumentCases() []instrumentCase {
	return []instrumentCase{
		{name: "4242 succeeds", method: card("4242 4242 4242 4242"), amount: "100.00", currency: "USD", status: processor.ChargeSucceeded,
			charged: "100.00 USD", settled: "100.00 USD", fee: 320, availableOn: "2026-12-29", finalStatus: processor.ChargeSucceeded},
		{name: "0002 generic decline", method: card("4000000000000002"), amount: "100.00", currency: "USD", status: processor.ChargeFailed,
			failureCode: "generic_decline", charged: "100.00 USD", settled: "100.00 USD", finalStatus: processor.ChargeFailed, finalFailure: "generic_decline"},
		{name: "9995 insufficient funds", method: card("4000000000009995"), amount: "100.00", currency: "USD", status: processor.ChargeFailed,
			failureCode: "insufficient_funds", charged: "100.00 USD", settled: "100.00 USD", finalStatus: processor.ChargeFailed, finalFailure: "insufficient_funds"},
		{name: "0259 disputed as fraudulent", method: card("4000000000000259"), amount: "100.00", currency: "USD", status: processor.ChargeSucceeded,
			charged: "100.00 USD", settled: "100.00 USD", fee: 320, availableOn: "2026-12-29", finalStatus: processor.ChargeSucceeded, dispute: "fraudulent"},
		{name: "2685 disputed as not received", method: card("4000000000002685"), amount: "100.00", currency: "USD", status: processor.ChargeSucceeded,
			charged: "100.00 USD", settled: "100.00 USD", fee: 320, availableOn: "2026-12-29", finalStatus: processor.ChargeSucceeded, dispute: "product_not_received"},
		{name: "0077 available at once", method: card("4000000000000077"), amount: "100.00", currency: "USD", status: processor.ChargeSucceeded,
			charged: "100.00 USD", settled: "100.00 USD", fee: 320, availableOn: "2026-12-24", finalStatus: processor.ChargeSucceeded},
		{name: "3155 charged in EUR", method: card("4000002500003155"), amount: "100.00", currency: "USD", status: processor.ChargeSucceeded,
			charged: "92.28 EUR", settled: "100.00 USD", fee: 320, rate: "1.0837", availableOn: "2026-12-29", finalStatus: processor.ChargeSucceeded},
		{name: "3155 in an account settling in GBP", country: "GB", method: card("4000002500003155"), amount: "100.00", currency: "GBP",
			status: processor.ChargeSucceeded, charged: "100.00 GBP", settled: "100.00 GBP", fee: 320, availableOn: "2026-12-30",
			finalStatus: processor.ChargeSucceeded},
		{name: "any other Luhn-valid card", method: card("378282246310005"), amount: "10.01", currency: "USD", status: processor.ChargeSucceeded,
			charged: "10.01 USD", settled: "10.01 USD", fee: 59, availableOn: "2026-12-29", finalStatus: processor.ChargeSucceeded},
		{name: "card in the UK over Boxing Day", country: "GB", method: card("4242424242424242"), amount: "100.00", currency: "GBP",
			status: processor.ChargeSucceeded, charged: "100.00 GBP", settled: "100.00 GBP", fee: 320, availableOn: "2026-12-30",
			finalStatus: processor.ChargeSucceeded},
		{name: "ACH succeeds", method: ach("000123456789"), amount: "100.00", currency: "USD", status: processor.ChargeProcessing,
			charged: "100.00 USD", settled: "100.00 USD", availableOn: "2026-12-31", finalStatus: processor.ChargeSucceeded},
		{name: "ACH fee is capped", method: ach("000123456789"), amount: "1000.00", currency: "USD", status: processor.ChargeProcessing,
			charged: "1000.00 USD", settled: "1000.00 USD", availableOn: "2026-12-31", finalStatus: processor.ChargeSucceeded},
		{name: "ACH fails", method: ach("000111111116"), amount: "100.00", currency: "USD", status: processor.ChargeProcessing,
			charged: "100.00 USD", settled: "100.00 USD", availableOn: "2026-12-31", finalStatus: processor.ChargeFailed, finalFailure: "insufficient_funds"},
		{name: "SEPA succeeds on TARGET days", method: sepa("DE89 3704 0044 0532 0130 00"), amount: "100.00", currency: "EUR",
			status: processor.ChargeProcessing, charged: "100.00 EUR", settled: "108.37 USD", rate: "1.0837", availableOn: "2027-01-15",
			finalStatus: processor.ChargeSucceeded},
		{name: "SEPA fails", method: sepa("DE62370400440532013001"), amount: "100.00", currency: "EUR", status: processor.ChargeProcessing,
			charged: "100.00 EUR", settled: "108.37 USD", rate: "1.0837", availableOn: "2027-01-15", finalStatus: processor.ChargeFailed,
			finalFailure: "insufficient_funds"},
		{name: "BACS succeeds", method: bacs("00012345"), amount: "100.00", currency: "GBP", status: processor.ChargeProcessing,
			charged: "100.00 GBP", settled: "127.10 USD", rate: "1.2710", availableOn: "2027-01-05", finalStatus: processor.ChargeSucceeded},
		{name: "BACS fails", method: bacs("22222222"), amount: "100.00", currency: "GBP", status: processor.ChargeProcessing,
			charged: "100.00 GBP", settled: "127.10 USD", rate: "1.2710", availableOn: "2027-01-05", finalStatus: processor.ChargeFailed,
			finalFailure: "insufficient_funds"},
		{name: "BACS for a UK account", country: "GB", method: bacs("00012345"), amount: "100.00", currency: "GBP",
			status: processor.ChargeProcessing, charged: "100.00 GBP", settled: "100.00 GBP", availableOn: "2027-01-05",
			finalStatus: processor.ChargeSucceeded},
		{name: "PAD succeeds", method: pad("000123456789"), amount: "100.00", currency: "CAD", status: processor.ChargeProcessing,
			charged: "100.00 CAD", settled: "73.50 USD", rate: "0.7350", availableOn: "2027-01-05", finalStatus: processor.ChargeSucceeded},
		{name: "PAD fails", method: pad("000111111116"), amount: "100.00", currency: "CAD", status: processor.ChargeProcessing,
			charged: "100.00 CAD", settled: "73.50 USD", rate: "0.7350", availableOn: "2027-01-05", finalStatus: processor.ChargeFailed,
			finalFailure: "insufficient_funds"},
	}
}

// bankFees are the fees the bank debits of the table pay once they settle.
var bankFees = map[string]int64{
	"ACH succeeds": 80, "ACH fee is capped": 500, "SEPA succeeds on TARGET days": 87, "BACS succeeds": 127,
	"BACS for a UK account": 100, "PAD succeeds": 74,
}

// TestInstruments charges every test instrument of API.md §3 on Thursday 2026-12-24 and
// checks what it answers at once: status, decline code, amount charged and settled, fee,
// rate and the date funds become available, counted in business days over Christmas.
func TestInstruments(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		h := newHarness(t, engine)
		for _, tc := range instrumentCases() {
			t.Run(tc.name, func(t *testing.T) {
				c := h.pay(t, tc)
				checkCharge(t, tc, c)
			})
		}
		if _, err := ledger.Verify(context.Background(), h.db); err != nil {
			t.Fatal(err)
		}
	})
}

func (h *harness) pay(t *testing.T, tc instrumentCase) processor.Charge {
	t.Helper()
	country := tc.country
	if country == "" {
		country = "US"
	}
	c, err := h.proc.Pay(context.Background(), processor.PayParams{AccountID: h.accounts[country], Amount: tc.amount,
		Currency: tc.currency, Method: tc.method})
	if err != nil {
		t.Fatalf("pay: %v", err)
	}
	return c
}

func checkCharge(t *testing.T, tc instrumentCase, c processor.Charge) {
	t.Helper()
	if c.Status != tc.status || c.FailureCode != tc.failureCode {
		t.Errorf("status %s (%q), want %s (%q)", c.Status, c.FailureCode, tc.status, tc.failureCode)
	}
	if c.Amount.String() != tc.charged || c.Settlement.String() != tc.settled || c.Rate.String() != tc.rate {
		t.Errorf("charged %s, settled %s at %q; want %s, %s at %q", c.Amount, c.Settlement, c.Rate, tc.charged, tc.settled, tc.rate)
	}
	if c.Fee.Minor != tc.fee {
		t.Errorf("fee %d, want %d", c.Fee.Minor, tc.fee)
	}
	if got := c.AvailableOn.Format(time.DateOnly); tc.availableOn != "" && got != tc.availableOn {
		t.Errorf("available on %s (%s), want %s", got, c.AvailableOn.Weekday(), tc.availableOn)
	}
}

// TestTwentyBusinessDaysLater charges every instrument, then advances the account's test
// clock by 20 US business days: every bank debit has settled or failed, every dispute card
// has its dispute, held funds are available, and the ledger adds up. No test sleeps.
func TestTwentyBusinessDaysLater(t *testing.T) {
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		ctx := context.Background()
		h := newHarness(t, engine)
		cases := instrumentCases()
		charges := make([]processor.Charge, len(cases))
		for i, tc := range cases {
			charges[i] = h.pay(t, tc)
		}
		us, _ := calendar.Country("US")
		target := us.AddBusinessDays(thursdayBeforeChristmas, 20).Add(12 * time.Hour)
		for _, country := range []string{"US", "GB", "CA"} {
			adv, err := h.sched.Advance(ctx, h.accounts[country], clock.Advance{To: &target})
			if err != nil {
				t.Fatalf("advance %s: %v", country, err)
			}
			if !adv.Clock.Now.Equal(target) {
				t.Fatalf("the clock of %s reads %s, want %s", country, adv.Clock.Now, target)
			}
			if pending, _ := h.sched.Pending(ctx, h.accounts[country]); len(pending) != 0 {
				t.Errorf("work still pending in %s: %+v", country, pending)
			}
		}
		disputes := h.disputesByCharge(t)
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { h.checkFinal(t, tc, charges[i], disputes) })
		}
		h.checkSettledLedger(t)
	})
}

func (h *harness) disputesByCharge(t *testing.T) map[string]builtin.Dispute {
	out := map[string]builtin.Dispute{}
	for _, acct := range h.accounts {
		ds, err := h.proc.Disputes(context.Background(), acct)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			out[d.ChargeID] = d
		}
	}
	return out
}

func (h *harness) checkFinal(t *testing.T, tc instrumentCase, c processor.Charge, disputes map[string]builtin.Dispute) {
	got, err := h.proc.GetCharge(context.Background(), c.AccountID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != tc.finalStatus || got.FailureCode != tc.finalFailure {
		t.Errorf("after 20 business days: %s (%q), want %s (%q)", got.Status, got.FailureCode, tc.finalStatus, tc.finalFailure)
	}
	if fee, bank := bankFees[tc.name]; bank && got.Fee.Minor != fee {
		t.Errorf("settled with fee %d, want %d", got.Fee.Minor, fee)
	}
	if got.Status == processor.ChargeSucceeded && got.AvailableOn.Format(time.DateOnly) != tc.availableOn {
		t.Errorf("available on %s, want %s", got.AvailableOn.Format(time.DateOnly), tc.availableOn)
	}
	d, disputed := disputes[c.ID]
	if disputed != (tc.dispute != "") || d.Reason != tc.dispute {
		t.Errorf("dispute %+v, want reason %q", d, tc.dispute)
	}
	if disputed && (!d.CreatedAt.Equal(c.CreatedAt.Add(72*time.Hour)) || d.Amount != c.Amount || d.Status != "needs_response") {
		t.Errorf("dispute %+v opened at %s for %s", d, d.CreatedAt, d.Amount)
	}
}

// checkSettledLedger checks that nothing is left pending and the ledger adds up.
func (h *harness) checkSettledLedger(t *testing.T) {
	ctx := context.Background()
	for country, acct := range h.accounts {
		lines, err := ledger.Balance(ctx, h.db.Read, acct)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if l.Pending != 0 {
				t.Errorf("%s still has %d %s pending", country, l.Pending, l.Currency)
			}
		}
	}
	if _, err := ledger.Verify(ctx, h.db); err != nil {
		t.Fatal(err)
	}
}
