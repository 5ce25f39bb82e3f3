package clock

import (
	"sync"
	"time"
)

// locations holds the time zones loaded so far, by name.
var locations sync.Map

// LoadLocation is time.LoadLocation, remembered: the standard library reads and parses the
// zone's file on every call, and a payment asks for its account's zone on the way.
// Errors are not remembered.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}
