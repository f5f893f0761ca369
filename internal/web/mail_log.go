package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/store"
)

// logNav is what the two mail logs (inbound and outbound) share around
// their tables: one select filter, the pager and the export links, all
// keeping the filter (partial "log_filter" and "log_nav").
type logNav struct {
	// Path is the log's page; Param and Label name its filter.
	Path, Param, Label string
	Options            []Option
	// NextURL pages on; FirstURL goes back to the newest rows.
	NextURL, FirstURL     string
	ExportCSV, ExportXLSX string
}

// newLogNav builds the links of a log page filtered by param = value,
// showing the page at cursor whose successor starts at next.
func newLogNav(path, param, label, value, cursor, next string, options []Option) logNav {
	link := func(extra url.Values) string {
		v := url.Values{}
		if value != "" {
			v.Set(param, value)
		}
		for k, x := range extra {
			v[k] = x
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	n := logNav{Path: path, Param: param, Label: label, Options: options,
		ExportCSV: link(url.Values{"format": {"csv"}}), ExportXLSX: link(url.Values{"format": {"xlsx"}})}
	if next != "" {
		n.NextURL = link(url.Values{"cursor": {next}})
	}
	if cursor != "" {
		n.FirstURL = link(nil)
	}
	return n
}

// pager is the links of a keyset-paged list (partial "pager").
type pager struct{ FirstURL, NextURL string }

// newPager links path with params (empty values left out) to the first
// page, when cursor shows a later one, and to the page after next.
func newPager(path string, params url.Values, cursor, next string) pager {
	link := func(c string) string {
		v := url.Values{}
		for k, x := range params {
			if len(x) > 0 && x[0] != "" {
				v[k] = x
			}
		}
		if c != "" {
			v.Set("cursor", c)
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	var p pager
	if cursor != "" {
		p.FirstURL = link("")
	}
	if next != "" {
		p.NextURL = link(next)
	}
	return p
}

// logExport downloads a whole log as CSV or XLSX: it pages through every
// row list returns (the page at cursor, and the next cursor), starting
// from the newest, MaxPageSize rows at a time, and writes each with row.
// An unknown format is a 404; an error on the first page is shown, a
// later one cuts the file short and is logged.
func logExport[T any](s *server, w http.ResponseWriter, r *http.Request, format, what, filter, sheet string, header []any,
	list func(ctx context.Context, cursor string, limit int) ([]T, string, error), row func(export.Writer, T)) {
	ft, err := export.ParseFormat(format)
	if err != nil {
		s.notFound(w, r)
		return
	}
	items, next, err := list(r.Context(), "", store.MaxPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ew, err := s.startExport(w, r, ft, what, filter, sheet)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ew.Row(header...)
	for {
		for _, it := range items {
			row(ew, it)
		}
		if next == "" {
			break
		}
		if items, next, err = list(r.Context(), next, store.MaxPageSize); err != nil {
			s.log.Error(what+" export", "err", err) // the file is cut short
			return
		}
	}
	if err := ew.Close(); err != nil {
		s.log.Error(what+" export", "err", err)
	}
}
