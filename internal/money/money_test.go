package money_test

import (
	"errors"
	"math"
	"testing"

	"github.com/settlehq/settle/internal/money"
)

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		name, in, currency string
		want               int64
		err                error
	}{
		{"cents", "49.99", "USD", 4999, nil},
		{"one decimal", "49.9", "USD", 4990, nil},
		{"whole", "49", "usd", 4900, nil},
		{"leading point", ".5", "USD", 50, nil},
		{"trailing point", "7.", "USD", 700, nil},
		{"zero", "0.00", "USD", 0, nil},
		{"yen", "5000", "JPY", 5000, nil},
		{"dinar", "1.234", "BHD", 1234, nil},
		{"three decimals for USD", "49.999", "USD", 0, money.ErrTooPrecise},
		{"decimals for JPY", "5000.5", "JPY", 0, money.ErrTooPrecise},
		{"negative", "-1.00", "USD", 0, money.ErrNegative},
		{"plus sign", "+1.00", "USD", 0, money.ErrMalformed},
		{"comma", "1,000.00", "USD", 0, money.ErrMalformed},
		{"exponent", "1e3", "USD", 0, money.ErrMalformed},
		{"space", "1 000", "USD", 0, money.ErrMalformed},
		{"empty", "", "USD", 0, money.ErrMalformed},
		{"only a point", ".", "USD", 0, money.ErrMalformed},
		{"two points", "1.2.3", "USD", 0, money.ErrMalformed},
		{"unknown currency", "1.00", "XYZ", 0, money.ErrUnknownCurrency},
		{"too large", "92233720368547758.08", "USD", 0, money.ErrOverflow},
		{"largest", "92233720368547758.07", "USD", math.MaxInt64, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.ParseDecimal(tc.in, tc.currency)
			if !errors.Is(err, tc.err) {
				t.Fatalf("ParseDecimal(%q, %s) error %v, want %v", tc.in, tc.currency, err, tc.err)
			}
			if err == nil && got.Minor != tc.want {
				t.Fatalf("ParseDecimal(%q, %s) = %d, want %d", tc.in, tc.currency, got.Minor, tc.want)
			}
		})
	}
}

func TestDecimal(t *testing.T) {
	cases := []struct {
		name string
		in   money.Amount
		want string
	}{
		{"dollars", money.Amount{Minor: 4999, Currency: "USD"}, "49.99"},
		{"cents only", money.Amount{Minor: 5, Currency: "USD"}, "0.05"},
		{"negative cents", money.Amount{Minor: -5, Currency: "USD"}, "-0.05"},
		{"zero", money.Amount{Currency: "EUR"}, "0.00"},
		{"yen", money.Amount{Minor: 5000, Currency: "JPY"}, "5000"},
		{"dinar", money.Amount{Minor: 1234, Currency: "BHD"}, "1.234"},
		{"smallest", money.Amount{Minor: math.MinInt64, Currency: "USD"}, "-92233720368547758.08"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.Decimal(); got != tc.want {
				t.Fatalf("Decimal() = %q, want %q", got, tc.want)
			}
		})
	}
	if s := (money.Amount{Minor: 4999, Currency: "USD"}).String(); s != "49.99 USD" {
		t.Errorf("String() = %q", s)
	}
}

func TestFormat(t *testing.T) {
	cases := []struct {
		name, language string
		in             money.Amount
		want           string
	}{
		// French groups with a narrow no-break space and puts a no-break space before €.
		{"french euros", "fr", money.Amount{Minor: 123450, Currency: "EUR"}, "1\u202f234,50\u00a0€"},
		{"english dollars", "en", money.Amount{Minor: 123450, Currency: "USD"}, "$1,234.50"},
		{"english negative", "en", money.Amount{Minor: -123450, Currency: "USD"}, "-$1,234.50"},
		{"german euros", "de", money.Amount{Minor: 123450, Currency: "EUR"}, "1.234,50\u00a0€"},
		{"spanish euros", "es", money.Amount{Minor: 123450, Currency: "EUR"}, "1234,50\u00a0€"},
		{"british pounds", "en-GB", money.Amount{Minor: 99, Currency: "GBP"}, "£0.99"},
		{"french yen", "fr", money.Amount{Minor: 500000, Currency: "JPY"}, "500\u202f000\u00a0¥"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.Format(tc.language); got != tc.want {
				t.Fatalf("Format(%s) = %+q, want %+q", tc.language, got, tc.want)
			}
		})
	}
}

func TestArithmeticErrors(t *testing.T) {
	usd := func(n int64) money.Amount { return money.Amount{Minor: n, Currency: "USD"} }
	eur := money.Amount{Minor: 1, Currency: "EUR"}
	cases := []struct {
		name string
		op   func() (money.Amount, error)
		err  error
	}{
		{"add currencies", func() (money.Amount, error) { return usd(1).Add(eur) }, money.ErrCurrencyMismatch},
		{"sub currencies", func() (money.Amount, error) { return usd(1).Sub(eur) }, money.ErrCurrencyMismatch},
		{"add overflow", func() (money.Amount, error) { return usd(math.MaxInt64).Add(usd(1)) }, money.ErrOverflow},
		{"add underflow", func() (money.Amount, error) { return usd(math.MinInt64).Add(usd(-1)) }, money.ErrOverflow},
		{"sub overflow", func() (money.Amount, error) { return usd(math.MinInt64).Sub(usd(1)) }, money.ErrOverflow},
		{"sub of min", func() (money.Amount, error) { return usd(0).Sub(usd(math.MinInt64)) }, money.ErrOverflow},
		{"neg of min", func() (money.Amount, error) { return usd(math.MinInt64).Neg() }, money.ErrOverflow},
		{"mul overflow", func() (money.Amount, error) { return usd(math.MaxInt64 / 2).Mul(3) }, money.ErrOverflow},
		{"mul min by -1", func() (money.Amount, error) { return usd(math.MinInt64).Mul(-1) }, money.ErrOverflow},
		{"mul -1 by min", func() (money.Amount, error) { return usd(-1).Mul(math.MinInt64) }, money.ErrOverflow},
		{"unknown currency", func() (money.Amount, error) { return money.New(1, "ABC") }, money.ErrUnknownCurrency},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.op(); !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
		})
	}
}

func TestConvert(t *testing.T) {
	cases := []struct {
		name string
		in   money.Amount
		to   string
		rate string
		want int64
	}{
		{"euros to dollars", money.Amount{Minor: 10000, Currency: "EUR"}, "USD", "1.0837", 10837},
		{"half rounds up", money.Amount{Minor: 1, Currency: "EUR"}, "USD", "0.5", 1},
		{"negative half rounds away", money.Amount{Minor: -1, Currency: "EUR"}, "USD", "0.5", -1},
		{"below half rounds down", money.Amount{Minor: 1, Currency: "EUR"}, "USD", "0.4999", 0},
		{"to yen drops decimals", money.Amount{Minor: 1000, Currency: "USD"}, "JPY", "151.235", 1512},
		{"yen to dollars", money.Amount{Minor: 1512, Currency: "JPY"}, "USD", "0.0066", 998},
		{"to dinar", money.Amount{Minor: 100, Currency: "USD"}, "BHD", "0.376", 376},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.Convert(tc.in, tc.to, money.MustRate(tc.rate))
			if err != nil || got.Minor != tc.want || got.Currency != tc.to {
				t.Fatalf("Convert = %v, %v; want %d %s", got, err, tc.want, tc.to)
			}
		})
	}
	back, err := money.ConvertBack(money.Amount{Minor: 10837, Currency: "USD"}, "EUR", money.MustRate("1.0837"))
	if err != nil || back.Minor != 10000 {
		t.Fatalf("ConvertBack = %v, %v; want 100.00 EUR", back, err)
	}
	fee, err := money.Amount{Minor: 1001, Currency: "USD"}.Times(money.MustRate("2.9").Percent())
	if err != nil || fee.Minor != 29 {
		t.Fatalf("2.9%% of 10.01 = %v, %v; want 29 cents", fee, err)
	}
}

func TestParseRate(t *testing.T) {
	for _, bad := range []string{"", "0", "0.000", "-1.2", "1e3", "1,2", "abc", ".5", "1.2.3"} {
		t.Run(bad, func(t *testing.T) {
			if _, err := money.ParseRate(bad); !errors.Is(err, money.ErrMalformedRate) {
				t.Fatalf("ParseRate(%q) = %v, want ErrMalformedRate", bad, err)
			}
		})
	}
	if p := money.MustRate("2.9").Percent().String(); p != "0.029" {
		t.Errorf("2.9%% = %s", p)
	}
}
