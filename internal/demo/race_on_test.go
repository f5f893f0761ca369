//go:build race

package demo

// raceEnabled: a full seed under the race detector takes minutes, so
// tests seed a tenth.
const raceEnabled = true
