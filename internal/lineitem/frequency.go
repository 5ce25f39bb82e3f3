package lineitem

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidFrequency means a string is not a billing frequency.
var ErrInvalidFrequency = errors.New("invalid billing frequency")

// Frequency is how often a recurring item is charged. It is one of the named values of the
// CRM's billing-frequency property, or a custom period written "every N units" such as
// "every 10 days". It is kept in canonical form: the named value when the period has one
// ("every 1 month" is FrequencyMonthly), otherwise in the largest unit that divides it
// ("every 14 days" is FrequencyBiweekly, "every 18 months" stays). ParseFrequency, Every and
// UnmarshalText return that form and validation refuses any other, so two items bill on the
// same schedule exactly when their frequencies are equal.
type Frequency string

// The named frequencies, as the CRM schema spells them.
const (
	FrequencyWeekly        Frequency = "weekly"
	FrequencyBiweekly      Frequency = "biweekly"
	FrequencyMonthly       Frequency = "monthly"
	FrequencyQuarterly     Frequency = "quarterly"
	FrequencyPerSixMonths  Frequency = "per_six_months"
	FrequencyAnnually      Frequency = "annually"
	FrequencyPerTwoYears   Frequency = "per_two_years"
	FrequencyPerThreeYears Frequency = "per_three_years"
)

// Unit is the calendar unit of a custom frequency.
type Unit string

// The units of a custom frequency.
const (
	Day   Unit = "day"
	Week  Unit = "week"
	Month Unit = "month"
	Year  Unit = "year"
)

// MaxEvery is the largest N of a custom frequency "every N units", whatever the unit.
const MaxEvery = 365

// period is a frequency taken apart: every n units.
type period struct {
	n    int
	unit Unit
}

// named pairs each named frequency with its period. It is a constant table, never written.
var named = []struct {
	f Frequency
	p period
}{
	{FrequencyWeekly, period{1, Week}}, {FrequencyBiweekly, period{2, Week}},
	{FrequencyMonthly, period{1, Month}}, {FrequencyQuarterly, period{3, Month}},
	{FrequencyPerSixMonths, period{6, Month}}, {FrequencyAnnually, period{1, Year}},
	{FrequencyPerTwoYears, period{2, Year}}, {FrequencyPerThreeYears, period{3, Year}},
}

// Every returns the frequency "every n units" in canonical form; n runs from 1 to MaxEvery.
func Every(n int, unit Unit) (Frequency, error) {
	p, err := newPeriod(n, unit)
	if err != nil {
		return "", err
	}
	return p.frequency(), nil
}

// ParseFrequency reads a named frequency ("monthly") or a custom one ("every 10 days", also
// "every 1 day" or "Every 3 Weeks"), and returns it in canonical form.
func ParseFrequency(s string) (Frequency, error) {
	p, err := parsePeriod(s)
	if err != nil {
		return "", err
	}
	return p.frequency(), nil
}

// UnmarshalText parses text with ParseFrequency, so that a decoded frequency is canonical.
func (f *Frequency) UnmarshalText(text []byte) error {
	parsed, err := ParseFrequency(string(text))
	if err != nil {
		return err
	}
	*f = parsed
	return nil
}

// String returns f as written.
func (f Frequency) String() string { return string(f) }

// Valid reports whether f is a frequency in canonical form.
func (f Frequency) Valid() bool {
	_, err := f.period()
	return err == nil
}

// Due returns the date of cycle n of a schedule that started at anchor: Due(anchor, 0) is
// anchor, Due(anchor, 1) one period later. Months and years are counted from the anchor and
// clamped to the end of shorter months, so a subscription anchored on January 31 is due on
// February 28 (29 in a leap year), March 31, April 30: it returns to the 31st whenever the
// month has one. The time of day and location of anchor are kept.
func (f Frequency) Due(anchor time.Time, n int) (time.Time, error) {
	p, err := f.period()
	if err != nil {
		return time.Time{}, err
	}
	steps := p.n * n
	switch p.unit {
	case Day:
		return anchor.AddDate(0, 0, steps), nil
	case Week:
		return anchor.AddDate(0, 0, 7*steps), nil
	case Month:
		return addMonths(anchor, steps), nil
	}
	return addMonths(anchor, 12*steps), nil
}

// Period returns f taken apart, every n units: FrequencyQuarterly is every 3 months and
// "every 10 days" every 10 days. f must be valid and in canonical form.
func (f Frequency) Period() (n int, unit Unit, err error) {
	p, err := f.period()
	return p.n, p.unit, err
}

// Next returns t plus one period, clamped to the end of a shorter month. Repeating Next
// drifts (January 31, February 28, March 28); a schedule computes each date with Due from
// its anchor instead.
func (f Frequency) Next(t time.Time) (time.Time, error) { return f.Due(t, 1) }

// period takes f apart; f must be in canonical form.
func (f Frequency) period() (period, error) {
	p, err := parsePeriod(string(f))
	if err == nil && p.frequency() != f {
		err = fmt.Errorf("%w: %q must be written %q", ErrInvalidFrequency, string(f), p.frequency())
	}
	return p, err
}

// parsePeriod reads a named or custom frequency in any accepted spelling.
func parsePeriod(s string) (period, error) {
	fields := strings.Fields(strings.ToLower(s))
	if len(fields) == 1 {
		for _, nf := range named {
			if fields[0] == string(nf.f) {
				return nf.p, nil
			}
		}
	}
	if len(fields) != 3 || fields[0] != "every" || !digits(fields[1]) || len(fields[1]) > 3 {
		return period{}, fmt.Errorf("%w: %q is not weekly, biweekly, monthly, quarterly, per_six_months, "+
			"annually, per_two_years, per_three_years or \"every N days|weeks|months|years\"", ErrInvalidFrequency, s)
	}
	n, _ := strconv.Atoi(fields[1])
	return newPeriod(n, Unit(strings.TrimSuffix(fields[2], "s")))
}

// newPeriod checks a custom period and returns it in canonical form.
func newPeriod(n int, unit Unit) (period, error) {
	switch {
	case unit != Day && unit != Week && unit != Month && unit != Year:
		return period{}, fmt.Errorf("%w: every %d %s: %q is not day, week, month or year", ErrInvalidFrequency, n, unit, unit)
	case n < 1 || n > MaxEvery:
		return period{}, fmt.Errorf("%w: every %d %ss: the count must be from 1 to %d", ErrInvalidFrequency, n, unit, MaxEvery)
	}
	return period{n, unit}.canonical(), nil
}

// canonical rewrites p in the largest unit that divides it: 14 days are 2 weeks.
func (p period) canonical() period {
	switch {
	case p.unit == Day && p.n%7 == 0:
		return period{p.n / 7, Week}
	case p.unit == Month && p.n%12 == 0:
		return period{p.n / 12, Year}
	}
	return p
}

// frequency writes p as a Frequency: its name when it has one, otherwise "every N units".
func (p period) frequency() Frequency {
	for _, nf := range named {
		if nf.p == p {
			return nf.f
		}
	}
	if p.n == 1 {
		return Frequency(fmt.Sprintf("every 1 %s", p.unit))
	}
	return Frequency(fmt.Sprintf("every %d %ss", p.n, p.unit))
}

// addMonths adds months to t, clamping the day to the length of the month it lands in.
func addMonths(t time.Time, months int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	hh, mm, ss := t.Clock()
	return time.Date(first.Year(), first.Month(), min(d, last), hh, mm, ss, t.Nanosecond(), t.Location())
}
