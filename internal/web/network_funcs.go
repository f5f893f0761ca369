package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// networkFuncs are the template functions of the service-network pages,
// bound to one language.
func networkFuncs(b *i18n.Bundle, lang string) template.FuncMap {
	return template.FuncMap{
		// money is an amount in minor units written in the major unit
		// with its currency: "880.00 CNY".
		"money": func(amount int64, currency string) string {
			return model.FormatMinor(amount, currency) + " " + currency
		},
		// major is an amount in minor units as a form value: "880.00".
		"major": func(amount int64, currency string) string { return model.FormatMinor(amount, currency) },
		// km is a distance to a tenth of a kilometre.
		"km": func(d float64) string { return fmt.Sprintf("%.1f km", d) },
		// hoursText is a week of opening hours, days with the same hours
		// run together: "Mon–Fri 09:00-18:00 · Sat 10:00-16:00".
		"hoursText": func(h model.OpeningHours) string { return hoursText(b, lang, h) },
		// stockArgs passes one stock form and its errors to stock_fields.
		"stockArgs": func(p *stockPage, f stockForm, which string) stockFieldArgs {
			return stockFieldArgs{Form: f, page: p, which: which}
		},
		// signed writes a quantity with its sign: +3, -2.
		"signed": func(n int64) string {
			if n > 0 {
				return fmt.Sprintf("+%d", n)
			}
			return fmt.Sprint(n)
		},
	}
}

func hoursText(b *i18n.Bundle, lang string, h model.OpeningHours) string {
	if !h.Recorded() {
		return b.T(lang, "hours.not_recorded")
	}
	var parts []string
	days := model.Weekdays
	for i := 0; i < len(days); {
		span := h.Day(days[i])
		j := i
		for j+1 < len(days) && h.Day(days[j+1]) == span {
			j++
		}
		if span != "" {
			name := b.T(lang, "weekday.short."+model.WeekdayKey(days[i]))
			if j > i {
				name += "–" + b.T(lang, "weekday.short."+model.WeekdayKey(days[j]))
			}
			parts = append(parts, name+" "+span)
		}
		i = j + 1
	}
	return strings.Join(parts, " · ")
}
