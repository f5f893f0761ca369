package evaluate

import "testing"

func TestKanoFromCounts(t *testing.T) {
	got, err := KanoFromCounts(map[KanoCategory]int{"A": 45, "O": 30, "M": 15, "I": 8, "R": 1, "Q": 1})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "better", got.Better, 0.765306, tol)
	near(t, "worse", got.Worse, -0.459184, tol)
	if got.Category != KanoAttractive {
		t.Errorf("got category %s, want A", got.Category)
	}
}

func TestKanoTies(t *testing.T) {
	tests := []struct {
		counts map[KanoCategory]int
		want   KanoCategory
	}{
		{map[KanoCategory]int{"A": 5, "O": 5, "M": 5, "I": 5}, KanoMustBe},
		{map[KanoCategory]int{"A": 5, "O": 5, "I": 5}, KanoOneDimension},
		{map[KanoCategory]int{"A": 5, "I": 5}, KanoAttractive},
		{map[KanoCategory]int{"I": 5, "R": 5}, KanoIndifferent},
		{map[KanoCategory]int{"I": 1, "R": 5, "Q": 5}, KanoReverse},
		{map[KanoCategory]int{"I": 1, "Q": 5}, KanoQuestionable},
	}
	for _, tt := range tests {
		got, err := KanoFromCounts(tt.counts)
		if err != nil {
			t.Fatal(err)
		}
		if got.Category != tt.want {
			t.Errorf("%v: got %s, want %s", tt.counts, got.Category, tt.want)
		}
		if len(got.Counts) != 6 {
			t.Errorf("%v: got %d count keys, want 6", tt.counts, len(got.Counts))
		}
	}
}

func TestKanoTable(t *testing.T) {
	want := [5]string{"QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"}
	for f := 1; f <= 5; f++ {
		for d := 1; d <= 5; d++ {
			got, err := KanoClassify(f, d)
			if err != nil {
				t.Fatal(err)
			}
			if w := KanoCategory(want[f-1][d-1 : d]); got != w {
				t.Errorf("KanoClassify(%d, %d): got %s, want %s", f, d, got, w)
			}
		}
	}
}

func TestKanoAnswers(t *testing.T) {
	// 3 O (like/dislike), 2 A (like/neutral), 1 M (neutral/dislike), 1 Q.
	f := []int{1, 1, 1, 1, 1, 3, 1}
	d := []int{5, 5, 5, 3, 4, 5, 1}
	got, err := Kano(f, d)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := map[KanoCategory]int{"A": 2, "O": 3, "M": 1, "I": 0, "R": 0, "Q": 1}
	for c, n := range wantCounts {
		if got.Counts[c] != n {
			t.Errorf("count %s: got %d, want %d", c, got.Counts[c], n)
		}
	}
	if got.Category != KanoOneDimension {
		t.Errorf("got %s, want O", got.Category)
	}
	near(t, "better", got.Better, 5.0/6, tol)
	near(t, "worse", got.Worse, -4.0/6, tol)
}

func TestKanoErrors(t *testing.T) {
	_, err := Kano([]int{1, 2}, []int{1})
	wantErr(t, err, "2 functional and 1 dysfunctional")
	_, err = Kano(nil, nil)
	wantErr(t, err, "kano: no answers")
	_, err = Kano([]int{1, 6}, []int{5, 5})
	wantErr(t, err, "functional answer 6, want 1–5 at index 1")
	_, err = Kano([]int{1, 2}, []int{5, 0})
	wantErr(t, err, "dysfunctional answer 0, want 1–5 at index 1")
	_, err = Kano([]int{1, 5}, []int{1, 5})
	wantErr(t, err, "A + O + M + I is 0")
	_, err = KanoFromCounts(map[KanoCategory]int{"X": 1})
	wantErr(t, err, `unknown category "X"`)
	_, err = KanoFromCounts(map[KanoCategory]int{"A": -1})
	wantErr(t, err, "count of A is -1")
}
