package sqlstore

import (
	"context"
	"errors"

	"github.com/truce-monitor/truce/internal/store"
)

var _ store.Users = (*Store)(nil)

// TODO(scaffold): replaced by the implementation.
var errUsersTODO = errors.New("users: not implemented yet")

func (s *Store) AddUser(ctx context.Context, u store.User, by string) (store.User, error) {
	return store.User{}, errUsersTODO
}
func (s *Store) GetUser(ctx context.Context, name string) (store.User, error) {
	return store.User{}, errUsersTODO
}
func (s *Store) ListUsers(ctx context.Context) ([]store.User, error) { return nil, errUsersTODO }
func (s *Store) CountUsers(ctx context.Context) (int, error)         { return 0, errUsersTODO }
func (s *Store) SetUserDisabled(ctx context.Context, name string, disabled bool, by, reason string) error {
	return errUsersTODO
}
func (s *Store) SetUserPassword(ctx context.Context, name, passwordHash, by string) error {
	return errUsersTODO
}
func (s *Store) AddToken(ctx context.Context, t store.APIToken, by string) (store.APIToken, error) {
	return store.APIToken{}, errUsersTODO
}
func (s *Store) UserByToken(ctx context.Context, hash string) (store.User, error) {
	return store.User{}, errUsersTODO
}
