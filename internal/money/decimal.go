package money

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseDecimal reads a non-negative decimal string in currency code: "49.99" USD is 4999,
// "5000" JPY is 5000. More decimals than the currency has is an error, never a rounding;
// so are signs, exponents, spaces inside and grouping separators.
func ParseDecimal(s, code string) (Amount, error) {
	code, err := Currency(code)
	if err != nil {
		return Amount{}, err
	}
	digits, _ := Digits(code)
	if strings.HasPrefix(s, "-") {
		return Amount{}, fmt.Errorf("%w: %q; amounts must be zero or more", ErrNegative, s)
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if !allDigits(whole) || (hasPoint && !allDigits(frac)) || whole == "" && frac == "" {
		return Amount{}, fmt.Errorf("%w: %q is not a decimal number such as 49.99", ErrMalformed, s)
	}
	if len(frac) > digits {
		return Amount{}, fmt.Errorf("%w: %q has %d decimals, %s has %d", ErrTooPrecise, s, len(frac), code, digits)
	}
	return fromParts(whole, frac+strings.Repeat("0", digits-len(frac)), code, s)
}

func fromParts(whole, frac, code, original string) (Amount, error) {
	joined := strings.TrimLeft(whole+frac, "0")
	if joined == "" {
		return Amount{Currency: code}, nil
	}
	minor, err := strconv.ParseInt(joined, 10, 64)
	if err != nil {
		return Amount{}, fmt.Errorf("%w: %q is too large", ErrOverflow, original)
	}
	return Amount{Minor: minor, Currency: code}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Decimal writes a with exactly its currency's decimals and a point: "49.99", "-0.05",
// "5000" for JPY, "1.234" for BHD. Unknown currencies are written as whole minor units.
func (a Amount) Decimal() string {
	digits, err := Digits(a.Currency)
	neg := a.Minor < 0
	var abs string
	if a.Minor == math.MinInt64 {
		abs = strconv.FormatInt(a.Minor, 10)[1:]
	} else {
		abs = strconv.FormatInt(max(a.Minor, -a.Minor), 10)
	}
	if err == nil && digits > 0 {
		if len(abs) <= digits {
			abs = strings.Repeat("0", digits-len(abs)+1) + abs
		}
		abs = abs[:len(abs)-digits] + "." + abs[len(abs)-digits:]
	}
	if neg {
		return "-" + abs
	}
	return abs
}
