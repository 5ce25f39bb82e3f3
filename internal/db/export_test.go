package db

import (
	"context"
	"time"
)

// MigrateList exposes migrate to the external tests, which apply hand-made migration lists.
var MigrateList = (*DB).migrate

// HoldWrites takes the write turn of every group (SQLite's one, PostgreSQL's lanes), so a
// test can line callers up behind them; release lets them go.
func (d *DB) HoldWrites() (release func()) {
	releases := make([]func(), len(d.groups))
	for i, g := range d.groups {
		releases[i] = g.hold()
	}
	return func() {
		for _, release := range releases {
			release()
		}
	}
}

// hold takes g's turn without writing, waiting for it, and returns what gives it back.
func (g *group) hold() (release func()) {
	if g.conns != nil {
		g.turn <- struct{}{}
		return g.unlock
	}
	g.acquire(&pending{done: make(chan struct{})})
	return g.handOn
}

// WaitingWrites is the number of callers lined up for a write turn.
func (d *DB) WaitingWrites() int {
	n := 0
	for _, g := range d.groups {
		n += int(g.waiting.Load())
	}
	return n
}

// GroupCommits is the number of shared transactions committed so far.
func (d *DB) GroupCommits() int64 {
	var n int64
	for _, g := range d.groups {
		n += g.commits.Load()
	}
	return n
}

// Lanes is the number of groups write transactions are shared out to.
func (d *DB) Lanes() int { return len(d.groups) }

// CheckpointPass runs one pass of SQLite's checkpointer, letting the log start over once it
// holds restartFrames pages, and returns the log's length in pages.
func (d *DB) CheckpointPass(ctx context.Context, restartFrames int) (int, error) {
	return d.checkpoints.pass(ctx, restartFrames)
}

// HaltCheckpoints stops SQLite's checkpoints in the background; CheckpointPass still works.
func (d *DB) HaltCheckpoints() { d.checkpoints.halt() }

// SetLinger sets how long an SQLite transaction stays open for one more caller.
func (d *DB) SetLinger(t time.Duration) {
	for _, g := range d.groups {
		g.lingerFor = t
	}
}
