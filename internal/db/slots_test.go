package db

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSlotsWaitInLineThenOverflow: with every slot taken, a take waits — it ends with its
// context when that ends first — and gets a slot the moment one is given back; one that
// waits slotWait goes on without a slot rather than wait for ever.
func TestSlotsWaitInLineThenOverflow(t *testing.T) {
	s := newSlots(2)
	ctx := context.Background()
	release1, err1 := s.take(ctx)
	release2, err2 := s.take(ctx)
	if err1 != nil || err2 != nil {
		t.Fatalf("taking free slots: %v, %v", err1, err2)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := s.take(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a take with every slot taken: %v, want it to wait until its context ends", err)
	}
	got := make(chan error, 1)
	go func() {
		release, err := s.take(ctx)
		if err == nil {
			release()
		}
		got <- err
	}()
	release1()
	if err := <-got; err != nil {
		t.Fatalf("a take after a slot was given back: %v", err)
	}
	if len(s) != 1 {
		t.Fatalf("%d slots taken, want 1 (the other was given back)", len(s))
	}
	s <- struct{}{} // every slot taken again
	started := time.Now()
	release, err := s.take(ctx)
	if err != nil {
		t.Fatalf("a take that waited for nothing to come back: %v", err)
	}
	release()
	release2()
	if waited := time.Since(started); waited < slotWait {
		t.Fatalf("went on without a slot after %v, before slotWait (%v)", waited, slotWait)
	}
	if len(s) != 1 {
		t.Fatalf("%d slots taken after an overflow's release and one give-back, want 1", len(s))
	}
}
