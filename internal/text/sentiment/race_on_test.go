//go:build race

package sentiment

// raceEnabled is true when the tests run under the race detector, which
// makes training several times slower.
const raceEnabled = true
