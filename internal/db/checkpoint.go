package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/settlehq/settle/internal/problem"
)

// SQLite writes every commit to the write-ahead log, and a checkpoint copies the log's pages
// back into the database file. SQLite's own checkpoint runs inside the commit that takes
// the log past 1,000 pages, so every caller of that shared commit waited for it: with card
// payments it came every few commits. Settle turns it off on the write connection
// (wal_autocheckpoint(0)) and checkpoints from a connection of its own instead, beside the
// writer:
//   - every checkpointEvery, a passive checkpoint copies what no reader still needs,
//     without waiting for anyone; a page written many times since the last one is copied
//     once;
//   - the log only starts over from its beginning when a write begins after everything in
//     it was copied, which a steady stream of writes never allows. So once the log holds
//     walRestartFrames pages, the checkpointer copies what is left on the write connection
//     itself (the pool holds one), which no write can use meanwhile: the next write then
//     starts the log over, unless a reader still reads older pages (SQLite's own
//     checkpoint has the same limit). Writers wait for that copy alone, of the pages
//     written since the checkpoint before it.

const (
	// checkpointEvery is how often the log is copied back without waiting for anyone.
	checkpointEvery = 100 * time.Millisecond
	// walRestartFrames is the log length, in pages, past which the checkpointer stops the
	// writers for a moment to let the log start over: 16 MiB with 4 KiB pages. A log that
	// grows instead of starting over makes every commit's sync also write the file's new
	// length: one-row commits ran at 3,000-4,100/s instead of 6,000/s.
	walRestartFrames = 4096
)

// checkpointer copies a SQLite database's write-ahead log into its file in the background.
type checkpointer struct {
	conn  *sql.DB // one connection of its own
	write *sql.DB // the write pool, of one connection
	stop  chan struct{}
	done  chan struct{}
	// halting closes stop once.
	halting sync.Once
}

// startCheckpointer starts checkpointing through conn every checkpointEvery; write is the
// write pool, whose one connection lets the log start over.
func startCheckpointer(conn, write *sql.DB) *checkpointer {
	c := &checkpointer{conn: conn, write: write, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			if _, err := c.pass(context.Background(), walRestartFrames); err != nil {
				slog.Warn("checkpoint of the SQLite write-ahead log failed; the next one tries again", "err", err)
			}
		}
	}
}

// pass copies the log back without waiting, and lets it start over once it holds
// restartFrames pages. It returns the log's length in pages as the last checkpoint found it.
func (c *checkpointer) pass(ctx context.Context, restartFrames int) (int, error) {
	logged, err := c.checkpoint(ctx, c.conn)
	if err != nil || logged < restartFrames {
		return logged, err
	}
	return c.checkpoint(ctx, c.write)
}

// checkpoint copies, through a connection of pool on, what no reader still needs, waiting
// for nobody, and returns the log's length in pages. Another process's checkpoint running
// at the same time is no error: this one is skipped.
func (c *checkpointer) checkpoint(ctx context.Context, on *sql.DB) (int, error) {
	var busy, logged, copied int
	err := on.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logged, &copied)
	if err != nil && !errors.Is(MapError(err), problem.ErrUnavailable) {
		return 0, fmt.Errorf("checkpoint: %w", err)
	}
	return logged, nil
}

// halt stops the checkpoints every checkpointEvery and waits for a running one to end.
func (c *checkpointer) halt() {
	c.halting.Do(func() { close(c.stop) })
	<-c.done
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	c.halt()
	return c.conn.Close()
}
