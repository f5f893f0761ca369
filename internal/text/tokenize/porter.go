package tokenize

// Stem reduces a lower-case English word to its stem with the Porter
// (1980) algorithm, so that "resetting", "resets" and "reset" meet in the
// index. Words of one or two letters and words with anything but a–z are
// returned as they are.
func Stem(word string) string {
	if len(word) <= 2 {
		return word
	}
	for i := 0; i < len(word); i++ {
		if word[i] < 'a' || word[i] > 'z' {
			return word
		}
	}
	w := &stemmer{b: []byte(word)}
	w.step1ab()
	w.step1c()
	w.step2()
	w.step3()
	w.step4()
	w.step5()
	return string(w.b)
}

type stemmer struct {
	b []byte
	j int // end of the stem while a suffix is considered
}

// cons reports whether b[i] is a consonant.
func (w *stemmer) cons(i int) bool {
	switch w.b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		if i == 0 {
			return true
		}
		return !w.cons(i - 1)
	}
	return true
}

// m counts the VC sequences in b[0..j].
func (w *stemmer) m() int {
	n, i := 0, 0
	for {
		if i > w.j {
			return n
		}
		if !w.cons(i) {
			break
		}
		i++
	}
	i++
	for {
		for {
			if i > w.j {
				return n
			}
			if w.cons(i) {
				break
			}
			i++
		}
		i++
		n++
		for {
			if i > w.j {
				return n
			}
			if !w.cons(i) {
				break
			}
			i++
		}
		i++
	}
}

// vowelInStem reports whether b[0..j] contains a vowel.
func (w *stemmer) vowelInStem() bool {
	for i := 0; i <= w.j; i++ {
		if !w.cons(i) {
			return true
		}
	}
	return false
}

// doublec reports whether b[i-1..i] is a double consonant.
func (w *stemmer) doublec(i int) bool {
	return i >= 1 && w.b[i] == w.b[i-1] && w.cons(i)
}

// cvc reports whether b[i-2..i] is consonant-vowel-consonant with the
// last not w, x or y (hop, not hoe or snow).
func (w *stemmer) cvc(i int) bool {
	if i < 2 || !w.cons(i) || w.cons(i-1) || !w.cons(i-2) {
		return false
	}
	switch w.b[i] {
	case 'w', 'x', 'y':
		return false
	}
	return true
}

// ends reports whether b ends with s, setting j to the end of the stem.
func (w *stemmer) ends(s string) bool {
	n := len(s)
	if n > len(w.b) || string(w.b[len(w.b)-n:]) != s {
		return false
	}
	w.j = len(w.b) - n - 1
	return true
}

// setto replaces b[j+1..] with s.
func (w *stemmer) setto(s string) { w.b = append(w.b[:w.j+1], s...) }

func (w *stemmer) r(s string) {
	if w.m() > 0 {
		w.setto(s)
	}
}

func (w *stemmer) step1ab() {
	if w.b[len(w.b)-1] == 's' {
		switch {
		case w.ends("sses"):
			w.b = w.b[:len(w.b)-2]
		case w.ends("ies"):
			w.setto("i")
		case len(w.b) >= 2 && w.b[len(w.b)-2] != 's':
			w.b = w.b[:len(w.b)-1]
		}
	}
	if w.ends("eed") {
		if w.m() > 0 {
			w.b = w.b[:len(w.b)-1]
		}
		return
	}
	if (w.ends("ed") || w.ends("ing")) && w.vowelInStem() {
		w.b = w.b[:w.j+1]
		k := len(w.b) - 1
		switch {
		case w.ends("at"):
			w.setto("ate")
		case w.ends("bl"):
			w.setto("ble")
		case w.ends("iz"):
			w.setto("ize")
		case w.doublec(k):
			switch w.b[k] {
			case 'l', 's', 'z':
			default:
				w.b = w.b[:k]
			}
		default:
			w.j = k
			if w.m() == 1 && w.cvc(k) {
				w.b = append(w.b, 'e')
			}
		}
	}
}

func (w *stemmer) step1c() {
	if w.ends("y") && w.vowelInStem() {
		w.b[len(w.b)-1] = 'i'
	}
}

var step2Rules = [][2]string{
	{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
	{"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
	{"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
	{"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"}, {"logi", "log"},
}

func (w *stemmer) step2() {
	if len(w.b) < 3 {
		return
	}
	for _, r := range step2Rules {
		if w.ends(r[0]) {
			w.r(r[1])
			return
		}
	}
}

var step3Rules = [][2]string{
	{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""},
}

func (w *stemmer) step3() {
	for _, r := range step3Rules {
		if w.ends(r[0]) {
			w.r(r[1])
			return
		}
	}
}

var step4Suffixes = []string{"al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
	"ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"}

func (w *stemmer) step4() {
	for _, s := range step4Suffixes {
		if !w.ends(s) {
			continue
		}
		if s == "ion" && (w.j < 0 || (w.b[w.j] != 's' && w.b[w.j] != 't')) {
			return
		}
		if w.m() > 1 {
			w.b = w.b[:w.j+1]
		}
		return
	}
}

func (w *stemmer) step5() {
	w.j = len(w.b) - 1
	if w.b[w.j] == 'e' {
		w.j--
		if m := w.m(); m > 1 || (m == 1 && !w.cvc(w.j)) {
			w.b = w.b[:len(w.b)-1]
		}
	}
	w.j = len(w.b) - 1
	if w.b[w.j] == 'l' && w.doublec(w.j) && w.m() > 1 {
		w.b = w.b[:len(w.b)-1]
	}
}
