package db

import "strings"

// SQLite's driver binds each parameter after asking SQLite for its name, and SQLite finds a
// numbered parameter's name by walking the statement's list of names: binding the n
// parameters of a statement takes time in n², and a held-back insert of 400 parameters spent
// more binding them than running. Anonymous parameters (?) have no name to look up. So a
// statement whose parameters are $1, $2, … $n, each once and in that order — every multi-row
// insert Settle writes — is prepared with ? in their place; the driver then binds them by
// position, as the same arguments.

// anonymousParameters returns query with its parameters written as ?, when they are $1 to
// $n in order, each once, outside quotes and comments; otherwise query unchanged.
func anonymousParameters(query string) string {
	if !strings.Contains(query, "$") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query))
	next := 1
	for i := 0; i < len(query); {
		switch c := query[i]; {
		case c == '\'' || c == '"':
			end := closing(query, i+1, c)
			b.WriteString(query[i:end])
			i = end
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			end := lineEnd(query, i)
			b.WriteString(query[i:end])
			i = end
		case c == '/' && strings.HasPrefix(query[i:], "/*"):
			end := commentEnd(query, i+2)
			b.WriteString(query[i:end])
			i = end
		case c == '$':
			n, end := number(query, i+1)
			if n != next {
				return query
			}
			next++
			b.WriteByte('?')
			i = end
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// closing returns the index just past the quote q that closes a quoted text starting at
// from (a doubled quote inside it stands for the quote itself), or len(s).
func closing(s string, from int, q byte) int {
	for i := from; i < len(s); i++ {
		if s[i] != q {
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			i++
			continue
		}
		return i + 1
	}
	return len(s)
}

// lineEnd returns the index of the newline ending the line at from, or len(s).
func lineEnd(s string, from int) int {
	if i := strings.IndexByte(s[from:], '\n'); i >= 0 {
		return from + i
	}
	return len(s)
}

// commentEnd returns the index just past the */ that closes a comment, or len(s).
func commentEnd(s string, from int) int {
	if i := strings.Index(s[from:], "*/"); i >= 0 {
		return from + i + 2
	}
	return len(s)
}

// number reads the decimal number at from and returns it (0 when there is none, or it is
// implausibly long) and the index just past it.
func number(s string, from int) (int, int) {
	n, i := 0, from
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if i-from >= 6 {
			return 0, i
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, i
}
