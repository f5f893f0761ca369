package model

// Tally counts a set of survey responses by answer: for each rating
// question, how many answered each value of its scale. Every
// satisfaction score (CSAT, NPS and CES with their intervals, the
// dimension means) is a function of these counts alone, so a tally the
// database adds up gives exactly the figures of the responses it counts.
type Tally struct {
	// Key is the group the responses share: an id as decimal text or a
	// channel; nil when they have none (no team, no centre …).
	Key *string
	// Name is the group's name (a category's Chinese name), NameEn a
	// category's English one; empty when unknown.
	Name, NameEn string
	// N is the number of responses.
	N int
	// Counts holds, for each rating question, the count of each value of
	// its scale from the lowest: Counts[QNPS][0] answered 0.
	Counts map[QuestionKey][]int
}

// RatingKeys lists the rating questions a Tally counts (every question
// but the comment).
func RatingKeys() []QuestionKey {
	return []QuestionKey{QCSAT, QNPS, QCES, QTechnical, QEfficiency, QConvenience, QProcess, QPrice}
}

// NewTally returns an empty tally with a zero count for every value.
func NewTally() Tally {
	t := Tally{Counts: map[QuestionKey][]int{}}
	for _, k := range RatingKeys() {
		lo, hi := k.Range()
		t.Counts[k] = make([]int, hi-lo+1)
	}
	return t
}

// Add counts the answers of s (an answer out of its scale is not
// counted; the database's checks keep them out).
func (t *Tally) Add(s *Scores) {
	t.N++
	for _, k := range RatingKeys() {
		if v := s.Rating(k); v != nil {
			lo, hi := k.Range()
			if *v >= lo && *v <= hi {
				t.Counts[k][*v-lo]++
			}
		}
	}
}

// Merge adds the counts of o to t.
func (t *Tally) Merge(o Tally) {
	t.N += o.N
	for k, cs := range o.Counts {
		for i, c := range cs {
			t.Counts[k][i] += c
		}
	}
}

// Answers returns the answers to k the tally counts, lowest first: what
// the scores of internal/evaluate take.
func (t *Tally) Answers(k QuestionKey) []float64 {
	lo, _ := k.Range()
	var out []float64
	for i, c := range t.Counts[k] {
		for range c {
			out = append(out, float64(lo+i))
		}
	}
	return out
}
