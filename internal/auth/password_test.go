package auth

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	hash, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, "a long enough password") {
		t.Fatalf("hash %q", hash)
	}
	cases := []struct {
		name, hash, pw string
		want           bool
	}{
		{"right password", hash, "a long enough password", true},
		{"wrong password", hash, "a long enough passwore", false},
		{"empty password", hash, "", false},
		{"not argon2id", "$2a$10$abcdefghijklmnopqrstuv", "a long enough password", false},
		{"truncated", hash[:20], "a long enough password", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckPassword(tc.hash, tc.pw); got != tc.want {
				t.Fatalf("CheckPassword = %v, want %v", got, tc.want)
			}
		})
	}
	other, _ := HashPassword("a long enough password")
	if other == hash {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}
