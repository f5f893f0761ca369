package store_test

import (
	"testing"

	"github.com/aftercare/aftercare/internal/blob/blobtest"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestBlobs: files in the database keep the blob promises on both stores
// (PostgreSQL keeps them there by default).
func TestBlobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		blobtest.Run(t, s.Blobs())
	})
}
