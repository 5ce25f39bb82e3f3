package crm

import (
	"testing"
	"time"
)

func TestNumbers(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		out  string
		bad  bool
	}{
		{in: "49.99", want: 49_990_000, out: "49.99"},
		{in: "-0.5", want: -500_000, out: "-0.5"},
		{in: "1000", want: 1_000_000_000, out: "1000"},
		{in: "007.100", want: 7_100_000, out: "7.1"},
		{in: "0.000001", want: 1, out: "0.000001"},
		{in: ".5", want: 500_000, out: "0.5"},
		{in: "9223372036854", want: 9_223_372_036_854_000_000, out: "9223372036854"},
		{in: "0.0000001", bad: true},
		{in: "1e3", bad: true},
		{in: "abc", bad: true},
		{in: "", bad: true},
		{in: "-", bad: true},
		{in: "1.2.3", bad: true},
		{in: "99999999999999999", bad: true},
		{in: "9223372036855", bad: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			n, err := ParseNumber(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("ParseNumber(%q) = %d, want an error", tc.in, n)
				}
				return
			}
			if err != nil || n != tc.want || FormatNumber(n) != tc.out {
				t.Fatalf("ParseNumber(%q) = %d, %v (formats %q); want %d, %q", tc.in, n, err, FormatNumber(n), tc.want, tc.out)
			}
		})
	}
}

func TestDatetimes(t *testing.T) {
	want := time.Date(2024, 3, 27, 18, 4, 11, 823_000_000, time.UTC)
	for _, in := range []string{"2024-03-27T18:04:11.823Z", "2024-03-27T19:04:11.823+01:00", "1711562651823", "2024-03-27T18:04:11.823456Z"} {
		got, err := ParseDatetime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDatetime(%q) = %v, %v", in, got, err)
		}
	}
	if got := FormatDatetime(want); got != "2024-03-27T18:04:11.823Z" {
		t.Errorf("FormatDatetime = %q", got)
	}
	if d, err := parseDate("2024-03-27"); err != nil || d != "2024-03-27" {
		t.Errorf("parseDate = %q, %v", d, err)
	}
	for _, bad := range []string{"yesterday", "2024-13-01", "27/03/2024"} {
		if _, err := ParseDatetime(bad); err == nil {
			t.Errorf("ParseDatetime(%q) accepted", bad)
		}
	}
}
