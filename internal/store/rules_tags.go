package store

import "context"

// requestTagsIn returns request id's tags (request tags arrive with the
// agent console, issue 11).
func (s *Store) requestTagsIn(ctx context.Context, q Querier, id int64) ([]string, error) {
	return nil, nil
}

// AddTagIn adds tag to request id in q; it reports whether the request
// did not have it yet.
func (s *Store) AddTagIn(ctx context.Context, q Querier, id int64, tag string, by Actor) (bool, error) {
	return false, nil
}
