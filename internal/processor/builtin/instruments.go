package builtin

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/settlehq/settle/internal/problem"
	"github.com/settlehq/settle/internal/processor"
)

// outcome is how the simulated network treats a payment method in test mode, decided when
// it is tokenized so that the number itself is never needed again.
type outcome string

// The outcomes of API.md §3.
const (
	outcomeSucceed          outcome = "succeed"
	outcomeDeclineGeneric   outcome = "decline:generic_decline"
	outcomeDeclineFunds     outcome = "decline:insufficient_funds"
	outcomeDisputeFraud     outcome = "dispute:fraudulent"
	outcomeDisputeNotRecvd  outcome = "dispute:product_not_received"
	outcomeInstant          outcome = "instant"
	outcomeChargedInEUR     outcome = "fx:EUR"
	outcomeDebitFailsNoFund outcome = "fail:insufficient_funds"
)

// testCards are the card numbers with a behaviour of their own; any other valid number
// succeeds.
var testCards = map[string]outcome{
	"4000000000000002": outcomeDeclineGeneric,
	"4000000000009995": outcomeDeclineFunds,
	"4000000000000259": outcomeDisputeFraud,
	"4000000000002685": outcomeDisputeNotRecvd,
	"4000000000000077": outcomeInstant,
	"4000002500003155": outcomeChargedInEUR,
}

// testBankAccounts are the bank accounts whose debits fail, keyed by method and account
// identity; any other valid account's debits succeed.
var testBankAccounts = map[string]outcome{
	"ach:110000000:000111111116":  outcomeDebitFailsNoFund,
	"sepa:DE62370400440532013001": outcomeDebitFailsNoFund,
	"bacs:108800:22222222":        outcomeDebitFailsNoFund,
	"pad:11000-000:000111111116":  outcomeDebitFailsNoFund,
}

// instrument is a validated payment method before it is stored: what may be kept of it,
// the key its fingerprint is made from, and its test outcome.
type instrument struct {
	method   processor.Method
	brand    string
	last4    string
	expMonth int
	expYear  int
	bankCode string
	holder   string
	identity string
	outcome  outcome
}

// validateCard checks a card's number (Luhn), expiry (not before now's month) and CVC.
func validateCard(c processor.CardDetails, now time.Time) (instrument, error) {
	inv := &problem.InvalidError{}
	number := digitsOnly(c.Number, " -")
	switch {
	case number == "" || len(number) < 12 || len(number) > 19:
		inv.Add("card.number", "INVALID_NUMBER", "The card number must have 12 to 19 digits.")
	case !luhn(number):
		inv.Add("card.number", "INVALID_NUMBER", "The card number is not valid: its check digit is wrong.")
	}
	year := c.ExpYear
	if year >= 0 && year < 100 {
		year += 2000
	}
	switch {
	case c.ExpMonth < 1 || c.ExpMonth > 12:
		inv.Add("card.exp_month", "INVALID_EXPIRY", "The expiry month must be 1 to 12.")
	case year > 9999 || expired(c.ExpMonth, year, now):
		inv.Add("card.exp_year", "EXPIRED_CARD", fmt.Sprintf("The card expired at the end of %02d/%d.", c.ExpMonth, year))
	}
	if cvc := digitsOnly(c.CVC, ""); len(cvc) < 3 || len(cvc) > 4 || len(cvc) != len(c.CVC) {
		inv.Add("card.cvc", "INVALID_CVC", "The CVC must be 3 or 4 digits.")
	}
	if err := inv.OrNil(); err != nil {
		return instrument{}, err
	}
	o, ok := testCards[number]
	if !ok {
		o = outcomeSucceed
	}
	return instrument{method: processor.MethodCard, brand: brand(number), last4: number[len(number)-4:],
		expMonth: c.ExpMonth, expYear: year, identity: "card:" + number, outcome: o}, nil
}

// expired reports whether a card valid through month/year has expired by now.
func expired(month, year int, now time.Time) bool {
	endOfMonth := time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, time.UTC)
	return !now.Before(endOfMonth)
}

// digitsOnly returns s without the separators, or "" when anything else is not a digit.
func digitsOnly(s, separators string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(separators, r):
		default:
			return ""
		}
	}
	return b.String()
}

// luhn reports whether number's last digit is its Luhn check digit.
func luhn(number string) bool {
	sum := 0
	for i := range len(number) {
		d := int(number[len(number)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// brand names a card's network from its first digits.
func brand(number string) string {
	switch {
	case strings.HasPrefix(number, "4"):
		return "visa"
	case strings.HasPrefix(number, "34"), strings.HasPrefix(number, "37"):
		return "amex"
	case strings.HasPrefix(number, "6011"), strings.HasPrefix(number, "65"):
		return "discover"
	case number[0] == '5' && number[1] >= '1' && number[1] <= '5', number[0] == '2' && number >= "2221" && number < "2721":
		return "mastercard"
	}
	return "unknown"
}

// validateACH checks a US routing number (ABA checksum) and account number.
func validateACH(a processor.ACHDetails) (instrument, error) {
	inv := &problem.InvalidError{}
	if !abaValid(a.RoutingNumber) {
		inv.Add("ach.routing_number", "INVALID_ROUTING_NUMBER", "The routing number must be 9 digits with a valid ABA checksum.")
	}
	if n := len(a.AccountNumber); n < 4 || n > 17 || digitsOnly(a.AccountNumber, "") == "" {
		inv.Add("ach.account_number", "INVALID_ACCOUNT_NUMBER", "The account number must be 4 to 17 digits.")
	}
	requireHolder(inv, "ach", a.AccountHolder)
	if err := inv.OrNil(); err != nil {
		return instrument{}, err
	}
	return bankInstrument(processor.MethodACH, a.RoutingNumber, a.AccountNumber, a.AccountHolder), nil
}

// abaValid checks the routing number's weighted checksum (3, 7, 1).
func abaValid(r string) bool {
	if len(r) != 9 || digitsOnly(r, "") == "" {
		return false
	}
	weights := [3]int{3, 7, 1}
	sum := 0
	for i := range 9 {
		sum += int(r[i]-'0') * weights[i%3]
	}
	return sum%10 == 0
}

// validateSEPA checks an IBAN's length, country and mod-97 checksum.
func validateSEPA(s processor.SEPADetails) (instrument, error) {
	inv := &problem.InvalidError{}
	iban := strings.ToUpper(strings.ReplaceAll(s.IBAN, " ", ""))
	if !ibanValid(iban) {
		inv.Add("sepa.iban", "INVALID_IBAN", "The IBAN is not valid: check its country code, length and check digits.")
	}
	requireHolder(inv, "sepa", s.AccountHolder)
	if err := inv.OrNil(); err != nil {
		return instrument{}, err
	}
	return bankInstrument(processor.MethodSEPA, iban[:2]+" "+iban[4:min(12, len(iban))], iban, s.AccountHolder), nil
}

// ibanValid checks the ISO 13616 checksum: the IBAN, rotated and with letters as numbers,
// is 1 modulo 97.
func ibanValid(iban string) bool {
	if len(iban) < 15 || len(iban) > 34 || !isLetters(iban[:2]) || digitsOnly(iban[2:4], "") == "" {
		return false
	}
	var b strings.Builder
	for _, r := range iban[4:] + iban[:4] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			fmt.Fprintf(&b, "%d", r-'A'+10)
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// validateBACS checks a UK sort code (6 digits) and account number (8 digits).
func validateBACS(b processor.BACSDetails) (instrument, error) {
	inv := &problem.InvalidError{}
	sort := digitsOnly(b.SortCode, "- ")
	if len(sort) != 6 {
		inv.Add("bacs.sort_code", "INVALID_SORT_CODE", "The sort code must be 6 digits, such as 10-88-00.")
	}
	if len(b.AccountNumber) != 8 || digitsOnly(b.AccountNumber, "") == "" {
		inv.Add("bacs.account_number", "INVALID_ACCOUNT_NUMBER", "The account number must be 8 digits.")
	}
	requireHolder(inv, "bacs", b.AccountHolder)
	if err := inv.OrNil(); err != nil {
		return instrument{}, err
	}
	return bankInstrument(processor.MethodBACS, sort, b.AccountNumber, b.AccountHolder), nil
}

// validatePAD checks a Canadian transit (5 digits), institution (3) and account (7 to 12).
func validatePAD(p processor.PADDetails) (instrument, error) {
	inv := &problem.InvalidError{}
	if len(p.TransitNumber) != 5 || digitsOnly(p.TransitNumber, "") == "" {
		inv.Add("pad.transit_number", "INVALID_TRANSIT_NUMBER", "The transit number must be 5 digits.")
	}
	if len(p.InstitutionNumber) != 3 || digitsOnly(p.InstitutionNumber, "") == "" {
		inv.Add("pad.institution_number", "INVALID_INSTITUTION_NUMBER", "The institution number must be 3 digits.")
	}
	if n := len(p.AccountNumber); n < 7 || n > 12 || digitsOnly(p.AccountNumber, "") == "" {
		inv.Add("pad.account_number", "INVALID_ACCOUNT_NUMBER", "The account number must be 7 to 12 digits.")
	}
	requireHolder(inv, "pad", p.AccountHolder)
	if err := inv.OrNil(); err != nil {
		return instrument{}, err
	}
	return bankInstrument(processor.MethodPAD, p.TransitNumber+"-"+p.InstitutionNumber, p.AccountNumber, p.AccountHolder), nil
}

func requireHolder(inv *problem.InvalidError, prefix, holder string) {
	if strings.TrimSpace(holder) == "" || len(holder) > 200 {
		inv.Add(prefix+".account_holder", "REQUIRED", "The account holder's name is required (at most 200 characters).")
	}
}

// bankInstrument builds a bank account's instrument; bankCode identifies the bank, account
// the account within it.
func bankInstrument(m processor.Method, bankCode, account, holder string) instrument {
	key := string(m) + ":" + strings.ReplaceAll(bankCode, " ", "") + ":" + account
	if m == processor.MethodSEPA {
		key = "sepa:" + account
	}
	o, ok := testBankAccounts[key]
	if !ok {
		o = outcomeSucceed
	}
	return instrument{method: m, last4: account[len(account)-4:], bankCode: bankCode, holder: strings.TrimSpace(holder),
		identity: key, outcome: o}
}
