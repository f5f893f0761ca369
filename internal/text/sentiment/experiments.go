package sentiment

import (
	"context"
	"fmt"
)

// CrossDomain measures how the model carries over to review domains it
// was not trained on, which is what matters for comments from after-sales
// service: it trains on one data set and tests on another (shopping ↔
// waimai, amazon ↔ imdb), and trains on all Chinese data but one shopping
// category and tests on that category. Naive Bayes is scored on the same
// splits when opts.Baseline is set.
func CrossDomain(ctx context.Context, dataDir string, opts Options) ([]Score, error) {
	opts = opts.withDefaults()
	zh, err := LoadChinese(dataDir)
	if err != nil {
		return nil, err
	}
	en, err := LoadEnglish(dataDir)
	if err != nil {
		return nil, err
	}
	zh, en = sample(zh, opts.Sample), sample(en, opts.Sample)
	lx := newLexicons()
	var out []Score
	run := func(l lang, name, testName string, train, test []Example) error {
		lin, err := fit(ctx, lx, l, train, opts, name)
		if err != nil {
			return err
		}
		acc, _ := accuracy(lx, l, lin, test)
		s := Score{Train: name, Test: testName, N: len(test), Accuracy: acc}
		if opts.Baseline {
			s.Baseline = trainNB(l, train).accuracy(test)
		}
		fmt.Fprintln(opts.Progress, s)
		out = append(out, s)
		return nil
	}
	_, zs := bySet(zh)
	_, es := bySet(en)
	pairs := []struct {
		l           lang
		train, test []Example
	}{
		{langZh, zs["shopping"], zs["waimai"]},
		{langZh, zs["waimai"], zs["shopping"]},
		{langEn, es["amazon"], es["imdb"]},
		{langEn, es["imdb"], es["amazon"]},
	}
	for _, p := range pairs {
		if len(p.train) == 0 || len(p.test) == 0 {
			continue
		}
		if err := run(p.l, p.train[0].Set, p.test[0].Set, p.train, p.test); err != nil {
			return nil, err
		}
	}
	var cats []string
	seen := map[string]bool{}
	for _, ex := range zs["shopping"] {
		if !seen[ex.Domain] {
			seen[ex.Domain] = true
			cats = append(cats, ex.Domain)
		}
	}
	for _, cat := range cats {
		var train, test []Example
		for _, ex := range zh {
			if ex.Domain == cat {
				test = append(test, ex)
			} else {
				train = append(train, ex)
			}
		}
		if err := run(langZh, "zh all but "+cat, cat, train, test); err != nil {
			return nil, err
		}
	}
	return out, nil
}
