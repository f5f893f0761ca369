package analyze

import (
	"fmt"
	"html/template"

	"github.com/aftercare/aftercare/internal/evaluate"
)

// reportTemplate parses the report page. It is parsed per call (a report
// is rendered once per process), which keeps the package free of state.
func reportTemplate() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"f4":       f4,
		"f6":       f6,
		"pct":      func(x float64) string { return fmt.Sprintf("%.1f %%", 100*x) },
		"quadrant": func(t reportText, q evaluate.Quadrant) string { return t.QuadrantNames[q] },
		"kanoName": func(t reportText, c string) string { return t.KanoNames[c] },
		"inc":      func(i int) int { return i + 1 },
	}).Parse(reportHTML))
}

const reportCSS = `
body{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #2c6fbb;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.4em}
.meta{color:#555;font-size:.92em}.note{color:#555;font-size:.92em}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.3em .6em}th{background:#eef3f9;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.wide td{color:#888;background:#f4f4f4}.warn{color:#a33}
nav ul{columns:2;padding-left:1.2em}
svg.chart{max-width:100%;height:auto;display:block;margin:.6em 0}
svg .plot{fill:#fff;stroke:#bbb}svg .q1{fill:#fdecea}svg .axis{stroke:#444;stroke-width:1}svg .grid{stroke:#ddd}
svg .cross{stroke:#c0392b;stroke-dasharray:6 4;stroke-width:1.2}svg .quad{fill:#999;font-size:12px}
svg .pt{fill:#2c6fbb;stroke:#fff;stroke-width:1}svg .hot{fill:#c0392b}svg .lbl{font-size:12px;fill:#222}
svg .leader{stroke:#999;stroke-width:.8}svg .tick{font-size:11px;fill:#555}svg .axtitle{font-size:12px;fill:#333}svg .val{font-size:11px;fill:#333}
svg .bar{fill:#2c6fbb}svg .ci{fill:#9cc3ea}svg .whisker{stroke:#2c6fbb;stroke-width:2}svg .wide{opacity:.35}
.section{page-break-inside:avoid}
@media print{body{max-width:none;margin:0;font-size:10pt}nav{display:none}h2{page-break-before:auto;page-break-after:avoid}
 .section,figure,table,svg{page-break-inside:avoid;break-inside:avoid}th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
 svg *{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`

const reportHTML = `<!DOCTYPE html>
<html lang="{{.T.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>` + reportCSS + `</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="meta">{{.T.Generated}}: {{.Generated}} · {{.T.Source}}: {{.Source}} · {{.T.Rows}}: {{.Rows}}</p>
</header>
<nav><h2>{{.T.Contents}}</h2><ul>
{{if .Scores}}<li><a href="#scores">{{.T.Scores}}</a></li>{{end}}
{{if .Drivers}}<li><a href="#drivers">{{.T.Drivers}}</a></li>{{end}}
{{if .Entropy}}<li><a href="#entropy">{{.T.Entropy}}</a></li>{{end}}
{{if .Distributions}}<li><a href="#distributions">{{.T.Distributions}}</a></li>{{end}}
{{if .Kano}}<li><a href="#kano">{{.T.Kano}}</a></li>{{end}}
</ul></nav>
<main>
{{- $t := .T}}
{{if .Scores}}
<section id="scores" class="section">
<h2>{{$t.Scores}}</h2>
<p class="note">{{$t.NeverWithoutN}}</p>
<table>
<thead><tr><th>{{$t.Kind}}</th><th>{{$t.Column}}</th><th>{{$t.N}}</th><th>{{$t.Dropped}}</th><th>{{$t.Value}}</th><th>{{$t.CI}}</th><th>{{$t.Reliability}}</th></tr></thead>
<tbody>
{{range .Scores}}<tr{{if .Unreliable}} class="wide"{{end}}><td>{{.Name}}</td><td>{{.Column}}</td><td class="num">{{.N}}</td><td class="num">{{.Dropped}}</td><td class="num">{{.ValueText}}</td><td class="num">{{.CIText}}</td><td>{{if .Unreliable}}<span class="warn">{{$t.Unreliable}}</span>{{else}}{{$t.Reliable}}{{end}}</td></tr>
{{end}}</tbody>
</table>
{{range .Scores}}<figure>
<h3>{{.Name}} · {{.Column}} (n = {{.N}})</h3>
{{.Chart}}
<figcaption class="note">{{.Detail}}{{if .Wide}}. <span class="warn">{{$t.UnreliableNote}}</span>{{end}}{{if .SmallSample}}. <span class="warn">{{$t.SmallSampleNote}}</span>{{end}}</figcaption>
</figure>
{{end}}
</section>
{{end}}
{{with .Drivers}}
<section id="drivers" class="section">
<h2>{{$t.Drivers}}: {{.Target}}</h2>
<p class="note">{{$t.DriversIntro}} {{$t.N}} = {{.N}}; {{$t.Dropped}}: {{.Dropped}}; {{$t.R2}} = {{f4 .R2}}.</p>
<table>
<thead><tr><th>{{$t.Predictor}}</th><th>{{$t.Mean}}</th><th>{{$t.R}}</th><th>{{$t.Beta}}</th><th>{{$t.RelWeight}}</th><th>{{$t.Share}}</th><th>{{$t.LMG}}</th><th>{{$t.Quadrant}}</th></tr></thead>
<tbody>
{{range .Predictors}}<tr><td>{{.Name}}</td><td class="num">{{f4 .Mean}}</td><td class="num">{{f4 .R}}</td><td class="num">{{f4 .Beta}}</td><td class="num">{{f4 .RelativeWeight}}</td><td class="num">{{pct .RelativeWeightShare}}</td><td class="num">{{f4 .LMG}}</td><td>{{quadrant $t .Quadrant}}</td></tr>
{{end}}</tbody>
</table>
<h3>{{$t.FixFirst}}</h3>
{{if .Fix}}<ol>{{range .Fix}}<li><strong>{{.Name}}</strong>: {{$t.Share}} {{pct .RelativeWeightShare}}, {{$t.Mean}} {{f4 .Mean}}</li>{{end}}</ol>{{else}}<p>{{$t.FixNone}}</p>{{end}}
<figure>
<h3>{{$t.IPAChart}}</h3>
{{.IPA}}
<figcaption class="note">{{.CrossHairs}}</figcaption>
</figure>
<figure>
<h3>{{$t.ShareChart}}</h3>
{{.Shares}}
</figure>
</section>
{{end}}
{{with .Entropy}}
<section id="entropy" class="section">
<h2>{{$t.Entropy}}</h2>
<p class="note">{{$t.EntropyIntro}} {{$t.Normalization}}: {{.Normalize}}; {{$t.N}} = {{len .Rows}}; {{$t.Dropped}}: {{.Dropped}}.</p>
<table>
<thead><tr><th>{{$t.Indicator}}</th><th>{{$t.EntropyCol}}</th><th>{{$t.Weight}}</th><th>{{$t.Type}}</th></tr></thead>
<tbody>
{{$e := .}}{{range $j, $name := .Indicators}}<tr><td>{{$name}}</td><td class="num">{{f6 (index $e.Entropy $j)}}</td><td class="num">{{f6 (index $e.Weights $j)}}</td><td>{{index $e.Types $j}}</td></tr>
{{end}}</tbody>
</table>
<figure><h3>{{$t.WeightChart}}</h3>{{.WeightChart}}</figure>
<table>
<thead><tr><th>{{$t.Rank}}</th><th>{{$t.Alternative}}</th><th>{{$t.Score}}</th></tr></thead>
<tbody>
{{range .Ranked}}<tr><td class="num">{{.Rank}}</td><td>{{.Name}}</td><td class="num">{{f4 .Score}}</td></tr>
{{end}}</tbody>
</table>
{{if lt (len .Ranked) (len .Rows)}}<p class="note">{{printf $t.TopOf (len .Ranked) (len .Rows)}}</p>{{end}}
<figure><h3>{{$t.ScoreChart}}</h3>{{.ScoreChart}}</figure>
</section>
{{end}}
{{if .Distributions}}
<section id="distributions" class="section">
<h2>{{$t.Distributions}}</h2>
<p class="note">{{$t.DistIntro}}</p>
{{range .Distributions}}<figure>
<h3>{{.Column}} ({{$t.N}} = {{.N}}, {{$t.Missing}} {{.Missing}}, {{$t.Mean}} {{f4 .Mean}})</h3>
{{.Chart}}
</figure>
{{end}}
</section>
{{end}}
{{with .Kano}}
<section id="kano" class="section">
<h2>{{$t.Kano}}</h2>
<table>
<thead><tr><th>{{$t.Attribute}}</th><th>{{$t.Category}}</th><th>A</th><th>O</th><th>M</th><th>I</th><th>R</th><th>Q</th><th>{{$t.Better}}</th><th>{{$t.Worse}}</th><th>{{$t.N}}</th></tr></thead>
<tbody>
{{range .Attributes}}<tr><td>{{.Name}}</td><td>{{if .Category}}{{.Category}} {{kanoName $t .Category}}{{else}}<span class="warn">{{$t.NotClassifiable}}</span>{{end}}</td><td class="num">{{.Counts.A}}</td><td class="num">{{.Counts.O}}</td><td class="num">{{.Counts.M}}</td><td class="num">{{.Counts.I}}</td><td class="num">{{.Counts.R}}</td><td class="num">{{.Counts.Q}}</td><td class="num">{{with .Better}}{{f4 .}}{{else}}—{{end}}</td><td class="num">{{with .Worse}}{{f4 .}}{{else}}—{{end}}</td><td class="num">{{.N}}</td></tr>
{{end}}</tbody>
</table>
</section>
{{end}}
</main>
<footer><p class="note">{{$t.Footer}}</p></footer>
</body>
</html>
`
