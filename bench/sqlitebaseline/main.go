// Command sqlitebaseline measures how many durable single-row inserts per second SQLite
// sustains on this machine with Settle's own connection settings: it opens a fresh database
// file through db.Open (WAL, synchronous=FULL, BEGIN IMMEDIATE, one write connection) and
// has several goroutines insert one row per transaction for a fixed time. Each transaction is
// a plain BEGIN, INSERT, COMMIT on the write pool, without the group commit that db.InTx
// adds, so the figure is the raw rate that bench/sqlite.sh compares `settle bench` with.
//
//	go run ./bench/sqlitebaseline [-clients 32] [-duration 30s] [-file path/to/new.db]
//
// It prints one JSON object: {"inserts_per_second": X, "inserts": N, "seconds": S}.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/settlehq/settle/internal/db"
)

const createTable = `CREATE TABLE rows (
	id INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL,
	amount INTEGER NOT NULL,
	email TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
)`

const insertRow = `INSERT INTO rows (account_id, amount, email, created_at) VALUES (?, ?, ?, ?)`

// result is what the command prints.
type result struct {
	InsertsPerSecond float64 `json:"inserts_per_second"`
	Inserts          int64   `json:"inserts"`
	Seconds          float64 `json:"seconds"`
}

func main() {
	clients := flag.Int("clients", 32, "goroutines inserting at the same time")
	duration := flag.Duration("duration", 30*time.Second, "how long to insert")
	file := flag.String("file", "", "SQLite file to create; it must not exist (default: a file in a new temporary directory, removed at the end)")
	flag.Parse()
	if *clients < 1 || *duration <= 0 {
		fmt.Fprintln(os.Stderr, "sqlitebaseline: -clients must be at least 1 and -duration positive")
		os.Exit(2)
	}
	res, err := run(context.Background(), *file, *clients, *duration)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlitebaseline:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, "sqlitebaseline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, file string, clients int, duration time.Duration) (res result, err error) {
	if file == "" {
		dir, err := os.MkdirTemp("", "settle-sqlitebaseline-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(dir)
		file = filepath.Join(dir, "baseline.db")
	}
	file, err = filepath.Abs(file)
	if err != nil {
		return res, err
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		return res, fmt.Errorf("%s already exists; the baseline needs a fresh file", file)
	}
	d, err := db.Open(ctx, "sqlite://"+file)
	if err != nil {
		return res, err
	}
	defer func() { err = errors.Join(err, d.Close()) }()
	if _, err := d.Write.ExecContext(ctx, createTable); err != nil {
		return res, fmt.Errorf("create table: %w", err)
	}

	var (
		inserts  atomic.Int64
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
		failed   atomic.Bool
	)
	start := time.Now()
	deadline := start.Add(duration)
	for c := range clients {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline) && !failed.Load(); n++ {
				if err := insertOne(ctx, d, c, n); err != nil {
					errOnce.Do(func() { firstErr = err })
					failed.Store(true)
					return
				}
				inserts.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	if firstErr != nil {
		return res, firstErr
	}
	n := inserts.Load()
	return result{InsertsPerSecond: float64(n) / elapsed, Inserts: n, Seconds: elapsed}, nil
}

// insertOne writes one row in a transaction of its own and commits it.
func insertOne(ctx context.Context, d *db.DB, client, n int) error {
	tx, err := d.Write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	_, err = tx.ExecContext(ctx, insertRow, client+1, 100+n%10000,
		fmt.Sprintf("buyer%d.%d@example.com", client, n), time.Now().UTC())
	if err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
