//go:build !race

package demo

// raceEnabled: without the race detector tests seed the full volume.
const raceEnabled = false
