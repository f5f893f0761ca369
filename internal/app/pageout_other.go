//go:build !linux

package app

import "errors"

// releaseCode reclaims the executable's resident code pages on Linux;
// elsewhere it does nothing.
func releaseCode() (int64, error) {
	return 0, errors.New("release code pages: only on Linux")
}
