package money

import (
	"fmt"
	"math/big"
	"strings"
)

// Rate is an exact positive decimal: an exchange rate ("1.0837") or a fraction for fees
// ("0.029"). It keeps the text it was read from, which is how it is stored.
type Rate struct {
	text string
	r    *big.Rat
}

// ParseRate reads a positive decimal written with digits and at most one point.
func ParseRate(s string) (Rate, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) || len(s) > 40 {
		return Rate{}, fmt.Errorf("%w: %q is not a decimal such as 1.0837", ErrMalformedRate, s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() <= 0 {
		return Rate{}, fmt.Errorf("%w: %q must be above zero", ErrMalformedRate, s)
	}
	return Rate{text: s, r: r}, nil
}

// MustRate is ParseRate for constants written in the code; it panics on a malformed one.
func MustRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// String returns the rate as it was written.
func (r Rate) String() string { return r.text }

// IsZero reports whether r is the zero Rate, which stands for "no rate".
func (r Rate) IsZero() bool { return r.r == nil }

// Percent returns r read as a percentage: "2.9" becomes the fraction 0.029.
func (r Rate) Percent() Rate {
	q := new(big.Rat).Quo(r.r, big.NewRat(100, 1))
	return Rate{text: q.FloatString(precision(q)), r: q}
}

// precision is the number of decimals that write q exactly (q has a power-of-ten
// denominator, as every decimal does).
func precision(q *big.Rat) int {
	d := new(big.Int).Set(q.Denom())
	n := 0
	ten := big.NewInt(10)
	for d.Cmp(big.NewInt(1)) > 0 && n < 60 {
		d.Quo(d, ten)
		n++
	}
	return n
}

// Times returns a × r in a's currency, rounded half away from zero once: the fee of 2.9% on
// 1001 cents is 29.029, so 29.
func (a Amount) Times(r Rate) (Amount, error) {
	return scale(a, a.Currency, new(big.Rat).Set(r.r))
}

// Convert returns a in currency to at rate (units of to per unit of a's currency), rounded
// half away from zero once: 100.00 EUR at 1.0837 is 108.37 USD.
func Convert(a Amount, to string, r Rate) (Amount, error) {
	to, err := Currency(to)
	if err != nil {
		return Amount{}, err
	}
	if r.IsZero() {
		return Amount{}, fmt.Errorf("%w: converting %s to %s needs a rate", ErrMalformedRate, a.Currency, to)
	}
	return scale(a, to, new(big.Rat).Set(r.r))
}

// ConvertBack returns a, an amount in the rate's target currency, in currency to: the inverse
// of Convert at the same rate, rounded half away from zero once.
func ConvertBack(a Amount, to string, r Rate) (Amount, error) {
	to, err := Currency(to)
	if err != nil {
		return Amount{}, err
	}
	if r.IsZero() {
		return Amount{}, fmt.Errorf("%w: converting %s to %s needs a rate", ErrMalformedRate, a.Currency, to)
	}
	return scale(a, to, new(big.Rat).Inv(r.r))
}

// scale multiplies a by factor, adjusts for the decimals of a's currency and of to, and
// rounds half away from zero.
func scale(a Amount, to string, factor *big.Rat) (Amount, error) {
	from, err := Digits(a.Currency)
	if err != nil {
		return Amount{}, err
	}
	digits, err := Digits(to)
	if err != nil {
		return Amount{}, err
	}
	x := new(big.Rat).Mul(new(big.Rat).SetInt64(a.Minor), factor)
	x.Mul(x, pow10Rat(digits-from))
	n := roundHalfAway(x)
	if !n.IsInt64() {
		return Amount{}, fmt.Errorf("%w: %s × %s", ErrOverflow, a, factor.FloatString(6))
	}
	return Amount{Minor: n.Int64(), Currency: to}, nil
}

func pow10Rat(e int) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(e, -e))), nil)
	if e < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), p)
	}
	return new(big.Rat).SetInt(p)
}

// roundHalfAway rounds x to the nearest integer, halves away from zero.
func roundHalfAway(x *big.Rat) *big.Int {
	num := new(big.Int).Abs(x.Num())
	den := x.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(rem, big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if x.Sign() < 0 {
		q.Neg(q)
	}
	return q
}
