package sentiment

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Example is one labelled text of a training data set.
type Example struct {
	Set    string // data set: shopping, waimai, amazon, imdb
	Domain string // product category for shopping, else the set
	Index  int    // 0-based data-row index in its file; Index%5 == 0 is test
	Label  int    // 1 positive, 0 negative
	Text   string
}

// IsTest reports whether the example belongs to the suggested held-out
// split (SOURCES.md): every fifth data row.
func (e Example) IsTest() bool { return e.Index%5 == 0 }

// The data files Train reads from its data directory.
const (
	FileShopping = "online_shopping_9_cats.csv.gz"
	FileWaimai   = "waimai_10k.csv"
	FileAmazon   = "amazon_cells_labelled.txt"
	FileIMDB     = "imdb_labelled.txt"
)

// LoadChinese reads the Chinese data sets (shopping, waimai) from dir.
func LoadChinese(dir string) ([]Example, error) {
	shop, err := readCSV(filepath.Join(dir, FileShopping), "shopping", true)
	if err != nil {
		return nil, err
	}
	wm, err := readCSV(filepath.Join(dir, FileWaimai), "waimai", false)
	if err != nil {
		return nil, err
	}
	return append(shop, wm...), nil
}

// LoadEnglish reads the English data sets (amazon, imdb) from dir.
func LoadEnglish(dir string) ([]Example, error) {
	am, err := readTSV(filepath.Join(dir, FileAmazon), "amazon")
	if err != nil {
		return nil, err
	}
	im, err := readTSV(filepath.Join(dir, FileIMDB), "imdb")
	if err != nil {
		return nil, err
	}
	return append(am, im...), nil
}

func openMaybeGzip(path string) (io.Reader, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("sentiment: %w", err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, f.Close, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("sentiment: %s: %w", path, err)
	}
	return zr, f.Close, nil
}

// readCSV reads "[cat,]label,review" rows after a header line.
func readCSV(path, set string, withCat bool) ([]Example, error) {
	r, closeFn, err := openMaybeGzip(path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil {
		return nil, fmt.Errorf("sentiment: %s: header: %w", path, err)
	}
	var out []Example
	for i := 0; ; i++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("sentiment: %s: row %d: %w", path, i, err)
		}
		ex := Example{Set: set, Domain: set, Index: i}
		if withCat {
			if len(rec) < 3 {
				return nil, fmt.Errorf("sentiment: %s: row %d: want 3 fields, got %d", path, i, len(rec))
			}
			ex.Domain, rec = rec[0], rec[1:]
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("sentiment: %s: row %d: want 2 fields, got %d", path, i, len(rec))
		}
		ex.Label = labelOf(rec[0])
		ex.Text = strings.TrimPrefix(strings.Join(rec[1:], ","), "\ufeff")
		out = append(out, ex)
	}
	return out, nil
}

// readTSV reads "sentence<TAB>label" lines.
func readTSV(path, set string) ([]Example, error) {
	r, closeFn, err := openMaybeGzip(path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var out []Example
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r\n ")
		text, lab, ok := cutLast(line, "\t")
		if !ok {
			continue
		}
		out = append(out, Example{Set: set, Domain: set, Index: len(out), Label: labelOf(lab), Text: strings.TrimSpace(text)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sentiment: %s: %w", path, err)
	}
	return out, nil
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func labelOf(s string) int {
	if strings.TrimSpace(s) == "1" {
		return 1
	}
	return 0
}
