package calendar_test

import (
	"testing"
	"time"

	"github.com/settlehq/settle/internal/calendar"
)

func day(s string) time.Time {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAddBusinessDays(t *testing.T) {
	cases := []struct {
		name    string
		rail    calendar.Rail
		country string
		from    string
		days    int
		want    string
	}{
		{"card over US Christmas", calendar.Card, "US", "2026-12-24", 2, "2026-12-29"},
		{"card on a plain week", calendar.Card, "US", "2026-03-02", 2, "2026-03-04"},
		{"card over a weekend", calendar.Card, "US", "2026-03-05", 2, "2026-03-09"},
		{"card over Thanksgiving", calendar.Card, "US", "2026-11-25", 2, "2026-11-30"},
		{"card over Independence Day observed", calendar.Card, "US", "2026-07-02", 1, "2026-07-06"},
		{"card in Canada over Boxing Day observed", calendar.Card, "CA", "2026-12-24", 2, "2026-12-30"},
		{"card in the UK over Boxing Day observed", calendar.Card, "GB", "2026-12-24", 2, "2026-12-30"},
		{"ACH over New Year", calendar.ACH, "GB", "2026-12-30", 4, "2027-01-06"},
		{"ACH over Juneteenth", calendar.ACH, "US", "2026-06-18", 1, "2026-06-22"},
		{"BACS over Easter", calendar.BACS, "US", "2026-04-02", 5, "2026-04-13"},
		{"BACS over the late May bank holiday", calendar.BACS, "US", "2026-05-22", 5, "2026-06-01"},
		{"PAD over Canada Day", calendar.PAD, "US", "2026-06-30", 5, "2026-07-08"},
		{"PAD over Canadian Thanksgiving", calendar.PAD, "US", "2026-10-09", 5, "2026-10-19"},
		{"SEPA over Easter on TARGET", calendar.SEPA, "US", "2026-04-01", 14, "2026-04-23"},
		{"SEPA over Labour Day on TARGET", calendar.SEPA, "US", "2026-04-30", 1, "2026-05-04"},
		{"SEPA ignores US holidays", calendar.SEPA, "US", "2026-11-25", 2, "2026-11-27"},
		{"zero days", calendar.Card, "US", "2026-12-26", 0, "2026-12-26"},
		{"from a Saturday", calendar.Card, "US", "2026-03-07", 1, "2026-03-09"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := calendar.ForRail(tc.rail, tc.country)
			if err != nil {
				t.Fatal(err)
			}
			got := c.AddBusinessDays(day(tc.from), tc.days)
			if got.Format(time.DateOnly) != tc.want {
				t.Fatalf("%s + %d business days on %s = %s (%s), want %s", tc.from, tc.days, c.Name(),
					got.Format(time.DateOnly), got.Weekday(), tc.want)
			}
		})
	}
}

func TestIsBusinessDay(t *testing.T) {
	cases := []struct {
		name, country, date string
		want                bool
	}{
		{"Christmas", "US", "2026-12-25", false},
		{"a Saturday", "US", "2026-12-26", false},
		{"the Monday after", "US", "2026-12-28", true},
		{"Boxing Day observed in the UK", "GB", "2026-12-28", false},
		{"Victoria Day", "CA", "2026-05-18", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := calendar.Country(tc.country)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.IsBusinessDay(day(tc.date)); got != tc.want {
				t.Fatalf("%s on %s: %v, want %v", tc.date, tc.country, got, tc.want)
			}
		})
	}
}

func TestUnknownCalendars(t *testing.T) {
	if _, err := calendar.Country("FR"); err == nil {
		t.Error("FR has a card calendar; the built-in processor serves only US, GB and CA")
	}
	if _, err := calendar.ForRail("swift", "US"); err == nil {
		t.Error("an unknown rail has a calendar")
	}
}
