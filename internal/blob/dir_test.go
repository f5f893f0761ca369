package blob_test

import (
	"testing"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/blob/blobtest"
)

// TestDir: the data-directory store keeps the blob promises.
func TestDir(t *testing.T) {
	blobtest.Run(t, blob.NewDir(t.TempDir()))
}
