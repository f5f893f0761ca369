package sentiment

import (
	_ "embed"
	"math"
	"strconv"
	"strings"
)

// vaderTSV is the VADER sentiment lexicon (vader_lexicon.txt of the npm
// package vader-sentiment 1.1.3, Apache-2.0, after C.J. Hutto's MIT
// vaderSentiment; see LICENSE-vader-sentiment), cut to its first two
// columns: words, slang and emoticons with their mean valence from -4 to 4.
//
//go:embed vader_lexicon.tsv
var vaderTSV string

// vaderScale maps VADER's mean valence (-4…4) onto the -5…5 scale of the
// hand-written lists; the result is rounded to a whole number.
const vaderScale = 1.25

// enExtraWords returns general evaluative words VADER lacks, values that
// override VADER's where its sense is not the one of service comments,
// and phrases whose polarity plain negation handling gets wrong. Written for this
// package. Phrases are matched as whole normalised token sequences ("n't"
// is split into "not").
func enExtraWords() map[string]float32 {
	return map[string]float32{
		"tasty": 3, "bland": -2, "mediocre": -2, "overpriced": -2, "flimsy": -2, "sturdy": 2, "junk": -3,
		"unreliable": -2, "slow": -1, "quick": 1, "fast": 1, "cheaply": -2, "poorly": -2, "unusable": -3,
		"useless": -2, "defective": -3, "refund": -1, "returned": -1, "return": -1, "broke": -2, "broken": -2,
		"works": 1, "worked": 1, "working": 1, "well": 1, "properly": 1, "fixed": 1, "reasonable": 2, "affordable": 2,
		"courteous": 2, "polite": 2, "attentive": 2, "knowledgeable": 2, "prompt": 2, "promptly": 2,
		"unprofessional": -3, "incompetent": -3, "rude": -3, "stale": -2, "soggy": -2, "cold": -1, "greasy": -2,
		"overcooked": -2, "undercooked": -2, "raw": -1, "dirty": -2, "filthy": -3, "inedible": -3, "yummy": 3,
		"recommended": 2, "highly": 1, "disappointment": -3, "waited": -1, "wait": -1, "waste": -2, "wasted": -2,
		"meh": -1, "lame": -2, "sucks": -3, "sucked": -3, "crappy": -3, "pathetic": -3, "avoid": -2,
		"not bad": 2, "not too bad": 1, "not that bad": 1, "no problem": 2, "no problems": 2, "no issues": 2,
		"no complaints": 2, "not disappointed": 2, "can not complain": 2, "could not be happier": 3,
		"can not go wrong": 3, "not worth": -2, "not recommend": -2, "not good": -2, "not great": -2,
		"do not waste": -3, "not waste": -3, "never again": -3, "does not work": -3,
		"not work": -3, "stopped working": -3, "below average": -2, "will be back": 2, "be back": 2, "not be back": -3, "coming back": 2, "come back": 2,
		"go back": 2, "not be returning": -3, "waste your money": -3, "waste of money": -3, "above average": 2, "less than stellar": -2, "waste of": -3, "at all": 0, "no longer": -1, "must have": 2,
		// Senses that are neutral in service comments ("support team",
		// "kind of").
		"support": 0, "big": 0, "matter": 0, "please": 0, "want": 0, "kind": 0, "true": 0, "free": 0, "clear": 0,
		"expensive": -2, "pricey": -1, "simple": 1, "smoothly": 2, "hassle free": 2, "on time": 2, "right away": 2,
		"never called": -2, "never came": -2, "never showed": -2, "no show": -2, "called back": 1, "still waiting": -2,
		"money back": -2, "save your money": -3, "a joke": -2, "keep looking": -2, "expected better": -2,
		"hoping for more": -2, "could be better": -2, "could improve": -1, "fixes": 2, "rocks": 2, "excels": 3,
		"wise decision": 2, "exactly what i wanted": 3, "does the job": 2, "gets the job done": 2,
		"well worth": 3, "rip off": -3, "ripoff": -3, "not worth it": -3, "out of order": -2, "fell apart": -3, "falls apart": -3,
		"incredible": 3, "incredibly": 2, "genius": 3, "superbly": 4, "convincing": 2, "believable": 2, "legendary": 3,
		"riveted": 3, "gripping": 3, "captivating": 3, "compelling": 2, "stunning": 3, "breathtaking": 4, "flawless": 4,
		"impeccable": 4, "exceptional": 4, "phenomenal": 4, "terrific": 4, "fabulous": 4, "delightful": 3, "enjoyable": 3,
		"pleasant": 2, "charming": 3, "solid": 2, "decent": 1, "crisp": 2, "spotless": 3, "spacious": 2, "cozy": 2,
		"comfy": 2, "tender": 2, "juicy": 2, "efficient": 2, "responsive": 2, "professional": 2, "honest": 2,
		"accommodating": 2, "welcoming": 2, "memorable": 2, "touching": 2, "masterful": 4, "seamless": 2, "smooth": 2,
		"sleek": 2, "handy": 2, "durable": 2, "worth": 2, "worthwhile": 2, "impressed": 3, "impressive": 3,
		"favorite": 2, "favourite": 2, "superior": 2, "splendid": 3, "marvelous": 4, "lovely": 3,
		"unremarkable": -2, "forgettable": -2, "predictable": -1, "pointless": -2, "pretentious": -2, "tedious": -2,
		"cliched": -2, "clichéd": -2, "cheesy": -1, "lousy": -3, "subpar": -2, "inferior": -2, "shoddy": -3, "faulty": -2,
		"malfunction": -2, "malfunctioned": -2, "cracked": -2, "leaking": -2, "leaked": -2, "noisy": -2, "overrated": -2,
		"underwhelming": -2, "underwhelmed": -2, "unhelpful": -2, "unresponsive": -2, "inattentive": -2, "sloppy": -2,
		"tasteless": -2, "flavorless": -2, "lukewarm": -1, "chewy": -1, "burnt": -2, "garbage": -3, "trash": -3,
		"rubbish": -3, "hassle": -2, "nightmare": -3, "unhappy": -2, "awkward": -1, "clunky": -2, "uncomfortable": -2,
		"scam": -3, "worse": -2, "worthless": -3, "mess": -2, "messy": -2, "weak": -2, "poor": -2, "unfortunately": -2, "a must": 2, "go wrong": -1, "not happy": -2, "not impressed": -2, "not satisfied": -2,
	}
}

// enNegatorWords returns the words that open a negation scope that runs to the end of the clause or
// a few words on, whichever is first.
func enNegatorWords() map[string]bool {
	return map[string]bool{
		"not": true, "no": true, "never": true, "nothing": true, "nobody": true, "none": true, "neither": true,
		"nor": true, "nowhere": true, "without": true, "hardly": true, "barely": true, "scarcely": true,
		"lack": true, "lacks": true, "lacking": true, "far from": true,
	}
}

// enContrastWords returns the words that shift the weight of a comment to what follows them.
func enContrastWords() map[string]bool {
	return map[string]bool{"but": true, "however": true, "though": true, "yet": true,
		// Summing up: what follows is the verdict.
		"overall": true, "all in all": true, "in short": true, "in the end": true, "bottom line": true}
}

// enContractionWords maps apostrophe-less negative contractions to their stem;
// the tokeniser emits the stem and then "not".
func enContractionWords() map[string]string {
	return map[string]string{
		"dont": "do", "doesnt": "does", "didnt": "did", "isnt": "is", "wasnt": "was", "arent": "are",
		"werent": "were", "cant": "can", "cannot": "can", "wont": "will", "couldnt": "could", "wouldnt": "would",
		"shouldnt": "should", "havent": "have", "hasnt": "has", "hadnt": "had", "aint": "is", "mustnt": "must",
		"neednt": "need", "ca": "can", "wo": "will", "sha": "shall",
	}
}

// parseLexicon reads VADER's "token<TAB>mean" lines, skipping comments,
// keeps the tokens made of letters only (the tokeniser never produces
// emoticons or "gr8"), maps their means onto -5…5 and adds the entries of
// extra on top.
func parseLexicon(tsv string, extra map[string]float32) map[string]float32 {
	m := make(map[string]float32, 8192)
	for line := range strings.Lines(tsv) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		word, score, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		if !isLetters(word) {
			continue
		}
		v, err := strconv.ParseFloat(score, 64)
		if v = math.Round(v * vaderScale); err != nil || v == 0 {
			continue
		}
		m[word] = float32(v)
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// isLetters reports whether w is a non-empty run of the letters a–z.
func isLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return w != ""
}
