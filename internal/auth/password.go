package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters. They are written into every
// hash (PHC string format), so changing the defaults leaves existing
// hashes checkable; NeedsRehash tells which ones to upgrade.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams is RFC 9106's second recommended option (64 MiB, 3
// passes) with 2 lanes instead of 4: memory is what makes guessing costly
// on GPUs, and 64 MiB × 3 passes is about 0.1-0.2 s on one server core,
// acceptable for the rare password checks truce makes (everyday commands
// authenticate with API tokens). Lanes add parallelism, not cost to an
// attacker, and the small servers truce runs on have few cores. The salt
// (16 bytes) and key (32 bytes) lengths are the RFC's.
func DefaultParams() Params {
	return Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}
}

// Bounds on parameters read back from a stored hash, so that a corrupt or
// hostile row cannot make a check allocate gigabytes or spin for minutes.
const (
	maxMemory = 1 << 20 // KiB: 1 GiB
	maxTime   = 64
	minSalt   = 8
	maxSalt   = 64
	minKey    = 16
	maxKey    = 64
)

// Option changes how HashPassword hashes.
type Option func(*Params)

// WithParams hashes with p instead of DefaultParams; tests use cheap ones.
func WithParams(p Params) Option { return func(dst *Params) { *dst = p } }

func params(opts []Option) Params {
	p := DefaultParams()
	for _, o := range opts {
		o(&p)
	}
	return p
}

func (p Params) check() error {
	switch {
	case p.Threads < 1:
		return errors.New("threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("memory %d KiB out of range [%d, %d]", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("time %d out of range [1, %d]", p.Time, maxTime)
	case p.SaltLen < minSalt || p.SaltLen > maxSalt:
		return fmt.Errorf("salt length %d out of range [%d, %d]", p.SaltLen, minSalt, maxSalt)
	case p.KeyLen < minKey || p.KeyLen > maxKey:
		return fmt.Errorf("key length %d out of range [%d, %d]", p.KeyLen, minKey, maxKey)
	}
	return nil
}

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// HashPassword returns a PHC string of password under argon2id:
// $argon2id$v=19$m=MEMORY,t=TIME,p=THREADS$SALT$HASH.
func HashPassword(password string, opts ...Option) (string, error) {
	if password == "" {
		return "", errors.New("hash password: the password is empty")
	}
	p := params(opts)
	if err := p.check(); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC string hash. It
// errs only if hash is not an argon2id PHC string it can check.
func CheckPassword(hash, password string) (bool, error) {
	p, salt, key, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	// Constant time, so the time taken says nothing of how much matched.
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than
// HashPassword would use now (or cannot be read): the caller, holding the
// password after a successful check, may store a fresh hash.
func NeedsRehash(hash string, opts ...Option) bool {
	p, _, _, err := parseHash(hash)
	return err != nil || p != params(opts)
}

// parseHash reads a PHC string back into its parameters, salt and key.
func parseHash(hash string) (Params, []byte, []byte, error) {
	fail := func(format string, args ...any) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("password hash: "+format, args...)
	}
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("not a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)")
	}
	if parts[1] != "argon2id" {
		return fail("algorithm %q, want argon2id", parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail("version %q, want v=%d", parts[2], argon2.Version)
	}
	var p Params
	seen := map[string]bool{}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			return fail("bad parameter %q", kv)
		}
		seen[k] = true
		bits := 32
		if k == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(v, 10, bits)
		if err != nil {
			return fail("parameter %s: %v", k, err)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			p.Threads = uint8(n)
		default:
			return fail("unknown parameter %q", k)
		}
	}
	if len(seen) != 3 {
		return fail("parameters %q lack one of m, t, p", parts[3])
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fail("salt: %v", err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return fail("hash: %v", err)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return fail("%v", err)
	}
	return p, salt, key, nil
}
