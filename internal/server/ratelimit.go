package server

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Failed authentications are limited per client address: a client that
// fails the limit's times (DefaultAuthFailures unless configured) within
// failureWindow is answered 429 until the window ends, so tokens cannot be
// guessed at the server's speed.
const (
	DefaultAuthFailures = 20
	failureWindow       = time.Minute
	maxTrackedAddr      = 10000 // bounds the limiter's memory under a flood of addresses
)

// failureLimiter counts failures per address in fixed windows.
type failureLimiter struct {
	max  int // failures allowed per window; < 0: no limit
	mu   sync.Mutex
	seen map[string]*failures
}

type failures struct {
	since time.Time
	n     int
}

func newFailureLimiter(max int) *failureLimiter {
	return &failureLimiter{max: max, seen: map[string]*failures{}}
}

func (l *failureLimiter) fail(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.seen[addr]
	if f == nil || now.Sub(f.since) >= failureWindow {
		if len(l.seen) >= maxTrackedAddr {
			l.prune(now)
		}
		f = &failures{since: now}
		l.seen[addr] = f
	}
	f.n++
}

func (l *failureLimiter) blocked(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.seen[addr]
	return l.max >= 0 && f != nil && f.n >= l.max && now.Sub(f.since) < failureWindow
}

// prune drops expired windows; if none has expired, the oldest half goes,
// so a flood of addresses cannot grow the map without bound.
func (l *failureLimiter) prune(now time.Time) {
	for a, f := range l.seen {
		if now.Sub(f.since) >= failureWindow {
			delete(l.seen, a)
		}
	}
	if len(l.seen) < maxTrackedAddr {
		return
	}
	n := 0
	for a := range l.seen {
		if n >= maxTrackedAddr/2 {
			break
		}
		delete(l.seen, a)
		n++
	}
}

// clientIP is the request's peer address without its port. Proxies'
// forwarding headers are not trusted: they are the client's to write.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
