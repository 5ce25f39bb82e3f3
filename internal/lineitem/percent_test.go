package lineitem_test

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"github.com/settlehq/settle/internal/lineitem"
)

func TestParsePercent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want lineitem.Percent
		ok   bool
	}{
		{"8.875", 88_750, true},
		{"20", 200_000, true},
		{"20.", 200_000, true},
		{"0", 0, true},
		{"0.0001", 1, true},
		{"0.005", 50, true},
		{"100", lineitem.MaxPercent, true},
		{"100.0000", lineitem.MaxPercent, true},
		{"100.0001", 0, false},
		{"101", 0, false},
		{"1000", 0, false},
		{"8.87501", 0, false},
		{"", 0, false},
		{".5", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1e2", 0, false},
		{"8,875", 0, false},
		{" 8", 0, false},
		{"8.8.8", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := lineitem.ParsePercent(tc.in)
			if tc.ok != (err == nil) || got != tc.want {
				t.Fatalf("ParsePercent(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
			}
			if err != nil && !errors.Is(err, lineitem.ErrMalformedPercent) {
				t.Fatalf("ParsePercent(%q) error %v is not ErrMalformedPercent", tc.in, err)
			}
		})
	}
}

func TestPercentString(t *testing.T) {
	t.Parallel()
	cases := map[lineitem.Percent]string{
		88_750: "8.875", 200_000: "20", 0: "0", 1: "0.0001", 50: "0.005",
		lineitem.MaxPercent: "100", 1_000_001: "100.0001", -15_000: "-1.5",
	}
	for p, want := range cases {
		if got := p.String(); got != want {
			t.Errorf("Percent(%d).String() = %q, want %q", int64(p), got, want)
		}
	}
}

func TestPercentRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := lineitem.Percent(rapid.Int64Range(0, int64(lineitem.MaxPercent)).Draw(t, "p"))
		back, err := lineitem.ParsePercent(p.String())
		if err != nil || back != p {
			t.Fatalf("ParsePercent(%q) = %d, %v; want %d", p.String(), back, err, int64(p))
		}
	})
}
