package analyze

import (
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(tb testing.TB, s string) string {
	tb.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestInputFormats runs the same CSAT question through every accepted
// input form.
func TestInputFormats(t *testing.T) {
	const plain = "编号,满意度,备注\n1,5,好\n2,4,\"多行\n备注\"\n3,NA,x\n4,2,\n5,,y\n"
	tests := []struct {
		name, content string
		extra         []string
	}{
		{"utf-8", plain, nil},
		{"utf-8 BOM", "\uFEFF" + plain, nil},
		{"CRLF", strings.ReplaceAll(plain, "\n", "\r\n"), nil},
		{"TSV", strings.ReplaceAll(plain, ",", "\t"), nil},
		{"GBK", gbk(t, plain), []string{"--encoding", "gbk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFixture(t, "in.csv", tt.content)
			var got scoreOutput
			runJSON(t, &got, append([]string{"csat", "--csv", p, "--column", "满意度"}, tt.extra...)...)
			if got.N != 3 || got.Dropped != 2 || !near(got.Value, 2.0/3, 1e-12) {
				t.Errorf("got n %d dropped %d value %v, want 3, 2, 0.6667", got.N, got.Dropped, got.Value)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, content, column string
		want                  []string
	}{
		{"bad cell after multi-line cell", "note,q1\n\"a\nb\nc\",4\nok,five\n", "q1",
			[]string{"data row 2", "file line 5", `column "q1"`, `"five"`}},
		{"bad cell TSV", "q0\tq1\n1\t2\n1\t3x\n", "q1", []string{"data row 2", "file line 3", `"3x"`}},
		{"NaN is not a number", "q1\n4\nNaN\n", "q1", []string{"data row 2", `"NaN"`}},
		{"missing column", "a,b\n1,2\n", "q1", []string{`no column "q1"`, `available columns: "a", "b"`}},
		{"empty file", "", "q1", []string{"header"}},
		{"out of scale", "q1\n4\n\n9\n", "q1", []string{"data row 3", "file line 4", `"9"`, "1 to 5"}},
		{"fractional answer", "q1\n4\n2.5\n", "q1", []string{"data row 2", `"2.5"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFixture(t, "in.csv", tt.content)
			out, _, err := runCmd(t, "csat", "--csv", p, "--column", tt.column, "--json")
			if err == nil || errors.Is(err, ErrUsage) {
				t.Fatalf("got error %v, want a failure", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
			if out != "" {
				t.Errorf("got output %q on failure, want none", out)
			}
		})
	}
}

func TestCSVStream(t *testing.T) {
	in := "\uFEFFid,text\n1,\"line one\nline two\"\n2,plain\n\n3,\"say \"\"hi\"\"\"\n"
	s, err := newCSVStream(strings.NewReader(in), "in", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.header, "|"); got != "id|text" {
		t.Errorf("got header %q, want id|text", got)
	}
	want := []struct {
		text string
		line int
	}{{"line one\nline two", 2}, {"plain", 4}, {`say "hi"`, 6}}
	for i, w := range want {
		rec, line, err := s.next()
		if err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		if rec[1] != w.text || line != w.line {
			t.Errorf("record %d: got %q on line %d, want %q on line %d", i+1, rec[1], line, w.text, w.line)
		}
	}
	if _, _, err := s.next(); !errors.Is(err, io.EOF) {
		t.Errorf("got %v after the last record, want io.EOF", err)
	}
}

func TestOneColumnBlankLines(t *testing.T) {
	s, err := newCSVStream(strings.NewReader("q1\n5\n\n\"\n\"\n4\n\n\n"), "in", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		rec, _, err := s.next()
		if err != nil {
			break
		}
		got = append(got, rec[0])
	}
	if want := []string{"5", "", "\n", "4"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got records %q, want %q (inner blank line is a missing answer, trailing ones are not)", got, want)
	}
}

func TestParseFloats(t *testing.T) {
	tests := []struct {
		in   string
		want []float64
		ok   bool
	}{
		{"0.4, 0.3,0.2,0.1", []float64{0.4, 0.3, 0.2, 0.1}, true},
		{"1/4,3", []float64{0.25, 3}, true},
		{"1/0", nil, false},
		{"a", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, err := parseFloats(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("parseFloats(%q): got error %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok {
			checkFloats(t, tt.in, got, tt.want, 1e-15)
		}
	}
}

func TestTableWidths(t *testing.T) {
	tb := newTable("name", "v")
	tb.add("满意", "1.5")
	tb.add("ab", "10.25")
	var b strings.Builder
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for _, l := range lines[1:] {
		if got, want := cellWidth(l), cellWidth(lines[0]); got != want {
			t.Errorf("line %q is %d cells wide, want %d", l, got, want)
		}
	}
}
