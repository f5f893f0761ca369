package mention

import (
	"reflect"
	"testing"
)

func people() []Person {
	return []Person{
		{ID: 1, Name: "Wang Fang", Email: "wang@example.com"},
		{ID: 2, Name: "Wang", Email: "w2@example.com"},
		{ID: 3, Name: "周杰", Email: "zhou@example.com"},
		{ID: 4, Name: "Li Na", Email: "lina@example.com"},
	}
}

// TestFind: names with spaces, Chinese names run into the text, address
// local parts, the longest name winning, and what is not a mention.
func TestFind(t *testing.T) {
	for _, c := range []struct {
		text string
		want []int64
	}{
		{"@Wang Fang please check the part", []int64{1}},
		{"ask @wang fang, then @Li Na.", []int64{1, 4}},
		{"@周杰请看一下保修", []int64{3}},
		{"@Wang: done", []int64{2}},
		{"@wangwei is not here", nil},
		{"mail wang@example.com or li@x.cn", nil},
		{"@lina and @LINA again", []int64{4}},
		{"@WangFang squeezed", []int64{1}},
		{"@nobody @ @", nil},
	} {
		var got []int64
		for _, p := range Find(c.text, people()) {
			got = append(got, p.ID)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Find(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestSplit: the segments put the text back together, with the mentions
// marked.
func TestSplit(t *testing.T) {
	got := Split("hi @周杰, see <b>@Li Na</b>", people())
	want := []Segment{{Text: "hi "}, {Text: "@周杰", Mention: true}, {Text: ", see <b>"}, {Text: "@Li Na", Mention: true}, {Text: "</b>"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Split = %#v, want %#v", got, want)
	}
	if Split("no mentions here", people()) != nil {
		t.Error("Split of text without mentions is not nil")
	}
}
