package money_test

import (
	"errors"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/settlehq/settle/internal/money"
)

var currencies = []string{"USD", "EUR", "GBP", "JPY", "BHD", "CAD"}

func genAmount(cur string) *rapid.Generator[money.Amount] {
	return rapid.Custom(func(t *rapid.T) money.Amount {
		return money.Amount{Minor: rapid.Int64().Draw(t, "minor"), Currency: cur}
	})
}

// fits reports whether the exact integer result of an operation fits in an int64.
func fits(x *big.Int) bool { return x.IsInt64() }

func TestArithmeticLaws(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom(currencies).Draw(t, "currency")
		a, b := genAmount(cur).Draw(t, "a"), genAmount(cur).Draw(t, "b")
		exact := new(big.Int).Add(big.NewInt(a.Minor), big.NewInt(b.Minor))
		sum, err := a.Add(b)
		if fits(exact) != (err == nil) || (err != nil && !errors.Is(err, money.ErrOverflow)) {
			t.Fatalf("%v + %v: %v, %v (exact %s)", a, b, sum, err, exact)
		}
		if err != nil {
			return
		}
		if sum.Minor != exact.Int64() {
			t.Fatalf("%v + %v = %v, want %s", a, b, sum, exact)
		}
		if other, _ := b.Add(a); other != sum {
			t.Fatalf("addition does not commute: %v vs %v", sum, other)
		}
		if back, err := sum.Sub(b); err != nil || back != a {
			t.Fatalf("(%v + %v) - %v = %v, %v", a, b, b, back, err)
		}
	})
}

func TestMulMatchesBigIntegers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genAmount("USD").Draw(t, "a")
		n := rapid.Int64().Draw(t, "n")
		exact := new(big.Int).Mul(big.NewInt(a.Minor), big.NewInt(n))
		got, err := a.Mul(n)
		if fits(exact) != (err == nil) || (err == nil && got.Minor != exact.Int64()) {
			t.Fatalf("%v × %d = %v, %v; exact %s", a, n, got, err, exact)
		}
	})
}

func TestNegIsItsOwnInverse(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genAmount("EUR").Draw(t, "a")
		n, err := a.Neg()
		if err != nil {
			return
		}
		if back, err := n.Neg(); err != nil || back != a {
			t.Fatalf("-(-%v) = %v, %v", a, back, err)
		}
		if zero, err := a.Add(n); err != nil || !zero.IsZero() {
			t.Fatalf("%v + -%v = %v, %v", a, a, zero, err)
		}
	})
}

func TestDecimalRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom(currencies).Draw(t, "currency")
		a := money.Amount{Minor: rapid.Int64Min(0).Draw(t, "minor"), Currency: cur}
		back, err := money.ParseDecimal(a.Decimal(), cur)
		if err != nil || back != a {
			t.Fatalf("ParseDecimal(%q) = %v, %v; want %v", a.Decimal(), back, err, a)
		}
	})
}

func TestConvertRoundsOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := money.Amount{Minor: rapid.Int64Range(-1e12, 1e12).Draw(t, "minor"), Currency: "EUR"}
		rate := rapid.StringMatching(`[1-9][0-9]?\.[0-9]{1,6}`).Draw(t, "rate")
		got, err := money.Convert(a, "USD", money.MustRate(rate))
		if err != nil {
			t.Fatal(err)
		}
		exact, _ := new(big.Rat).SetString(rate)
		exact.Mul(exact, new(big.Rat).SetInt64(a.Minor))
		diff := new(big.Rat).Sub(exact, new(big.Rat).SetInt64(got.Minor))
		if diff.Abs(diff).Cmp(big.NewRat(1, 2)) > 0 {
			t.Fatalf("%v at %s = %v, exact %s: more than half a cent off", a, rate, got, exact.FloatString(4))
		}
	})
}
