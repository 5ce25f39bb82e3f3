// Package calendar knows which days banks work on each payment rail: cards and ACH clear on
// the US calendar, BACS on the UK's, PAD on Canada's and SEPA on the ECB's TARGET calendar.
// Processing delays are counted in these business days (SPEC F18).
package calendar

import (
	"fmt"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ecb"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/us"
)

// Rail is a payment network whose settlement follows a bank calendar.
type Rail string

// The rails Settle knows.
const (
	Card Rail = "card"
	ACH  Rail = "ach"
	BACS Rail = "bacs"
	PAD  Rail = "pad"
	SEPA Rail = "sepa"
)

// Calendar tells business days apart from weekends and bank holidays.
type Calendar struct {
	name string
	bc   *cal.BusinessCalendar
}

// Name says which calendar this is: "US", "GB", "CA" or "TARGET".
func (c Calendar) Name() string { return c.name }

func newCalendar(name string, holidays []*cal.Holiday) Calendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(holidays...)
	return Calendar{name: name, bc: bc}
}

// Country returns the bank calendar of a country Settle processes cards in: US, GB or CA.
func Country(code string) (Calendar, error) {
	switch code {
	case "US":
		return newCalendar("US", us.Holidays), nil
	case "GB":
		return newCalendar("GB", gb.Holidays), nil
	case "CA":
		return newCalendar("CA", ca.Holidays), nil
	}
	return Calendar{}, fmt.Errorf("no bank calendar for country %q", code)
}

// ForRail returns the calendar a rail settles on. Cards settle on the calendar of the
// merchant's country; the bank debits on their own network's.
func ForRail(r Rail, country string) (Calendar, error) {
	switch r {
	case Card:
		return Country(country)
	case ACH:
		return Country("US")
	case BACS:
		return Country("GB")
	case PAD:
		return Country("CA")
	case SEPA:
		return newCalendar("TARGET", ecb.Holidays), nil
	}
	return Calendar{}, fmt.Errorf("unknown payment rail %q", r)
}

// IsBusinessDay reports whether banks work on the date of day.
func (c Calendar) IsBusinessDay(day time.Time) bool {
	return c.bc.IsWorkday(Date(day))
}

// AddBusinessDays returns the date n business days after the date of day (n ≥ 0); the
// day itself does not count. Zero returns day's own date, whatever it is.
func (c Calendar) AddBusinessDays(day time.Time, n int) time.Time {
	return c.bc.WorkdaysFrom(Date(day), n)
}

// Date returns t's calendar date (in t's location) as midnight UTC, the form in which
// Settle passes dates around and stores them.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a date written as 2006-01-02.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(time.DateOnly, s)
}
