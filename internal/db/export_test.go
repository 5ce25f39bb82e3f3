package db

import "context"

// MigrateList exposes migrate to the external tests, which apply hand-made migration lists.
var MigrateList = (*DB).migrate

// HoldWrites takes the write turn of a SQLite database, so a test can line callers up
// behind it; release lets them go.
func (d *DB) HoldWrites() (release func()) {
	d.group.turn.Lock()
	return d.group.turn.Unlock
}

// WaitingWrites is the number of callers lined up for the write turn.
func (d *DB) WaitingWrites() int { return int(d.group.waiting.Load()) }

// GroupCommits is the number of shared transactions committed so far.
func (d *DB) GroupCommits() int64 { return d.group.commits.Load() }

// CheckpointPass runs one pass of SQLite's checkpointer, letting the log start over once it
// holds restartFrames pages, and returns the log's length in pages.
func (d *DB) CheckpointPass(ctx context.Context, restartFrames int) (int, error) {
	return d.checkpoints.pass(ctx, restartFrames)
}

// HaltCheckpoints stops SQLite's checkpoints in the background; CheckpointPass still works.
func (d *DB) HaltCheckpoints() { d.checkpoints.halt() }
