package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/parts"
	"github.com/aftercare/aftercare/internal/store"
)

// stockPage is a centre's stock, part by part, with its reorder alerts
// and the forms that move stock (receive or adjust, transfer, reorder
// point).
type stockPage struct {
	Base
	Centre     model.ServiceCentre
	Lines      []model.StockLevel
	Alerts     int
	CanMove    bool
	PartNos    []string // suggestions for the part inputs
	Centres    []Option // transfer destinations
	Move       stockForm
	Transfer   stockForm
	Reorder    stockForm
	Errors     FieldErrors
	FailedForm string // move, transfer or reorder: which form Errors belong to
	ExportCSV  string
	ExportXLSX string
}

// stockForm holds what was typed into one of the stock forms.
type stockForm struct {
	PartNo, Quantity, Kind, Note, To, Point string
}

// stockFields are the inputs a stock error can sit beside.
var stockFields = []string{"part_no", "quantity", "kind", "note", "to", "reorder_point"}

// loadStockPage reads a centre's stock for the page.
func (s *server) loadStockPage(r *http.Request) (*stockPage, error) {
	p := principalOf(r)
	c, lines, err := s.d.Parts.CentreStock(r.Context(), *p, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	page := &stockPage{Base: s.base(r, "centres"), Centre: *c, Lines: lines, CanMove: mayMoveStock(p, c),
		Move: stockForm{Kind: string(model.MoveReceive)}}
	for _, l := range lines {
		if l.Alert() {
			page.Alerts++
		}
	}
	if page.CanMove {
		if page.PartNos, err = s.allPartNos(r.Context(), *p); err != nil {
			return nil, err
		}
		cs, err := s.d.Network.ListCentres(r.Context(), *p, networkAll())
		if err != nil {
			return nil, err
		}
		for _, o := range centreOptions(cs, "", "") {
			if o.Value != c.Code {
				page.Centres = append(page.Centres, o)
			}
		}
	}
	base := "/centres/" + c.Code + "/stock?format="
	page.ExportCSV, page.ExportXLSX = base+"csv", base+"xlsx"
	return page, nil
}

// allPartNos lists every part number (for the inputs' suggestions).
func (s *server) allPartNos(ctx context.Context, p model.Principal) ([]string, error) {
	var out []string
	f := store.PartFilter{Limit: store.MaxPageSize}
	for range 50 {
		ps, next, err := s.d.Parts.ListParts(ctx, p, f)
		if err != nil {
			return nil, err
		}
		for _, x := range ps {
			out = append(out, x.PartNo)
		}
		if next == "" {
			break
		}
		f.After = next
	}
	return out, nil
}

// centreStock renders a centre's stock page, or downloads it.
func (s *server) centreStock(w http.ResponseWriter, r *http.Request) {
	if format := r.URL.Query().Get("format"); format != "" {
		s.stockExport(w, r, format)
		return
	}
	page, err := s.loadStockPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stock", page)
}

// stockExport downloads a centre's stock lines as CSV or XLSX.
func (s *server) stockExport(w http.ResponseWriter, r *http.Request, format string) {
	ft, err := export.ParseFormat(format)
	if err != nil {
		s.notFound(w, r)
		return
	}
	c, lines, err := s.d.Parts.CentreStock(r.Context(), *principalOf(r), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ew, err := s.startExport(w, r, ft, "stock-"+c.Code, "", s.tr(r, "stock.sheet"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tr := func(k string) string { return s.tr(r, k) }
	ew.Row(tr("stock.col.part_no"), tr("stock.col.part"), tr("stock.col.on_hand"), tr("stock.col.reserved"),
		tr("stock.col.available"), tr("stock.col.reorder_point"), tr("stock.col.alert"))
	for _, l := range lines {
		alert := ""
		if l.Alert() {
			alert = tr("stock.reorder")
		}
		ew.Row(l.PartNo, l.PartName, l.OnHand, l.Reserved, l.Available(), l.ReorderPoint, alert)
	}
	s.closeExport(r, ew)
}

// stockFail re-renders the stock page with the failed form's input and
// message, or the error page when the failure is not about the input.
func (s *server) stockFail(w http.ResponseWriter, r *http.Request, err error, which string, form stockForm) {
	if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE ||
		(code == model.ENOTFOUND && !strings.Contains(model.ErrorMessage(err), "part")) {
		s.fail(w, r, err)
		return
	}
	page, lerr := s.loadStockPage(r)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	page.FailedForm, page.Errors = which, s.errorsFrom(r, err, stockFields...)
	switch which {
	case "move":
		page.Move = form
	case "transfer":
		page.Transfer = form
	case "reorder":
		page.Reorder = form
	}
	s.render(w, r, statusOf(err), "stock", page)
}

// stockMove receives or adjusts a part's stock.
func (s *server) stockMove(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := stockForm{PartNo: strings.TrimSpace(f.Get("part_no")), Quantity: f.Get("quantity"), Kind: f.Get("kind"), Note: f.Get("note")}
	q, ok := parseInt(form.Quantity)
	if !ok {
		s.stockFail(w, r, model.FieldError("quantity", "must be a number"), "move", form)
		return
	}
	_, _, err := s.d.Parts.Move(r.Context(), *principalOf(r), r.PathValue("code"), parts.MoveInput{PartNo: form.PartNo,
		Quantity: q, Kind: model.MovementKind(form.Kind), Note: form.Note})
	if err != nil {
		s.stockFail(w, r, err, "move", form)
		return
	}
	s.flash(r, "flash.stock_moved")
	http.Redirect(w, r, "/centres/"+url.PathEscape(r.PathValue("code"))+"/stock", http.StatusSeeOther)
}

// stockTransfer sends units to another centre.
func (s *server) stockTransfer(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := stockForm{PartNo: strings.TrimSpace(f.Get("part_no")), Quantity: f.Get("quantity"), To: f.Get("to"), Note: f.Get("note")}
	q, ok := parseInt(form.Quantity)
	if !ok {
		s.stockFail(w, r, model.FieldError("quantity", "must be a number"), "transfer", form)
		return
	}
	_, _, err := s.d.Parts.Transfer(r.Context(), *principalOf(r), r.PathValue("code"), parts.TransferInput{PartNo: form.PartNo,
		Quantity: q, To: form.To, Note: form.Note})
	if err != nil {
		s.stockFail(w, r, err, "transfer", form)
		return
	}
	s.flash(r, "flash.stock_transferred")
	http.Redirect(w, r, "/centres/"+url.PathEscape(r.PathValue("code"))+"/stock", http.StatusSeeOther)
}

// stockReorder sets a part's reorder point.
func (s *server) stockReorder(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := stockForm{PartNo: strings.TrimSpace(f.Get("part_no")), Point: f.Get("reorder_point")}
	n, ok := parseInt(form.Point)
	if !ok {
		s.stockFail(w, r, model.FieldError("reorder_point", "must be a number"), "reorder", form)
		return
	}
	if _, err := s.d.Parts.SetReorderPoint(r.Context(), *principalOf(r), r.PathValue("code"), form.PartNo, n); err != nil {
		s.stockFail(w, r, err, "reorder", form)
		return
	}
	s.flash(r, "flash.reorder_set")
	http.Redirect(w, r, "/centres/"+url.PathEscape(r.PathValue("code"))+"/stock", http.StatusSeeOther)
}

// stockLinePage is a part's stock at a centre with its whole ledger.
type stockLinePage struct {
	Base
	Line                  *parts.Line
	ExportCSV, ExportXLSX string
}

// stockLine renders a ledger, or downloads it.
func (s *server) stockLine(w http.ResponseWriter, r *http.Request) {
	l, err := s.d.Parts.StockLine(r.Context(), *principalOf(r), r.PathValue("code"), r.PathValue("part_no"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format := r.URL.Query().Get("format"); format != "" {
		s.ledgerExport(w, r, format, l)
		return
	}
	base := "/centres/" + l.Centre.Code + "/stock/" + url.PathEscape(l.Part.PartNo) + "?format="
	s.render(w, r, http.StatusOK, "stock_line", stockLinePage{Base: s.base(r, "centres"), Line: l,
		ExportCSV: base + "csv", ExportXLSX: base + "xlsx"})
}

// ledgerExport downloads a ledger as CSV or XLSX, times in the centre's
// time zone.
func (s *server) ledgerExport(w http.ResponseWriter, r *http.Request, format string, l *parts.Line) {
	ft, err := export.ParseFormat(format)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ew, err := s.startExport(w, r, ft, "ledger-"+l.Centre.Code+"-"+l.Part.PartNo, "", s.tr(r, "ledger.sheet"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tr := func(k string) string { return s.tr(r, k) }
	ew.Row(tr("ledger.col.at"), tr("ledger.col.kind"), tr("ledger.col.quantity"), tr("ledger.col.on_hand"),
		tr("ledger.col.reserved"), tr("ledger.col.by"), tr("ledger.col.note"), tr("ledger.col.repair"),
		tr("ledger.col.counterpart"), tr("ledger.col.unit_cost"))
	loc := l.Centre.Location()
	for _, m := range l.Ledger {
		repair := ""
		if m.RepairID != nil {
			repair = itoa(*m.RepairID)
		}
		ew.Row(m.CreatedAt.In(loc), tr("movement."+string(m.Kind)), m.Quantity, m.OnHandAfter, m.ReservedAfter, m.ActorName,
			m.Note, repair, m.CounterpartCode, model.FormatMinor(m.UnitCost, l.Part.Currency))
	}
	s.closeExport(r, ew)
}

// alertsPage lists the reorder alerts of every centre.
type alertsPage struct {
	Base
	Lines []model.StockLevel
}

// stockAlerts renders the reorder alerts across centres.
func (s *server) stockAlerts(w http.ResponseWriter, r *http.Request) {
	lines, err := s.d.Parts.Alerts(r.Context(), *principalOf(r), "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "stock_alerts", alertsPage{Base: s.base(r, "alerts"), Lines: lines})
}

// stockFieldArgs is what the stock_fields template needs: one form's
// input and the messages that belong to it.
type stockFieldArgs struct {
	Form  stockForm
	page  *stockPage
	which string
}

// Err is the message for field when this form failed, else "".
func (a stockFieldArgs) Err(field string) string {
	if a.page.FailedForm != a.which {
		return ""
	}
	return a.page.Errors.Get(field)
}
