package lineitem_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/lineitem"
)

func TestParseFrequency(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want lineitem.Frequency
	}{
		{"weekly", lineitem.FrequencyWeekly},
		{"biweekly", lineitem.FrequencyBiweekly},
		{"monthly", lineitem.FrequencyMonthly},
		{"quarterly", lineitem.FrequencyQuarterly},
		{"per_six_months", lineitem.FrequencyPerSixMonths},
		{"annually", lineitem.FrequencyAnnually},
		{"per_two_years", lineitem.FrequencyPerTwoYears},
		{"per_three_years", lineitem.FrequencyPerThreeYears},
		{" Monthly ", lineitem.FrequencyMonthly},
		{"every 10 days", "every 10 days"},
		{"every 1 day", "every 1 day"},
		{"every 1 days", "every 1 day"},
		{"EVERY  3 Weeks", "every 3 weeks"},
		{"every 365 days", "every 365 days"},
		{"every 364 days", "every 52 weeks"},
		{"every 7 days", lineitem.FrequencyWeekly},
		{"every 14 days", lineitem.FrequencyBiweekly},
		{"every 1 month", lineitem.FrequencyMonthly},
		{"every 6 months", lineitem.FrequencyPerSixMonths},
		{"every 12 months", lineitem.FrequencyAnnually},
		{"every 18 months", "every 18 months"},
		{"every 36 months", lineitem.FrequencyPerThreeYears},
		{"every 2 years", lineitem.FrequencyPerTwoYears},
		{"every 4 years", "every 4 years"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := lineitem.ParseFrequency(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("ParseFrequency(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			if !got.Valid() {
				t.Fatalf("ParseFrequency(%q) = %q, which is not Valid", tc.in, got)
			}
		})
	}
}

func TestParseFrequencyRefuses(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "daily", "fortnightly", "month", "every", "every 3", "every days", "every 0 days",
		"every 366 days", "every 1000 days", "every -1 days", "every +3 days", "every 3 fortnights",
		"every 3 dayss", "every 3 days please", "every three days",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := lineitem.ParseFrequency(in)
			if !errors.Is(err, lineitem.ErrInvalidFrequency) || got != "" {
				t.Fatalf("ParseFrequency(%q) = %q, %v; want ErrInvalidFrequency", in, got, err)
			}
		})
	}
}

func TestEvery(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n    int
		unit lineitem.Unit
		want lineitem.Frequency
		ok   bool
	}{
		{2, lineitem.Week, lineitem.FrequencyBiweekly, true},
		{3, lineitem.Month, lineitem.FrequencyQuarterly, true},
		{24, lineitem.Month, lineitem.FrequencyPerTwoYears, true},
		{10, lineitem.Day, "every 10 days", true},
		{lineitem.MaxEvery, lineitem.Year, "every 365 years", true},
		{0, lineitem.Day, "", false},
		{lineitem.MaxEvery + 1, lineitem.Day, "", false},
		{1, "hour", "", false},
		{1, "", "", false},
	}
	for _, tc := range cases {
		got, err := lineitem.Every(tc.n, tc.unit)
		if got != tc.want || tc.ok != (err == nil) {
			t.Errorf("Every(%d, %q) = %q, %v; want %q, ok %v", tc.n, tc.unit, got, err, tc.want, tc.ok)
		}
	}
}

func TestFrequencyValid(t *testing.T) {
	t.Parallel()
	cases := map[lineitem.Frequency]bool{
		lineitem.FrequencyMonthly: true, "every 10 days": true, "every 1 day": true, "every 1 week": false,
		"every 1 month": false, "every 14 days": false, "Monthly": false, "": false, "every 1 days": false,
	}
	for f, want := range cases {
		if got := f.Valid(); got != want {
			t.Errorf("Frequency(%q).Valid() = %v, want %v", f, got, want)
		}
	}
}

func TestFrequencyPeriod(t *testing.T) {
	t.Parallel()
	cases := []struct {
		f    lineitem.Frequency
		n    int
		unit lineitem.Unit
	}{
		{lineitem.FrequencyWeekly, 1, lineitem.Week}, {lineitem.FrequencyBiweekly, 2, lineitem.Week},
		{lineitem.FrequencyQuarterly, 3, lineitem.Month}, {lineitem.FrequencyPerSixMonths, 6, lineitem.Month},
		{lineitem.FrequencyAnnually, 1, lineitem.Year}, {lineitem.FrequencyPerThreeYears, 3, lineitem.Year},
		{"every 10 days", 10, lineitem.Day}, {"every 1 day", 1, lineitem.Day}, {"every 18 months", 18, lineitem.Month},
	}
	for _, tc := range cases {
		n, unit, err := tc.f.Period()
		if err != nil || n != tc.n || unit != tc.unit {
			t.Errorf("Frequency(%q).Period() = %d %s, %v; want %d %s", tc.f, n, unit, err, tc.n, tc.unit)
		}
	}
	if _, _, err := lineitem.Frequency("every 14 days").Period(); !errors.Is(err, lineitem.ErrInvalidFrequency) {
		t.Errorf("a frequency not in canonical form: %v, want ErrInvalidFrequency", err)
	}
}

func TestFrequencyUnmarshalCanonicalizes(t *testing.T) {
	t.Parallel()
	var v struct{ F lineitem.Frequency }
	if err := json.Unmarshal([]byte(`{"F": "every 14 days"}`), &v); err != nil || v.F != lineitem.FrequencyBiweekly {
		t.Fatalf("decoded %q, %v; want biweekly", v.F, err)
	}
	if err := json.Unmarshal([]byte(`{"F": "fortnightly"}`), &v); !errors.Is(err, lineitem.ErrInvalidFrequency) {
		t.Fatalf("decoding fortnightly: %v, want ErrInvalidFrequency", err)
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 30, 0, 0, time.UTC) }

// checkDue fails unless cycle n of f from anchor is want[n], for every n.
func checkDue(t *testing.T, f lineitem.Frequency, anchor time.Time, want []time.Time) {
	t.Helper()
	for n, w := range want {
		got, err := f.Due(anchor, n)
		if err != nil || !got.Equal(w) {
			t.Errorf("%s.Due(%s, %d) = %s, %v; want %s", f, anchor.Format(time.DateOnly), n, got, err, w)
		}
	}
}

func TestDueClampsMonthEnds(t *testing.T) {
	t.Parallel()
	t.Run("monthly from January 31", func(t *testing.T) {
		checkDue(t, lineitem.FrequencyMonthly, date(2025, 1, 31), []time.Time{
			date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31),
			date(2025, 6, 30), date(2025, 7, 31), date(2025, 8, 31), date(2025, 9, 30), date(2025, 10, 31),
			date(2025, 11, 30), date(2025, 12, 31), date(2026, 1, 31), date(2026, 2, 28),
		})
	})
	t.Run("monthly from January 31 of a leap year", func(t *testing.T) {
		checkDue(t, lineitem.FrequencyMonthly, date(2024, 1, 31), []time.Time{
			date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31),
		})
	})
	t.Run("monthly from February 29", func(t *testing.T) {
		checkDue(t, lineitem.FrequencyMonthly, date(2024, 2, 29), []time.Time{
			date(2024, 2, 29), date(2024, 3, 29), date(2024, 4, 29), date(2024, 5, 29), date(2024, 6, 29),
			date(2024, 7, 29), date(2024, 8, 29), date(2024, 9, 29), date(2024, 10, 29), date(2024, 11, 29),
			date(2024, 12, 29), date(2025, 1, 29), date(2025, 2, 28), date(2025, 3, 29),
		})
	})
	t.Run("annually from February 29", func(t *testing.T) {
		checkDue(t, lineitem.FrequencyAnnually, date(2024, 2, 29), []time.Time{
			date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29),
		})
	})
	t.Run("quarterly from November 30", func(t *testing.T) {
		checkDue(t, lineitem.FrequencyQuarterly, date(2024, 11, 30), []time.Time{
			date(2024, 11, 30), date(2025, 2, 28), date(2025, 5, 30), date(2025, 8, 30),
		})
	})
	t.Run("every 18 months from August 31", func(t *testing.T) {
		checkDue(t, "every 18 months", date(2023, 8, 31), []time.Time{
			date(2023, 8, 31), date(2025, 2, 28), date(2026, 8, 31),
		})
	})
}

func TestDueCountsDaysAndWeeks(t *testing.T) {
	t.Parallel()
	checkDue(t, lineitem.FrequencyWeekly, date(2025, 1, 31), []time.Time{date(2025, 1, 31), date(2025, 2, 7), date(2025, 2, 14)})
	checkDue(t, lineitem.FrequencyBiweekly, date(2025, 1, 31), []time.Time{date(2025, 1, 31), date(2025, 2, 14), date(2025, 2, 28)})
	checkDue(t, "every 10 days", date(2024, 2, 25), []time.Time{date(2024, 2, 25), date(2024, 3, 6), date(2024, 3, 16)})
}

func TestDueKeepsLocalCalendar(t *testing.T) {
	t.Parallel()
	est := time.FixedZone("EST", -5*3600)
	anchor := time.Date(2025, 1, 31, 23, 0, 0, 0, est) // February 1 in UTC
	got, err := lineitem.FrequencyMonthly.Due(anchor, 1)
	if want := time.Date(2025, 2, 28, 23, 0, 0, 0, est); err != nil || !got.Equal(want) || got.Location() != est {
		t.Fatalf("Due = %s, %v; want %s", got, err, want)
	}
}

func TestNextDriftsWhereDueDoesNot(t *testing.T) {
	t.Parallel()
	f := lineitem.FrequencyMonthly
	d := date(2025, 1, 31)
	for range 2 {
		var err error
		if d, err = f.Next(d); err != nil {
			t.Fatal(err)
		}
	}
	if want := date(2025, 3, 28); !d.Equal(want) {
		t.Fatalf("Next twice from January 31 = %s, want %s", d, want)
	}
	if due, _ := f.Due(date(2025, 1, 31), 2); !due.Equal(date(2025, 3, 31)) {
		t.Fatalf("Due(January 31, 2) = %s, want March 31", due)
	}
}

func TestDueRefusesInvalidFrequency(t *testing.T) {
	t.Parallel()
	for _, f := range []lineitem.Frequency{"", "fortnightly", "every 1 month"} {
		if got, err := f.Due(date(2025, 1, 31), 1); !errors.Is(err, lineitem.ErrInvalidFrequency) || !got.IsZero() {
			t.Errorf("Frequency(%q).Due = %s, %v; want ErrInvalidFrequency", f, got, err)
		}
	}
}

func TestTermString(t *testing.T) {
	t.Parallel()
	cases := map[lineitem.Term]string{
		{}: "until cancelled", lineitem.FixedTerm(1): "1 payment", lineitem.FixedTerm(12): "12 payments",
	}
	for term, want := range cases {
		if got := term.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", term, got, want)
		}
		if term.IsUntilCancelled() != (want == "until cancelled") {
			t.Errorf("%#v.IsUntilCancelled() = %v", term, term.IsUntilCancelled())
		}
	}
}
