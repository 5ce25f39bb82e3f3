// Package money is Settle's amount type: an integer count of a currency's minor units with its
// ISO 4217 code. Arithmetic is checked — an overflow or a mix of currencies is an error,
// never a silent wrap or sum — and no value ever passes through a float.
package money

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/bojanz/currency"
)

// Errors the package returns, wrapped with details; test with errors.Is.
var (
	// ErrUnknownCurrency means a code is not an ISO 4217 currency.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrCurrencyMismatch means an operation combined amounts of two currencies.
	ErrCurrencyMismatch = errors.New("currency mismatch")
	// ErrOverflow means the result does not fit in 64 bits of minor units.
	ErrOverflow = errors.New("amount overflow")
	// ErrMalformed means a decimal string is not a plain number such as "49.99".
	ErrMalformed = errors.New("malformed amount")
	// ErrTooPrecise means a decimal string has more decimals than its currency allows.
	ErrTooPrecise = errors.New("too many decimals for the currency")
	// ErrNegative means a negative amount where only zero or more is accepted.
	ErrNegative = errors.New("negative amount")
	// ErrMalformedRate means an exchange rate is not a positive decimal such as "1.0837".
	ErrMalformedRate = errors.New("malformed exchange rate")
)

// Amount is a sum of money in minor units (cents for USD, yen for JPY, fils for BHD).
type Amount struct {
	Minor    int64
	Currency string
}

// New returns an amount of minor units of currency code, which must be ISO 4217.
func New(minor int64, code string) (Amount, error) {
	code, err := Currency(code)
	if err != nil {
		return Amount{}, err
	}
	return Amount{Minor: minor, Currency: code}, nil
}

// Currency returns code upper-cased when it is an ISO 4217 currency, and ErrUnknownCurrency
// otherwise.
func Currency(code string) (string, error) {
	up := strings.ToUpper(strings.TrimSpace(code))
	if len(up) != 3 || !currency.IsValid(up) {
		return "", fmt.Errorf("%w: %q is not an ISO 4217 currency code", ErrUnknownCurrency, code)
	}
	return up, nil
}

// Digits returns how many decimals currency code has: 2 for USD, 0 for JPY, 3 for BHD.
func Digits(code string) (int, error) {
	d, ok := currency.GetDigits(code)
	if !ok {
		return 0, fmt.Errorf("%w: %q is not an ISO 4217 currency code", ErrUnknownCurrency, code)
	}
	return int(d), nil
}

// IsZero reports whether a is zero, in any currency.
func (a Amount) IsZero() bool { return a.Minor == 0 }

// IsNegative reports whether a is below zero.
func (a Amount) IsNegative() bool { return a.Minor < 0 }

func (a Amount) same(b Amount) error {
	if a.Currency != b.Currency {
		return fmt.Errorf("%w: %s and %s", ErrCurrencyMismatch, a.Currency, b.Currency)
	}
	return nil
}

// Add returns a + b; both must have the same currency and the sum must fit.
func (a Amount) Add(b Amount) (Amount, error) {
	if err := a.same(b); err != nil {
		return Amount{}, err
	}
	sum := a.Minor + b.Minor
	if (b.Minor > 0 && sum < a.Minor) || (b.Minor < 0 && sum > a.Minor) {
		return Amount{}, fmt.Errorf("%w: %d + %d %s", ErrOverflow, a.Minor, b.Minor, a.Currency)
	}
	return Amount{Minor: sum, Currency: a.Currency}, nil
}

// Sub returns a - b; both must have the same currency and the difference must fit.
func (a Amount) Sub(b Amount) (Amount, error) {
	if err := a.same(b); err != nil {
		return Amount{}, err
	}
	diff := a.Minor - b.Minor
	if (b.Minor > 0 && diff > a.Minor) || (b.Minor < 0 && diff < a.Minor) {
		return Amount{}, fmt.Errorf("%w: %d - %d %s", ErrOverflow, a.Minor, b.Minor, a.Currency)
	}
	return Amount{Minor: diff, Currency: a.Currency}, nil
}

// Neg returns -a; the most negative int64 has no opposite and is an overflow.
func (a Amount) Neg() (Amount, error) {
	if a.Minor == math.MinInt64 {
		return Amount{}, fmt.Errorf("%w: -(%d) %s", ErrOverflow, a.Minor, a.Currency)
	}
	return Amount{Minor: -a.Minor, Currency: a.Currency}, nil
}

// Mul returns a × n, as when a line item's unit amount is multiplied by its quantity.
func (a Amount) Mul(n int64) (Amount, error) {
	if a.Minor == 0 || n == 0 {
		return Amount{Currency: a.Currency}, nil
	}
	p := a.Minor * n
	if p/n != a.Minor || (a.Minor == -1 && n == math.MinInt64) || (n == -1 && a.Minor == math.MinInt64) {
		return Amount{}, fmt.Errorf("%w: %d × %d %s", ErrOverflow, a.Minor, n, a.Currency)
	}
	return Amount{Minor: p, Currency: a.Currency}, nil
}

// Cmp compares a and b of the same currency: -1, 0 or +1.
func (a Amount) Cmp(b Amount) (int, error) {
	if err := a.same(b); err != nil {
		return 0, err
	}
	switch {
	case a.Minor < b.Minor:
		return -1, nil
	case a.Minor > b.Minor:
		return 1, nil
	}
	return 0, nil
}

// String writes a as the API and logs show it: "49.99 USD".
func (a Amount) String() string { return a.Decimal() + " " + a.Currency }
