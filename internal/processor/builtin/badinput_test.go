package builtin_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/settlehq/settle/internal/config"
	"github.com/settlehq/settle/internal/db/dbtest"
	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// writtenTables are every table a payment writes to.
var writtenTables = []string{"payment_methods", "processor_charges", "balance_transactions", "ledger_postings",
	"schedule", "processor_events", "processor_accounts"}

// TestBadInputWritesNothing sends what a buyer or a script can get wrong and expects a clear
// invalid-input error naming the field, with nothing written.
func TestBadInputWritesNothing(t *testing.T) {
	cases := []struct {
		name           string
		amount, cur    string
		method         processor.TokenizeParams
		field, code    string
		accountCountry string
	}{
		{name: "three decimals for USD", amount: "49.999", cur: "USD", method: card("4242424242424242"), field: "amount", code: "TOO_MANY_DECIMALS"},
		{name: "negative amount", amount: "-5.00", cur: "USD", method: card("4242424242424242"), field: "amount", code: "NEGATIVE_AMOUNT"},
		{name: "zero amount", amount: "0.00", cur: "USD", method: card("4242424242424242"), field: "amount", code: "INVALID_AMOUNT"},
		{name: "malformed amount", amount: "4,99", cur: "USD", method: card("4242424242424242"), field: "amount", code: "INVALID_AMOUNT"},
		{name: "unknown currency", amount: "5.00", cur: "ZZZ", method: card("4242424242424242"), field: "currency", code: "INVALID_CURRENCY"},
		{name: "currency the network cannot settle", amount: "500", cur: "JPY", method: card("4242424242424242"), field: "amount.currency", code: "CURRENCY_UNSUPPORTED"},
		{name: "expired card", amount: "5.00", cur: "USD", field: "card.exp_year", code: "EXPIRED_CARD",
			method: processor.TokenizeParams{Card: &processor.CardDetails{Number: "4242424242424242", ExpMonth: 11, ExpYear: 2026, CVC: "739"}}},
		{name: "bad Luhn digit", amount: "5.00", cur: "USD", method: card("4242424242424241"), field: "card.number", code: "INVALID_NUMBER"},
		{name: "letters in the number", amount: "5.00", cur: "USD", method: card("4242x24242424242"), field: "card.number", code: "INVALID_NUMBER"},
		{name: "short CVC", amount: "5.00", cur: "USD", field: "card.cvc", code: "INVALID_CVC",
			method: processor.TokenizeParams{Card: &processor.CardDetails{Number: "4242424242424242", ExpMonth: 1, ExpYear: 2030, CVC: "12"}}},
		{name: "IBAN with a bad checksum", amount: "5.00", cur: "EUR", method: sepa("DE89370400440532013001"), field: "sepa.iban", code: "INVALID_IBAN"},
		{name: "ABA checksum", amount: "5.00", cur: "USD", method: processor.TokenizeParams{ACH: &processor.ACHDetails{
			RoutingNumber: "110000001", AccountNumber: "000123456789", AccountHolder: "Jane"}}, field: "ach.routing_number", code: "INVALID_ROUTING_NUMBER"},
		{name: "sort code", amount: "5.00", cur: "GBP", method: processor.TokenizeParams{BACS: &processor.BACSDetails{
			SortCode: "10880", AccountNumber: "00012345", AccountHolder: "Jo"}}, field: "bacs.sort_code", code: "INVALID_SORT_CODE"},
		{name: "transit number", amount: "5.00", cur: "CAD", method: processor.TokenizeParams{PAD: &processor.PADDetails{
			TransitNumber: "1100", InstitutionNumber: "000", AccountNumber: "000123456789", AccountHolder: "Jean"}}, field: "pad.transit_number", code: "INVALID_TRANSIT_NUMBER"},
		{name: "two methods at once", amount: "5.00", cur: "USD", method: processor.TokenizeParams{
			Card: card("4242424242424242").Card, SEPA: sepa("DE89370400440532013000").SEPA}, field: "payment_method", code: "ONE_OF"},
		{name: "account outside the US, UK and Canada", amount: "5.00", cur: "EUR", method: card("4242424242424242"),
			accountCountry: "FR", field: "processor", code: "PROCESSOR_UNAVAILABLE"},
	}
	dbtest.ForEach(t, func(t *testing.T, engine config.Engine) {
		h := newHarness(t, engine)
		if _, err := h.db.Write.Exec(`INSERT INTO accounts (name, country, timezone, default_currency, settlement_currency,
			currencies, processor, created_at, updated_at) VALUES ('Boutique', 'FR', 'Europe/Paris', 'EUR', 'EUR', 'EUR', 'builtin', $1, $1)`,
			thursdayBeforeChristmas); err != nil {
			t.Fatal(err)
		}
		var fr int64
		_ = h.db.Read.QueryRow(`SELECT id FROM accounts WHERE country = 'FR'`).Scan(&fr)
		h.accounts["FR"] = fr
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				country := tc.accountCountry
				if country == "" {
					country = "US"
				}
				_, err := h.proc.Pay(context.Background(), processor.PayParams{AccountID: h.accounts[country], Amount: tc.amount,
					Currency: tc.cur, Method: tc.method})
				var inv *problem.InvalidError
				if !errors.As(err, &inv) || inv.Fields[0].Field != tc.field || inv.Fields[0].Code != tc.code {
					t.Fatalf("Pay = %v (%+v), want invalid %s: %s", err, inv, tc.field, tc.code)
				}
				if tc.code == "PROCESSOR_UNAVAILABLE" && !contains(err.Error(), "must connect Stripe") {
					t.Errorf("the message %q does not say to connect Stripe", err)
				}
			})
		}
		for _, table := range writtenTables {
			if n := h.count(t, table); n != 0 {
				t.Errorf("refused payments left %d rows in %s", n, table)
			}
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
