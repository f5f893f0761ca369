package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
	"github.com/aftercare/aftercare/internal/store"
)

// repairsPage lists repair orders (technicians and centre managers:
// their centre's).
type repairsPage struct {
	Base
	Repairs []model.Repair
	Stages  []Option
}

func (s *server) repairsList(w http.ResponseWriter, r *http.Request) {
	stage := model.RepairStage(r.URL.Query().Get("stage"))
	if stage != "" && !stage.Valid() {
		stage = ""
	}
	list, err := s.d.Repairs.List(r.Context(), *principalOf(r), store.RepairFilter{Stage: stage, Limit: 300})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := &repairsPage{Base: s.base(r, "repairs"), Repairs: list,
		Stages: []Option{{Value: "", Label: s.tr(r, "repair.all_stages"), Selected: stage == ""}}}
	for _, st := range model.RepairStages() {
		page.Stages = append(page.Stages, Option{Value: string(st), Label: s.tr(r, "repair.stage."+string(st)), Selected: st == stage})
	}
	s.render(w, r, http.StatusOK, "repairs", page)
}

// repairPage is a repair order with its stage buttons, quote editor and
// parts.
type repairPage struct {
	Base
	Repair     *model.Repair
	Next       []model.RepairStage
	FaultCodes []model.FaultCode
	Parts      []model.Part
	Alerts     []model.StockLevel // the centre's reorder alerts
	CanWork    bool
	CanAnswer  bool
	Error      string
	QuoteRows  []int
	Lang       string
}

func (s *server) loadRepairPage(r *http.Request) (*repairPage, error) {
	p := principalOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.Errorf(model.ENOTFOUND, "repair not found")
	}
	rp, err := s.d.Repairs.Get(r.Context(), *p, id)
	if err != nil {
		return nil, err
	}
	page := &repairPage{Base: s.base(r, "repairs"), Repair: rp, Next: repair.NextStages(*p, rp),
		CanWork: p.Can(model.PermRepairWork), QuoteRows: []int{0, 1, 2, 3, 4}, Lang: langOf(r),
		CanAnswer: p.Can(model.PermRepairApprove) && rp.Approval == model.ApprovalPending}
	if page.FaultCodes, err = s.d.Repairs.FaultCodes(r.Context(), *p, rp.Category); err != nil {
		return nil, err
	}
	if page.Parts, _, err = s.d.Store.ListParts(r.Context(), store.PartFilter{SKU: s.skuOf(r, rp), Limit: 100}); err != nil {
		return nil, err
	}
	if page.Alerts, err = s.d.Parts.Alerts(r.Context(), *p, rp.CentreCode); err != nil {
		return nil, err
	}
	return page, nil
}

// skuOf is the model of the repair's unit, "" when it has none.
func (s *server) skuOf(r *http.Request, rp *model.Repair) string {
	if rp.Serial == "" {
		return ""
	}
	u, err := s.d.Store.UnitBySerial(r.Context(), rp.Serial)
	if err != nil {
		return ""
	}
	return u.SKU
}

func (s *server) repairShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadRepairPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "repair", page)
}

// repairDone redirects back to the repair page after an action, or shows
// it again with the action's error.
func (s *server) repairDone(w http.ResponseWriter, r *http.Request, err error, flash string) {
	if err == nil {
		s.flash(r, flash)
		http.Redirect(w, r, "/repairs/"+url.PathEscape(r.PathValue("id")), http.StatusSeeOther)
		return
	}
	if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE ||
		code == model.ENOTFOUND && strings.Contains(model.ErrorMessage(err), "repair") {
		s.fail(w, r, err)
		return
	}
	page, lerr := s.loadRepairPage(r)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	page.Error = s.errText(r, err)
	s.render(w, r, statusOf(err), "repair", page)
}

func repairID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// repairStep moves a repair to the stage of the button pressed.
func (s *server) repairStep(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := repair.StepInput{Stage: model.RepairStage(f.Get("stage")), Note: f.Get("note"), Condition: f.Get("condition"),
		Accessories: f.Get("accessories"), FaultCodes: f["fault_codes"], Carrier: f.Get("carrier"), TrackingNo: f.Get("tracking_no")}
	if in.Stage == model.StageReady {
		pass := true
		in.TestPassed = &pass
	}
	_, err := s.d.Repairs.Step(r.Context(), *principalOf(r), repairID(r), in)
	s.repairDone(w, r, err, "flash.repair_moved")
}

// repairQuote writes the quote from the editor's rows; prices are typed
// in the major unit, empty rows are skipped.
func (s *server) repairQuote(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	var lines []repair.LineInput
	for i := range 5 {
		n := strconv.Itoa(i)
		kind, partNo, code, desc := f.Get("kind"+n), strings.TrimSpace(f.Get("part_no"+n)), strings.TrimSpace(f.Get("code"+n)),
			strings.TrimSpace(f.Get("description"+n))
		qty, price := strings.TrimSpace(f.Get("quantity"+n)), strings.TrimSpace(f.Get("unit_price"+n))
		if partNo == "" && code == "" && desc == "" && price == "" {
			continue
		}
		l := repair.LineInput{Kind: model.QuoteLineKind(kind), PartNo: partNo, Code: code, Description: desc}
		if qty != "" {
			q, ok := parseInt(qty)
			if !ok {
				s.repairDone(w, r, model.FieldError("quantity", "must be between 1 and 1000"), "")
				return
			}
			l.Quantity = q
		}
		if price != "" {
			v, ok := model.ParseMajor(price, s.d.Repairs.Currency())
			if !ok {
				s.repairDone(w, r, model.FieldError("unit_price", "must be an amount like 199.50"), "")
				return
			}
			l.UnitPrice = &v
		}
		lines = append(lines, l)
	}
	_, err := s.d.Repairs.Quote(r.Context(), *principalOf(r), repairID(r), lines)
	s.repairDone(w, r, err, "flash.repair_quoted")
}

// repairAnswer records the customer's answer, given to staff.
func (s *server) repairAnswer(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	_, err := s.d.Repairs.Answer(r.Context(), *principalOf(r), repairID(r), f.Get("action") == "approve", f.Get("note"))
	s.repairDone(w, r, err, "flash.repair_answered")
}

// repairReserve reserves a part at the repair's centre.
func (s *server) repairReserve(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	qty, ok := parseInt(f.Get("quantity"))
	if !ok {
		qty = 0
	}
	_, err := s.d.Repairs.ReservePart(r.Context(), *principalOf(r), repairID(r), f.Get("part_no"), qty, f.Get("wait_if_short") != "")
	s.repairDone(w, r, err, "flash.part_reserved")
}

// requestOpenRepair opens the repair order of a request from its page.
func (s *server) requestOpenRepair(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	rp, err := s.d.Repairs.Open(r.Context(), *principalOf(r), r.PathValue("number"),
		repair.OpenInput{Mode: model.RepairMode(f.Get("mode")), Centre: f.Get("centre")})
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE || code == model.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(p *requestPage) { p.RepairError = s.errText(r, err) })
		return
	}
	s.flash(r, "flash.repair_opened")
	http.Redirect(w, r, "/repairs/"+strconv.FormatInt(rp.ID, 10), http.StatusSeeOther)
}

// portalRepairAnswer is the customer's approve or decline of a quote.
func (s *server) portalRepairAnswer(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	view, err := s.d.Requests.Get(r.Context(), *p, r.PathValue("number"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp, err := s.d.Repairs.ForRequest(r.Context(), view.Request.ID)
	if err == nil && rp == nil {
		err = model.Errorf(model.ENOTFOUND, "repair not found")
	}
	if err == nil {
		_, err = s.d.Repairs.Answer(r.Context(), *p, rp.ID, f.Get("action") == "approve", f.Get("note"))
	}
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE || code == model.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		s.rerenderPortalRequest(w, r, statusOf(err), func(p *portalRequestPage) { p.RepairError = s.errText(r, err) })
		return
	}
	s.flash(r, "flash.repair_answered")
	http.Redirect(w, r, "/portal/requests/"+url.PathEscape(view.Request.Number), http.StatusSeeOther)
}

// loadRepairPanel fills the request page's repair panel.
func (s *server) loadRepairPanel(r *http.Request, page *requestPage) error {
	rp, err := s.d.Repairs.ForRequest(r.Context(), page.Req.ID)
	if err != nil {
		return err
	}
	page.Repair = rp
	if page.Return, err = s.d.Repairs.ReturnForRequest(r.Context(), page.Req.ID); err != nil {
		return err
	}
	p := principalOf(r)
	if rp != nil || !p.Can(model.PermRepairOpen) || page.Req.Status == model.StatusClosed || page.Req.Status == model.StatusCancelled {
		return nil
	}
	page.CanOpenRepair = true
	cs, err := s.d.Store.ListCentres(r.Context(), store.CentreFilter{})
	if err != nil {
		return err
	}
	page.RepairCentres = centreOptions(cs, "", "")
	return nil
}
