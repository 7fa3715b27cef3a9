// Package app holds truce's use cases: what a monitoring team does with the
// store (import agreements and evidence, evaluate, build incidents, review,
// manage users, audit), each a method on App. The command line and the HTTP
// server are adapters over it: they turn flags or requests into one call and
// render what it returns. Nothing here prints, parses flags or speaks HTTP.
package app

import (
	"context"
	"time"

	"github.com/truce-monitor/truce/internal/store"
)

// App runs use cases on one store for one caller. It is cheap to copy:
// a server makes one per request with As.
type App struct {
	st store.Store
	// replica, if set, answers the reads of Reading's Apps.
	replica store.Store
	now     func() time.Time
	token   string
	// session, if set, is the caller's dashboard session token (InSession).
	session string
	// pinned, if set, is who the App acts for, known without a token: the
	// submitter of a job it runs.
	pinned *Actor
	// live is the progress of the jobs this process runs, shared by copies.
	live *liveJobs
	// names are the gazetteer's region names, read once.
	names *regionNames
	// memo keeps the terms of agreement versions sentences name.
	memo *termsMemo
	// pages keeps findings pages while the store is unchanged;
	// replicaPages, the replica's, given to Reading's Apps.
	pages, replicaPages *pageCache
}

// Options configure New. Zero values are the defaults.
type Options struct {
	// Now is the clock; time.Now if nil.
	Now func() time.Time
	// Replica, if set, is a read-only copy of st that may lag behind it
	// (a PostgreSQL streaming replica): see Reading.
	Replica store.Store
}

// New returns an App on st for a caller who has shown no token.
func New(st store.Store, opts Options) *App {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &App{st: st, replica: opts.Replica, now: now, live: &liveJobs{}, names: &regionNames{}, memo: &termsMemo{}, pages: &pageCache{}, replicaPages: &pageCache{}}
}

// As returns a copy of a acting for the holder of token ("" for none): the
// command line reads it from TRUCE_TOKEN, the server from the request.
func (a *App) As(token string) *App {
	b := *a
	b.token, b.session, b.pinned = token, "", nil
	return &b
}

// Reading returns an App for the caller's reads: on the replica, if there
// is one, acting for the caller as the primary knows them, so that a
// token revoked or a user disabled there is refused at once, however far
// behind the replica is. What it answers may lag behind the primary by the
// replica's lag. Without a replica it is a itself.
func (a *App) Reading(ctx context.Context) (*App, error) {
	if a.replica == nil {
		return a, nil
	}
	who, err := a.Who(ctx)
	if err != nil {
		return nil, err
	}
	b := *a
	b.st, b.replica, b.token, b.session, b.pinned = a.replica, nil, "", "", &who
	b.pages = a.replicaPages // the replica's stamps are its own
	return &b, nil
}

// Store is the store a runs on, for the read-only listings the command
// line prints straight from it.
func (a *App) Store() store.Store { return a.st }

// Close closes the store.
func (a *App) Close() error { return a.st.Close() }

// Now is the App's clock.
func (a *App) Now() time.Time { return a.now() }
