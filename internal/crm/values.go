package crm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Values travel as strings in the API. In storage a number is an int64 of millionths (six
// decimals, exact, never a float), a datetime a UTC time with millisecond precision, a date
// its YYYY-MM-DD text, a bool a boolean, everything else text. An empty string clears a value.

// numberScale is how many decimals a number property keeps.
const numberScale = 6

// MaxStringLength bounds string values.
const MaxStringLength = 65536

// ValueError says why a value does not fit its property.
type ValueError struct {
	Property string
	Value    string
	Reason   string
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%q is not a valid value for %s: %s", truncate(e.Value, 80), e.Property, e.Reason)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// parseValue converts an API value of p to its storage form; nil means "clear".
func parseValue(p Property, raw string) (any, error) {
	if raw == "" {
		return nil, nil
	}
	fail := func(reason string) (any, error) { return nil, &ValueError{p.Name, raw, reason} }
	switch p.Type {
	case Number:
		n, err := ParseNumber(raw)
		if err != nil {
			return fail(err.Error())
		}
		return n, nil
	case Datetime:
		t, err := ParseDatetime(raw)
		if err != nil {
			return fail("use ISO 8601 such as 2026-03-27T18:04:11.823Z, or milliseconds since 1970")
		}
		return t, nil
	case Date:
		d, err := parseDate(raw)
		if err != nil {
			return fail("use a date such as 2026-03-27, or midnight UTC in milliseconds since 1970")
		}
		return d, nil
	case Bool:
		return parseBool(p, raw)
	case Enumeration:
		return parseEnumeration(p, raw)
	}
	if len(raw) > MaxStringLength {
		return fail(fmt.Sprintf("at most %d characters", MaxStringLength))
	}
	return raw, nil
}

func parseBool(p Property, raw string) (any, error) {
	switch strings.ToLower(raw) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return nil, &ValueError{p.Name, raw, "use true or false"}
}

// parseEnumeration accepts one option, or for checkbox fields several separated by ";".
func parseEnumeration(p Property, raw string) (any, error) {
	parts := []string{raw}
	if p.FieldType == "checkbox" {
		parts = strings.Split(raw, ";")
	}
	for _, v := range parts {
		if !p.HasOption(v) {
			return nil, &ValueError{p.Name, raw, "not one of the property's options (" + optionList(p) + ")"}
		}
	}
	return raw, nil
}

func optionList(p Property) string {
	vals := make([]string, 0, len(p.Options))
	for _, o := range p.Options {
		vals = append(vals, o.Value)
	}
	return strings.Join(vals, ", ")
}

// ParseNumber reads a decimal such as "-49.99" into millionths. More than six decimals, an
// exponent or a value beyond ±9,223,372,036,854 is an error, never a silent rounding.
func ParseNumber(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, hasDot := strings.Cut(digits, ".")
	if (whole == "" && frac == "") || (hasDot && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return 0, fmt.Errorf("not a decimal number")
	}
	if len(frac) > numberScale {
		return 0, fmt.Errorf("at most %d decimals", numberScale)
	}
	frac += strings.Repeat("0", numberScale-len(frac))
	f, _ := strconv.ParseInt(frac, 10, 64)
	var w int64
	if whole != "" {
		var err error
		if w, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, fmt.Errorf("out of range")
		}
	}
	if w > (math.MaxInt64-f)/1_000_000 {
		return 0, fmt.Errorf("out of range")
	}
	n := w*1_000_000 + f
	if neg {
		n = -n
	}
	return n, nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// FormatNumber writes millionths as the shortest exact decimal: 49990000 → "49.99".
func FormatNumber(n int64) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-n)
	}
	whole, frac := u/1_000_000, u%1_000_000
	if frac == 0 {
		return sign + strconv.FormatUint(whole, 10)
	}
	f := strings.TrimRight(fmt.Sprintf("%06d", frac), "0")
	return sign + strconv.FormatUint(whole, 10) + "." + f
}

// ParseDatetime reads ISO 8601 (with or without fractions or zone; a date alone is midnight
// UTC) or milliseconds since 1970, and returns UTC at millisecond precision.
func ParseDatetime(s string) (time.Time, error) {
	if allDigits(strings.TrimPrefix(s, "-")) && len(s) > 0 {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Millisecond), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a datetime")
}

func parseDate(s string) (string, error) {
	t, err := ParseDatetime(s)
	if err != nil {
		return "", err
	}
	return t.Format(time.DateOnly), nil
}

// FormatDatetime writes t as the API does: UTC, milliseconds, Z.
func FormatDatetime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
