package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
)

// readForm reads an ordinary url-encoded form (service-network pages).
func (s *server) readForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	return r.PostForm, true
}

// cityOptions lists the cities of the distance search in the reader's
// language, with selected chosen.
func cityOptions(lang, selected string) []Option {
	out := []Option{{Value: "", Label: "—", Selected: selected == ""}}
	for _, c := range network.Cities {
		label := c.Zh
		if lang == i18n.En {
			label = c.En
		}
		out = append(out, Option{Value: c.En, Label: label, Selected: selected == c.En})
	}
	return out
}

// centreOptions lists centres for a select, with selected chosen; first
// is the label of the empty choice ("" leaves it out).
func centreOptions(cs []model.ServiceCentre, selected, first string) []Option {
	var out []Option
	if first != "" {
		out = append(out, Option{Value: "", Label: first, Selected: selected == ""})
	}
	for _, c := range cs {
		out = append(out, Option{Value: c.Code, Label: c.Code + " · " + c.Name, Selected: c.Code == selected})
	}
	return out
}

// parseInt reads an integer field; ok is false when it is not one.
func parseInt(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}

// parseFloat reads a number field.
func parseFloat(v string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return f, err == nil
}

// splitList reads a comma-, semicolon- or newline-separated list.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '\n' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// mayEditCentre reports whether p may open a centre's edit form: managers
// any centre, centre managers their own.
func mayEditCentre(p *model.Principal, c *model.ServiceCentre) bool {
	return p.Can(model.PermCentreManage) || (p.Can(model.PermCentreSchedule) && p.AtCentre(c.ID))
}

// mayMoveStock reports whether p may receive, adjust or transfer stock at
// centre c (the forms on the stock page).
func mayMoveStock(p *model.Principal, c *model.ServiceCentre) bool {
	return p.Can(model.PermStockMove) && (p.Role != model.RoleCentreManager || p.AtCentre(c.ID))
}

func strconvFloat(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// networkAll lists every centre, closed ones included.
func networkAll() network.Search { return network.Search{IncludeClosed: true} }
