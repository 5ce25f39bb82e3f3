package lineitem

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrMalformedPercent means a string is not a percentage such as "8.875" between 0 and 100.
var ErrMalformedPercent = errors.New("malformed percentage")

// Percent is a percentage held exactly, as an integer count of ten-thousandths of a percent:
// 8.875% is 88750 and 100% is MaxPercent. Tax rates and discounts use it so that no rate ever
// passes through a float.
type Percent int64

const (
	// PercentDecimals is how many decimals a Percent keeps.
	PercentDecimals = 4
	// PercentScale is the Percent of 1%.
	PercentScale Percent = 10_000
	// MaxPercent is 100%, the largest tax rate or discount.
	MaxPercent Percent = 100 * PercentScale
)

// ParsePercent reads a decimal percentage from 0 to 100 with at most four decimals, such as
// "8.875" or "20". Signs, exponents, spaces and commas are errors, as are more decimals: a
// rate is never rounded on the way in.
func ParsePercent(s string) (Percent, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || !digits(whole) || !digits(frac) || len(frac) > PercentDecimals {
		return 0, fmt.Errorf("%w: %q is not a percentage such as 8.875 with at most %d decimals",
			ErrMalformedPercent, s, PercentDecimals)
	}
	n, _ := strconv.ParseInt(whole+frac+strings.Repeat("0", PercentDecimals-len(frac)), 10, 64)
	if p := Percent(n); p <= MaxPercent {
		return p, nil
	}
	return 0, fmt.Errorf("%w: %q is above 100", ErrMalformedPercent, s)
}

// String writes p as a decimal without trailing zeros: "8.875", "20", "0".
func (p Percent) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	s := fmt.Sprintf("%d.%04d", p/PercentScale, p%PercentScale)
	return sign + strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// digits reports whether s holds only ASCII digits; the empty string does.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
