package db

import (
	"fmt"
	"testing"
)

// TestMergeLater: the queues of writers sharing a commit become one insert per head when
// their orders agree, and a writer whose row would otherwise be written before a statement
// it queued earlier starts a new insert.
func TestMergeLater(t *testing.T) {
	queue := func(steps ...string) *laterQueue {
		q := &laterQueue{inserts: map[string]*laterEntry{}}
		for i, s := range steps {
			if s == "exec" {
				q.entries = append(q.entries, &laterEntry{query: "UPDATE x SET n = $1", args: []any{i}})
				continue
			}
			e := &laterEntry{query: "INSERT INTO " + s + " (n)", width: 1, args: []any{i}}
			q.inserts[e.query], q.entries = e, append(q.entries, e)
		}
		return q
	}
	describe := func(q *laterQueue) string {
		var out []string
		for _, s := range q.statements() {
			out = append(out, fmt.Sprintf("%s %v", s.query, s.args))
		}
		return fmt.Sprint(out)
	}
	for _, tc := range []struct {
		name   string
		queues []*laterQueue
		want   string
	}{
		{"one writer", []*laterQueue{queue("a", "b")}, "[INSERT INTO a (n) VALUES ($1) [0] INSERT INTO b (n) VALUES ($1) [1]]"},
		{"same order", []*laterQueue{queue("a", "b"), queue("a", "b"), queue("b")},
			"[INSERT INTO a (n) VALUES ($1), ($2) [0 0] INSERT INTO b (n) VALUES ($1), ($2), ($3) [1 1 0]]"},
		{"a statement before the row", []*laterQueue{queue("a", "b"), queue("exec", "b"), queue("a", "b")},
			"[INSERT INTO a (n) VALUES ($1), ($2) [0 0] INSERT INTO b (n) VALUES ($1) [1] UPDATE x SET n = $1 [0] INSERT INTO b (n) VALUES ($1), ($2) [1 1]]"},
		{"opposite orders", []*laterQueue{queue("a", "b"), queue("b", "a")},
			"[INSERT INTO a (n) VALUES ($1) [0] INSERT INTO b (n) VALUES ($1), ($2) [1 0] INSERT INTO a (n) VALUES ($1) [1]]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := describe(mergeLater(tc.queues)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
