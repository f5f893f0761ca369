package survey

import (
	"fmt"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

func ptr(v int) *int { return &v }

// TestAnswersValidation: CSAT is required; each rating must be within
// its scale and asked by the template; errors name the field as the API
// and the form do.
func TestAnswersValidation(t *testing.T) {
	full := DefaultTemplate()
	noNPS := DefaultTemplate()
	for i := range noNPS.Questions {
		if noNPS.Questions[i].Key == model.QNPS {
			noNPS.Questions[i].Enabled = false
		}
	}
	for _, c := range []struct {
		name  string
		t     *model.SurveyTemplate
		a     Answers
		field string // "" for valid
	}{
		{"csat only", full, Answers{CSAT: ptr(5)}, ""},
		{"everything", full, Answers{CSAT: ptr(1), NPS: ptr(0), CES: ptr(7), Comment: "ok",
			Dimensions: map[model.QuestionKey]*int{model.QPrice: ptr(5), model.QTechnical: ptr(1)}}, ""},
		{"no csat", full, Answers{NPS: ptr(5)}, "csat"},
		{"csat 0", full, Answers{CSAT: ptr(0)}, "csat"},
		{"csat 6", full, Answers{CSAT: ptr(6)}, "csat"},
		{"nps 11", full, Answers{CSAT: ptr(3), NPS: ptr(11)}, "nps"},
		{"nps -1", full, Answers{CSAT: ptr(3), NPS: ptr(-1)}, "nps"},
		{"ces 0", full, Answers{CSAT: ptr(3), CES: ptr(0)}, "ces"},
		{"ces 8", full, Answers{CSAT: ptr(3), CES: ptr(8)}, "ces"},
		{"price 6", full, Answers{CSAT: ptr(3), Dimensions: map[model.QuestionKey]*int{model.QPrice: ptr(6)}}, "dimensions.price"},
		{"process 0", full, Answers{CSAT: ptr(3), Dimensions: map[model.QuestionKey]*int{model.QProcess: ptr(0)}}, "dimensions.process"},
		{"unknown dimension", full, Answers{CSAT: ptr(3), Dimensions: map[model.QuestionKey]*int{"speed": ptr(3)}}, "dimensions.speed"},
		{"nps not asked", noNPS, Answers{CSAT: ptr(3), NPS: ptr(9)}, "nps"},
		{"comment too long", full, Answers{CSAT: ptr(3), Comment: string(make([]rune, MaxComment+1))}, "comment"},
	} {
		sc, err := c.a.scores(c.t)
		var field string
		if e, ok := err.(*model.Error); ok {
			field = e.Field
		} else if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if field != c.field {
			t.Errorf("%s: got error at %q (%v), want %q", c.name, field, err, c.field)
		}
		if c.field == "" && sc.CSAT != *c.a.CSAT {
			t.Errorf("%s: csat %d, want %d", c.name, sc.CSAT, *c.a.CSAT)
		}
	}
}

// TestFollowupSampled: the sample is a pure function of the request
// number, and about the share asked for.
func TestFollowupSampled(t *testing.T) {
	for _, share := range []float64{0, 0.2, 0.5, 1} {
		in := 0
		for i := range 10000 {
			n := fmt.Sprintf("SR-2026-%06d", i)
			got := FollowupSampled(n, share)
			if got != FollowupSampled(n, share) {
				t.Fatalf("%s: not deterministic", n)
			}
			if got {
				in++
			}
		}
		if got := float64(in) / 10000; got < share-0.02 || got > share+0.02 {
			t.Errorf("share %v: got %.3f of requests sampled", share, got)
		}
	}
	// A larger share keeps every request a smaller one has.
	for i := range 1000 {
		n := fmt.Sprintf("SR-2026-%06d", i)
		if FollowupSampled(n, 0.2) && !FollowupSampled(n, 0.5) {
			t.Fatalf("%s sampled at 0.2 but not at 0.5", n)
		}
	}
}

// TestCheckTemplate: an edit needs both titles, every question once, the
// wording of each asked question in both languages, and CSAT asked.
func TestCheckTemplate(t *testing.T) {
	valid := func() TemplateInput {
		d := DefaultTemplate()
		return TemplateInput{Base: 1, TitleZh: d.TitleZh, TitleEn: d.TitleEn, Questions: append([]model.Question(nil), d.Questions...)}
	}
	if got, err := checkTemplate(valid()); err != nil || len(got.Questions) != len(model.QuestionKeys()) {
		t.Fatalf("valid: %v", err)
	}
	for _, c := range []struct {
		name  string
		edit  func(*TemplateInput)
		field string
	}{
		{"no title", func(in *TemplateInput) { in.TitleEn = " " }, "title_en"},
		{"csat off", func(in *TemplateInput) { in.Questions[0].Enabled = false }, "questions[0].enabled"},
		{"no wording", func(in *TemplateInput) { in.Questions[2].TextZh = "" }, "questions[2].text_zh"},
		{"twice", func(in *TemplateInput) { in.Questions[3].Key = model.QNPS }, "questions[3].key"},
		{"unknown", func(in *TemplateInput) { in.Questions[4].Key = "mood" }, "questions[4].key"},
		{"missing", func(in *TemplateInput) { in.Questions = in.Questions[:8] }, "questions"},
	} {
		in := valid()
		c.edit(&in)
		_, err := checkTemplate(in)
		if e, ok := err.(*model.Error); !ok || e.Field != c.field {
			t.Errorf("%s: got %v, want an error at %s", c.name, err, c.field)
		}
	}
	// A question not asked may go without wording.
	in := valid()
	in.Questions[1].Enabled, in.Questions[1].TextEn = false, ""
	if _, err := checkTemplate(in); err != nil {
		t.Errorf("disabled question without wording: %v", err)
	}
}
