package clock_test

import (
	"errors"
	"testing"
	"time"

	"github.com/settlehq/settle/internal/clock"
	"github.com/settlehq/settle/internal/problem"
)

func TestParseAdvance(t *testing.T) {
	cases := []struct {
		name, to, by string
		wantBy       time.Duration
		wantTo       string
		code         string
	}{
		{name: "hours", by: "72h", wantBy: 72 * time.Hour},
		{name: "days", by: "3d", wantBy: 72 * time.Hour},
		{name: "minutes", by: "90m", wantBy: 90 * time.Minute},
		{name: "time", to: "2026-12-29T09:00:00+01:00", wantTo: "2026-12-29T08:00:00Z"},
		{name: "negative", by: "-1h", code: "INVALID_DURATION"},
		{name: "zero", by: "0s", code: "INVALID_DURATION"},
		{name: "words", by: "a while", code: "INVALID_DURATION"},
		{name: "bad time", to: "tomorrow", code: "INVALID_FORMAT"},
		{name: "both", to: "2026-12-29T09:00:00Z", by: "1h", code: "ONE_OF"},
		{name: "neither", code: "REQUIRED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			adv, err := clock.ParseAdvance(tc.to, tc.by)
			var inv *problem.InvalidError
			switch {
			case tc.code != "":
				if !errors.As(err, &inv) || inv.Fields[0].Code != tc.code {
					t.Fatalf("ParseAdvance(%q, %q) = %v, want %s", tc.to, tc.by, err, tc.code)
				}
			case err != nil:
				t.Fatal(err)
			case tc.wantTo != "" && (adv.To == nil || adv.To.Format(time.RFC3339) != tc.wantTo):
				t.Fatalf("to = %v, want %s", adv.To, tc.wantTo)
			case adv.By != tc.wantBy:
				t.Fatalf("by = %s, want %s", adv.By, tc.wantBy)
			}
		})
	}
}
