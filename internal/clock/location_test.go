package clock_test

import (
	"testing"
	"time"

	"github.com/settlehq/settle/internal/clock"
)

// TestLoadLocation: a zone loads as the standard library loads it, the same one each time,
// and an unknown name is an error every time.
func TestLoadLocation(t *testing.T) {
	want, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database on this machine: %v", err)
	}
	first, err := clock.LoadLocation("Europe/Paris")
	if err != nil || first.String() != want.String() {
		t.Fatalf("LoadLocation = %v, %v", first, err)
	}
	at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	if _, off := at.In(first).Zone(); off != 2*3600 {
		t.Errorf("Paris in July is UTC%+d, want +2h", off)
	}
	if again, _ := clock.LoadLocation("Europe/Paris"); again != first {
		t.Error("the second load was not the remembered zone")
	}
	for range 2 {
		if _, err := clock.LoadLocation("Mars/Olympus_Mons"); err == nil {
			t.Error("an unknown zone loaded")
		}
	}
}
