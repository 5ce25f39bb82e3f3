package db

import "testing"

func TestAnonymousParameters(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"in order":           {"INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)", "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"},
		"none":               {"SELECT 1", "SELECT 1"},
		"reused":             {"SELECT id FROM t WHERE a = $1 OR b = $1", "SELECT id FROM t WHERE a = $1 OR b = $1"},
		"out of order":       {"UPDATE t SET a = $2 WHERE id = $1", "UPDATE t SET a = $2 WHERE id = $1"},
		"gap":                {"SELECT $1, $3", "SELECT $1, $3"},
		"from two":           {"SELECT $2", "SELECT $2"},
		"ten and more":       {"VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)", "VALUES (?,?,?,?,?,?,?,?,?,?,?)"},
		"in a string":        {"SELECT '$1 a''$2', $1", "SELECT '$1 a''$2', ?"},
		"in an identifier":   {`SELECT "a$1" FROM t WHERE x = $1`, `SELECT "a$1" FROM t WHERE x = ?`},
		"in a line comment":  {"SELECT $1 -- then $3\n, $2", "SELECT ? -- then $3\n, ?"},
		"in a block comment": {"SELECT /* $9 */ $1", "SELECT /* $9 */ ?"},
		"bare dollar":        {"SELECT $ FROM t", "SELECT $ FROM t"},
		"unclosed string":    {"SELECT $1, 'x", "SELECT ?, 'x"},
	}
	for name, tc := range cases {
		if got := anonymousParameters(tc.in); got != tc.want {
			t.Errorf("%s: anonymousParameters(%q) = %q, want %q", name, tc.in, got, tc.want)
		}
	}
}
