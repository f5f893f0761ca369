package store

import "context"

// requestTagsIn returns request id's tags (the agent console's tags).
func (s *Store) requestTagsIn(ctx context.Context, q Querier, id int64) ([]string, error) {
	return requestTags(ctx, q, id)
}

// AddTagIn adds the normalised tag to request id in q, through the same
// path as a person's tag change (timeline, request.updated); it reports
// whether the request did not have it yet.
func (s *Store) AddTagIn(ctx context.Context, q Querier, id int64, tag string, by Actor) (bool, error) {
	return s.ChangeTagsTx(ctx, q, id, []string{tag}, nil, by)
}
