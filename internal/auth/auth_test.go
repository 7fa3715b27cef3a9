package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/internal/auth"
	"github.com/truce-monitor/truce/internal/vocab"
)

// cheap keeps -race runs fast; the defaults are tested once.
var cheap = auth.WithParams(auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})

func TestPasswordRoundTrip(t *testing.T) {
	hash, err := auth.HashPassword("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with the given parameters", hash)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
		{"Correct horse battery staple", false},
		{"", false},
	}
	for _, tt := range tests {
		ok, err := auth.CheckPassword(hash, tt.password)
		if err != nil {
			t.Fatal(err)
		}
		if ok != tt.want {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.password, ok, tt.want)
		}
	}
	// A fresh salt each time: the same password never hashes alike.
	again, err := auth.HashPassword("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Error("two hashes of one password are equal: no random salt")
	}
}

func TestDefaultParams(t *testing.T) {
	hash, err := auth.HashPassword("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("default hash %q, want m=65536,t=3,p=2", hash)
	}
	if ok, err := auth.CheckPassword(hash, "s3cret"); err != nil || !ok {
		t.Errorf("CheckPassword = %v, %v", ok, err)
	}
	if auth.NeedsRehash(hash) {
		t.Error("a hash under the defaults needs rehash")
	}
	if !auth.NeedsRehash(hash, cheap) {
		t.Error("a hash under other parameters does not need rehash")
	}
}

// Parameters are read from the hash, so hashes made under other settings
// still check. This one is a test vector of the reference implementation
// (phc-winner-argon2, src/test.c): "password", salt "somesalt".
func TestCheckForeignHash(t *testing.T) {
	const hash = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	ok, err := auth.CheckPassword(hash, "password")
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Error("the reference implementation's hash does not check")
	}
	if ok, _ := auth.CheckPassword(hash, "passwore"); ok {
		t.Error("a wrong password checks")
	}
}

func TestCheckPasswordBadHash(t *testing.T) {
	good, err := auth.HashPassword("x", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	tests := []struct {
		name, hash, want string
	}{
		{"empty", "", "not a PHC string"},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzabcde", "not a PHC string"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key, `algorithm "argon2i"`},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key, `version "v=16"`},
		{"missing parameter", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key, "lack one of"},
		{"repeated parameter", "$argon2id$v=19$m=64,m=64,t=1$" + salt + "$" + key, "bad parameter"},
		{"unknown parameter", "$argon2id$v=19$m=64,t=1,x=1$" + salt + "$" + key, `unknown parameter "x"`},
		{"huge memory", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + key, "memory 4194304 KiB out of range"},
		{"zero time", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key, "time 0 out of range"},
		{"threads overflow", "$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key, "parameter p"},
		{"bad salt", "$argon2id$v=19$m=64,t=1,p=1$!!$" + key, "salt"},
		{"short key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA", "key length 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := auth.CheckPassword(tt.hash, "x")
			if err == nil || ok {
				t.Fatalf("CheckPassword = %v, %v; want an error", ok, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestHashPasswordRefuses(t *testing.T) {
	if _, err := auth.HashPassword("", cheap); err == nil {
		t.Error("hashed an empty password")
	}
	bad := auth.WithParams(auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32})
	if _, err := auth.HashPassword("x", bad); err == nil {
		t.Error("hashed with a 4-byte salt")
	}
}

func TestTokens(t *testing.T) {
	a, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two tokens are equal")
	}
	if !strings.HasPrefix(a, "truce_") || len(a) != len("truce_")+64 {
		t.Errorf("token %q is not truce_ and 64 hex digits", a)
	}
	if !auth.LooksLikeToken(a) {
		t.Errorf("LooksLikeToken(%q) = false", a)
	}
	for _, s := range []string{"", "truce_", a[:len(a)-1], strings.ToUpper(a[:6]) + a[6:], "truce_" + strings.Repeat("g", 64)} {
		if auth.LooksLikeToken(s) {
			t.Errorf("LooksLikeToken(%q) = true", s)
		}
	}
	// echo -n truce_ | sha256sum
	if got := auth.HashToken("truce_"); got != "0289c417ff0f783aaad665eaebd305e35117701125887a88f42b6ade4db60657" {
		t.Errorf("HashToken = %s", got)
	}
	if auth.HashToken(a) == auth.HashToken(b) || len(auth.HashToken(a)) != 64 {
		t.Error("token hashes are not distinct hex SHA-256")
	}
}

func TestAllow(t *testing.T) {
	// The permission matrix of the issue, row by row.
	want := map[vocab.Role][]auth.Action{
		vocab.RoleAdmin:   auth.Actions(),
		vocab.RoleMonitor: {auth.Review, auth.AddEvidence, auth.EditIncidents, auth.ReadUnpublished},
		vocab.RoleAnalyst: {auth.Import, auth.AddEvidence, auth.EditIncidents, auth.ReadUnpublished},
		vocab.RoleViewer:  nil,
		"superuser":       nil, // unknown roles may do nothing
	}
	for role, allowed := range want {
		u := auth.User{Name: "u", Role: role}
		for _, a := range auth.Actions() {
			err := auth.Allow(u, a)
			permitted := false
			for _, x := range allowed {
				permitted = permitted || x == a
			}
			switch {
			case permitted && err != nil:
				t.Errorf("%s may not %s: %v", role, a, err)
			case !permitted && err == nil:
				t.Errorf("%s may %s", role, a)
			case !permitted && !errors.Is(err, auth.ErrDenied):
				t.Errorf("%s, %s: error %q does not wrap ErrDenied", role, a, err)
			}
		}
	}

	err := auth.Allow(auth.User{Name: "val", Role: vocab.RoleViewer}, auth.ManageUsers)
	if want := `permission denied: viewer "val" may not manage users (roles that may: admin)`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	// A disabled admin may do nothing, and is told why.
	err = auth.Allow(auth.User{Name: "root", Role: vocab.RoleAdmin, Disabled: true}, auth.Review)
	if !errors.Is(err, auth.ErrDenied) || !strings.Contains(err.Error(), `user "root" is disabled`) {
		t.Errorf("disabled admin: %v", err)
	}
}
