package web

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Who may use a route, checked before its handler runs. Checks that
// depend on the resource (a customer's own request) stay in the domain
// services.
type audience int

const (
	// visitors: anyone, logged in or not (login pages, static files).
	visitors audience = iota
	// staffWith: staff holding the route's permission; visitors go to the
	// staff login, customers get 404 (staff pages do not exist for them),
	// staff without the permission get 403.
	staffWith
	// customersWith: customers holding the permission (their own things
	// only); visitors go to the portal login, staff get 404.
	customersWith
	// signedIn: any logged-in staff user or customer holding the
	// permission; visitors go to the staff login.
	signedIn
)

// route is one page or action of the web UI: its pattern, who may use it
// (audience and permission, from the role matrix model.Grants) and its
// handler. The route-by-role test walks this table.
type route struct {
	Pattern  string
	Audience audience
	Perm     model.Permission
	handler  http.HandlerFunc
}

// table lists every route. It is a method so that the handlers are bound
// to s; Routes calls it on a nil server only to read the patterns and
// rules.
func (s *server) table() []route {
	return []route{
		{"GET /static/", visitors, "", nil}, // served by staticHandler

		// Visitors.
		{"GET /login", visitors, "", s.loginForm},
		{"POST /login", visitors, "", s.loginSubmit},
		{"POST /logout", visitors, "", s.logout},
		{"GET /portal/login", visitors, "", s.portalLoginForm},
		{"POST /portal/login", visitors, "", s.portalLoginSubmit},
		{"POST /portal/logout", visitors, "", s.logout},
		{"GET /portal/invite/{secret}", visitors, "", s.linkForm},
		{"POST /portal/invite/{secret}", visitors, "", s.linkSubmit},
		{"GET /portal/reset/{secret}", visitors, "", s.linkForm},
		{"POST /portal/reset/{secret}", visitors, "", s.linkSubmit},
		// The portal as an installable web app (nothing private in them).
		{"GET /portal/manifest.webmanifest", visitors, "", s.portalManifest},
		{"GET /portal/sw.js", visitors, "", s.portalServiceWorker},
		{"GET /portal/offline", visitors, "", s.portalOffline},
		{"GET /portal/icons/{file}", visitors, "", s.portalIcon},
		{"GET /portal/forgot", visitors, "", s.forgotForm},
		{"POST /portal/forgot", visitors, "", s.forgotSubmit},
		{"GET /portal/signup", visitors, "", s.signupForm},
		{"POST /portal/signup", visitors, "", s.signupSubmit},
		{"GET /portal/signup/verify", visitors, "", s.signupVerifyForm},
		{"POST /portal/signup/verify", visitors, "", s.signupVerifySubmit},
		{"POST /lang", visitors, "", s.switchLang},
		{"GET /{$}", visitors, "", s.home},
		// The public survey: its link's token is the credential.
		{"GET /s/done", visitors, "", s.surveyDone},
		{"GET /s/{token}", visitors, "", s.surveyShow},
		{"POST /s/{token}", visitors, "", s.surveySubmit},
		// The help centre and its assistant: public articles for everyone.
		{"GET /help", visitors, "", s.help},
		{"GET /help/{id}", visitors, "", s.helpArticle},
		{"POST /help/ask", visitors, "", s.helpAsk},
		{"POST /help/clear", visitors, "", s.helpClear},

		// Staff.
		{"GET /queue", staffWith, model.PermRequestRead, s.queue},
		{"GET /queue/export", staffWith, model.PermRequestExport, s.queueExport},
		{"GET /requests/new", staffWith, model.PermRequestOpen, s.requestNewForm},
		{"POST /requests/new", staffWith, model.PermRequestOpen, s.requestNewSubmit},
		{"GET /requests/{number}", staffWith, model.PermRequestRead, s.requestShow},
		{"POST /requests/{number}/reply", staffWith, model.PermRequestReply, s.requestReply},
		{"POST /requests/{number}/status", staffWith, model.PermRequestStatus, s.requestStatus},
		{"POST /requests/{number}/update", staffWith, model.PermRequestAssign, s.requestUpdate},
		{"POST /requests/{number}/tags", staffWith, model.PermRequestClassify, s.requestTags},
		{"POST /requests/{number}/merge", staffWith, model.PermRequestStatus, s.requestMerge},
		{"POST /requests/{number}/typing", staffWith, model.PermRequestReply, s.requestTyping},
		{"GET /api/v1/events/stream", signedIn, model.PermRequestRead, s.eventStream},
		{"POST /requests/{number}/tasks/{id}/done", staffWith, model.PermRequestNote, s.requestTaskDone},
		{"POST /requests/{number}/customer-tier", staffWith, model.PermCustomerTier, s.requestCustomerTier},
		{"POST /queue/views", staffWith, model.PermRequestRead, s.queueSaveView},
		{"POST /queue/views/{id}/rename", staffWith, model.PermRequestRead, s.queueRenameView},
		{"POST /queue/views/{id}/delete", staffWith, model.PermRequestRead, s.queueDeleteView},
		{"POST /queue/bulk", staffWith, model.PermRequestRead, s.queueBulk},
		{"GET /notifications", staffWith, model.PermRequestRead, s.noticeList},
		{"POST /notifications/read", staffWith, model.PermRequestRead, s.noticesRead},
		{"GET /notifications/{id}", staffWith, model.PermRequestRead, s.noticeOpen},
		{"GET /macros", staffWith, model.PermRequestReply, s.macroList},
		{"POST /macros", staffWith, model.PermRequestReply, s.macroSave},
		{"GET /macros/{id}", staffWith, model.PermRequestReply, s.macroEdit},
		{"POST /macros/{id}", staffWith, model.PermRequestReply, s.macroSave},
		{"POST /macros/{id}/delete", staffWith, model.PermRequestReply, s.macroDelete},
		{"POST /requests/{number}/invite", staffWith, model.PermCustomerInvite, s.requestInvite},
		{"GET /admin/audit", staffWith, model.PermAuditRead, s.auditLog},
		{"GET /admin/calendars", staffWith, model.PermCalendarRead, s.calendarList},
		{"GET /admin/calendars/new", staffWith, model.PermCalendarManage, s.calendarNewForm},
		{"POST /admin/calendars/new", staffWith, model.PermCalendarManage, s.calendarNewSubmit},
		{"GET /admin/calendars/{id}", staffWith, model.PermCalendarRead, s.calendarShow},
		{"GET /admin/calendars/{id}/edit", staffWith, model.PermCalendarManage, s.calendarEditForm},
		{"POST /admin/calendars/{id}/edit", staffWith, model.PermCalendarManage, s.calendarEditSubmit},
		{"POST /admin/teams/{id}/calendar", staffWith, model.PermCalendarManage, s.teamCalendarSubmit},
		{"GET /admin/webhooks", staffWith, model.PermWebhookManage, s.webhookList},
		{"POST /admin/webhooks", staffWith, model.PermWebhookManage, s.webhookCreate},
		{"GET /admin/webhooks/{id}", staffWith, model.PermWebhookManage, s.webhookShow},
		{"POST /admin/webhooks/{id}", staffWith, model.PermWebhookManage, s.webhookUpdate},
		{"POST /admin/webhooks/{id}/delete", staffWith, model.PermWebhookManage, s.webhookDelete},
		{"POST /admin/webhooks/{id}/deliveries/{delivery}/redeliver", staffWith, model.PermWebhookManage, s.webhookRedeliver},
		{"GET /admin/rules", staffWith, model.PermRuleManage, s.ruleList},
		{"POST /admin/rules", staffWith, model.PermRuleManage, s.ruleSave},
		{"GET /admin/rules/{id}", staffWith, model.PermRuleManage, s.ruleEdit},
		{"POST /admin/rules/{id}", staffWith, model.PermRuleManage, s.ruleSave},
		{"POST /admin/rules/{id}/delete", staffWith, model.PermRuleManage, s.ruleDelete},
		{"GET /admin/customers", staffWith, model.PermCustomerRead, s.customersList},
		{"GET /admin/customers/export", staffWith, model.PermRequestExport, s.customersExport},
		{"GET /admin/customers/new", staffWith, model.PermCustomerCreate, s.customerNewForm},
		{"POST /admin/customers/new", staffWith, model.PermCustomerCreate, s.customerNewSubmit},
		{"GET /admin/customers/{id}", staffWith, model.PermCustomerRead, s.customerShow},
		{"GET /admin/proofs/{id}", staffWith, model.PermCustomerRead, s.customerProof},
		{"GET /admin/customers/{id}/edit", staffWith, model.PermCustomerCreate, s.customerEditForm},
		{"POST /admin/customers/{id}/edit", staffWith, model.PermCustomerCreate, s.customerEditSubmit},
		{"POST /admin/customers/{id}/units", staffWith, model.PermUnitCreate, s.customerUnitSubmit},
		{"GET /admin/staff", staffWith, model.PermDirectoryRead, s.staffList},
		{"POST /admin/staff/{id}/skills", staffWith, model.PermUserManage, s.staffSkills},
		{"GET /admin/staff/new", staffWith, model.PermUserManage, s.staffNewForm},
		{"POST /admin/staff/new", staffWith, model.PermUserManage, s.staffNewSubmit},
		{"GET /admin/staff/{id}/edit", staffWith, model.PermUserManage, s.staffEditForm},
		{"POST /admin/staff/{id}/edit", staffWith, model.PermUserManage, s.staffEditSubmit},
		{"POST /admin/teams", staffWith, model.PermTeamManage, s.teamCreate},
		{"GET /admin/catalog", staffWith, model.PermProductRead, s.catalogAdmin},
		{"POST /admin/products", staffWith, model.PermProductManage, s.productCreate},
		{"POST /admin/categories", staffWith, model.PermCategoryManage, s.categoryCreate},
		{"GET /admin/products/{id}/edit", staffWith, model.PermProductManage, s.productEditForm},
		{"POST /admin/products/{id}", staffWith, model.PermProductManage, s.productUpdate},
		{"POST /admin/products/{id}/delete", staffWith, model.PermProductManage, s.productDelete},
		{"GET /admin/categories/{id}/edit", staffWith, model.PermCategoryManage, s.categoryEditForm},
		{"POST /admin/categories/{id}", staffWith, model.PermCategoryManage, s.categoryUpdate},
		{"POST /admin/categories/{id}/delete", staffWith, model.PermCategoryManage, s.categoryDelete},
		{"GET /admin/sla", staffWith, model.PermSLARead, s.slaAdmin},
		{"POST /admin/sla/policies", staffWith, model.PermSLAManage, s.policySave},
		{"POST /admin/sla/policies/{id}", staffWith, model.PermSLAManage, s.policySave},
		{"POST /admin/sla/policies/{id}/delete", staffWith, model.PermSLAManage, s.policyDelete},
		{"POST /admin/sla/tiers", staffWith, model.PermSLAManage, s.tierSave},
		{"POST /admin/sla/tiers/{key}/delete", staffWith, model.PermSLAManage, s.tierDelete},
		{"GET /sla/report", staffWith, model.PermSLARead, s.slaReport},
		{"GET /admin/mail", staffWith, model.PermMailRead, s.mailLog},
		{"GET /admin/mail/{id}", staffWith, model.PermMailRead, s.mailShow},
		{"GET /admin/mail/{id}/raw", staffWith, model.PermMailRead, s.mailRaw},
		{"POST /admin/mail/{id}/retry", staffWith, model.PermMailRead, s.mailRetry},
		{"GET /admin/outbound", staffWith, model.PermMailRead, s.outboundLog},
		{"GET /admin/outbound/{id}", staffWith, model.PermMailRead, s.outboundShow},
		{"POST /admin/outbound/{id}/resend", staffWith, model.PermMailRead, s.outboundResend},
		{"GET /admin/mail-templates", staffWith, model.PermMailTemplate, s.mailTemplates},
		{"GET /admin/mail-templates/{kind}/{locale}", staffWith, model.PermMailTemplate, s.mailTemplateForm},
		{"POST /admin/mail-templates/{kind}/{locale}", staffWith, model.PermMailTemplate, s.mailTemplateSave},
		{"POST /admin/mail-templates/{kind}/{locale}/reset", staffWith, model.PermMailTemplate, s.mailTemplateReset},
		{"GET /settings/notifications", staffWith, model.PermNotifyPrefs, s.notifications},
		{"POST /settings/notifications", staffWith, model.PermNotifyPrefs, s.notificationsSave},

		// Staff: the service network, parts and extended warranty.
		{"GET /centres", staffWith, model.PermCentreRead, s.centres},
		{"GET /centres/new", staffWith, model.PermCentreManage, s.centreNewForm},
		{"POST /centres/new", staffWith, model.PermCentreManage, s.centreNewSubmit},
		{"GET /centres/{code}/edit", staffWith, model.PermCentreSchedule, s.centreEditForm},
		{"POST /centres/{code}/edit", staffWith, model.PermCentreSchedule, s.centreEditSubmit},
		{"GET /centres/{code}/stock", staffWith, model.PermStockRead, s.centreStock},
		{"POST /centres/{code}/stock", staffWith, model.PermStockMove, s.stockMove},
		{"POST /centres/{code}/stock/transfer", staffWith, model.PermStockMove, s.stockTransfer},
		{"POST /centres/{code}/stock/reorder", staffWith, model.PermStockMove, s.stockReorder},
		{"GET /centres/{code}/stock/{part_no}", staffWith, model.PermStockRead, s.stockLine},
		{"GET /stock/alerts", staffWith, model.PermStockRead, s.stockAlerts},
		{"GET /parts", staffWith, model.PermPartRead, s.partsList},
		{"POST /parts", staffWith, model.PermPartManage, s.partCreate},
		{"GET /appointments", staffWith, model.PermAppointmentRead, s.appointments},
		{"GET /appointments/new", staffWith, model.PermAppointmentBook, s.appointmentNewForm},
		{"POST /appointments/new", staffWith, model.PermAppointmentBook, s.appointmentNewSubmit},
		{"POST /appointments/{id}/cancel", staffWith, model.PermAppointmentBook, s.appointmentCancel},
		{"GET /plans", staffWith, model.PermProductRead, s.plans},
		{"POST /plans", staffWith, model.PermPlanManage, s.planCreate},
		{"GET /units/{serial}", staffWith, model.PermWarrantyCheck, s.unitShow},
		{"POST /units/{serial}/plans", staffWith, model.PermPlanSell, s.unitSellPlan},
		// Repairs and revenue.
		{"GET /repairs", staffWith, model.PermRepairRead, s.repairsList},
		{"GET /repairs/{id}", staffWith, model.PermRepairRead, s.repairShow},
		{"POST /repairs/{id}/stage", staffWith, model.PermRepairStep, s.repairStep},
		{"POST /repairs/{id}/quote", staffWith, model.PermRepairWork, s.repairQuote},
		{"POST /repairs/{id}/approval", staffWith, model.PermRepairApprove, s.repairAnswer},
		{"POST /repairs/{id}/parts", staffWith, model.PermRepairWork, s.repairReserve},
		{"POST /requests/{number}/repair", staffWith, model.PermRepairOpen, s.requestOpenRepair},
		{"GET /admin/prices", staffWith, model.PermRepairRead, s.prices},
		{"POST /admin/prices/fault-codes", staffWith, model.PermPriceManage, s.faultCodeSave},
		{"POST /admin/prices/labour", staffWith, model.PermPriceManage, s.labourSave},
		{"POST /admin/prices/return-policies", staffWith, model.PermReturnPolicy, s.policySaveReturn},
		{"GET /returns", staffWith, model.PermReturnHandle, s.returnsList},
		{"GET /returns/{id}", staffWith, model.PermReturnHandle, s.returnShow},
		{"POST /returns/{id}/decision", staffWith, model.PermReturnHandle, s.returnDecide},
		{"POST /returns/{id}/step", staffWith, model.PermReturnHandle, s.returnStep},
		{"GET /reports/revenue", staffWith, model.PermRevenueRead, s.revenuePage},
		// Feedback: surveys, follow-up calls, complaints.
		{"GET /feedback", staffWith, model.PermFeedbackAnalyze, s.feedback},
		{"GET /feedback/export", staffWith, model.PermFeedbackAnalyze, s.feedbackExport},
		{"GET /analytics", staffWith, model.PermFeedbackAnalyze, s.analyticsPageView},
		{"GET /analytics/export", staffWith, model.PermFeedbackAnalyze, s.analyticsExport},
		{"POST /analytics/expert-weights", staffWith, model.PermIndexWeights, s.analyticsWeightsSave},
		{"POST /analytics/expert-weights/clear", staffWith, model.PermIndexWeights, s.analyticsWeightsClear},
		{"GET /followups", staffWith, model.PermFollowupCall, s.followupQueue},
		{"GET /followups/{id}", staffWith, model.PermFollowupCall, s.followupShow},
		{"POST /followups/{id}/calls", staffWith, model.PermFollowupCall, s.followupCall},
		{"GET /admin/survey", staffWith, model.PermSurveyManage, s.surveyAdmin},
		{"POST /admin/survey", staffWith, model.PermSurveyManage, s.surveyAdminSave},
		{"POST /requests/{number}/complaint", staffWith, model.PermComplaintHandle, s.complaintSeverity},
		{"POST /requests/{number}/compensations", staffWith, model.PermComplaintHandle, s.compensationAdd},
		{"POST /compensations/{id}/decision", staffWith, model.PermCompensationApprove, s.compensationDecide},

		// Staff: the knowledge base.
		{"GET /kb", staffWith, model.PermKBRead, s.kbList},
		{"GET /kb/new", staffWith, model.PermKBWrite, s.kbNewForm},
		{"POST /kb/new", staffWith, model.PermKBWrite, s.kbNewSubmit},
		{"GET /kb/report", staffWith, model.PermKBReport, s.kbReport},
		{"GET /kb/{id}", staffWith, model.PermKBRead, s.kbShow},
		{"GET /kb/{id}/edit", staffWith, model.PermKBWrite, s.kbEditForm},
		{"POST /kb/{id}/edit", staffWith, model.PermKBWrite, s.kbEditSubmit},
		{"GET /kb/{id}/suggest", staffWith, model.PermKBSuggest, s.kbEditForm},
		{"POST /kb/{id}/suggest", staffWith, model.PermKBSuggest, s.kbSuggestSubmit},
		{"POST /kb/suggestions/{id}/apply", staffWith, model.PermKBWrite, s.kbDecide},
		{"POST /kb/suggestions/{id}/dismiss", staffWith, model.PermKBWrite, s.kbDecide},

		// Staff and customers (the domain service decides what each may see).
		{"GET /attachments/{id}", signedIn, model.PermRequestRead, s.attachment},

		// Customers.
		{"GET /portal", customersWith, model.PermRequestRead, s.portalList},
		{"GET /portal/requests/new", customersWith, model.PermRequestOpen, s.portalNewForm},
		{"POST /portal/requests/new", customersWith, model.PermRequestOpen, s.portalNewSubmit},
		{"GET /portal/requests/new/suggest", customersWith, model.PermRequestOpen, s.portalSuggest},
		{"POST /portal/assistant/handoff", customersWith, model.PermRequestOpen, s.helpHandoff},
		{"GET /portal/requests/{number}", customersWith, model.PermRequestRead, s.portalShow},
		{"POST /portal/requests/{number}/reply", customersWith, model.PermRequestReply, s.portalReply},
		{"POST /portal/requests/{number}/status", customersWith, model.PermRequestStatus, s.portalStatus},
		{"POST /portal/requests/{number}/repair/approval", customersWith, model.PermRepairApprove, s.portalRepairAnswer},
		{"GET /portal/repairs/new", customersWith, model.PermRepairOpen, s.portalRepairNew},
		{"POST /portal/repairs/new", customersWith, model.PermRepairOpen, s.portalRepairSubmit},
		{"GET /portal/products", customersWith, model.PermWarrantyCheck, s.portalProducts},
		{"GET /portal/products/register", customersWith, model.PermUnitRegister, s.portalRegisterForm},
		{"POST /portal/products/register", customersWith, model.PermUnitRegister, s.portalRegisterSubmit},
		{"GET /portal/returns/new", customersWith, model.PermReturnOpen, s.portalReturnNew},
		{"POST /portal/returns/new", customersWith, model.PermReturnOpen, s.portalReturnSubmit},
	}
}

// RouteRule describes one route of the web UI for tests and docs.
type RouteRule struct {
	Pattern string
	// Who is "visitors", "staff", "customers" or "signed-in".
	Who  string
	Perm model.Permission
}

// Routes lists the web UI's routes with who may use them.
func Routes() []RouteRule {
	var out []RouteRule
	for _, rt := range (*server)(nil).table() {
		out = append(out, RouteRule{Pattern: rt.Pattern, Who: [...]string{"visitors", "staff", "customers", "signed-in"}[rt.Audience], Perm: rt.Perm})
	}
	return out
}

// routes builds the mux from the table and wraps it in the middleware
// every request passes: panic recovery, security headers, CSRF protection
// for unsafe methods, sessions, the principal and the display language.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.table() {
		if rt.handler == nil { // static files
			mux.Handle(rt.Pattern, http.StripPrefix("/static/", staticHandler(s.static)))
			continue
		}
		mux.Handle(rt.Pattern, s.guard(rt))
	}
	mux.HandleFunc("/", s.notFound)

	var h http.Handler = mux
	h = withLang(h)
	h = s.loadPrincipal(h)
	h = s.sessions.LoadAndSave(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = securityHeaders(h)
	return s.recoverPanics(h)
}

// guard checks a route's audience and permission before its handler.
func (s *server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := principalOf(r)
		switch rt.Audience {
		case visitors:
		case staffWith:
			switch {
			case p == nil:
				redirectToLogin(w, r, "/login")
				return
			case !p.IsStaff():
				s.notFound(w, r)
				return
			case !p.Can(rt.Perm):
				s.forbidden(w, r)
				return
			}
		case customersWith:
			switch {
			case p == nil:
				redirectToLogin(w, r, "/portal/login")
				return
			case !p.IsCustomer() || !p.Can(rt.Perm):
				s.notFound(w, r)
				return
			}
		case signedIn:
			switch {
			case p == nil:
				redirectToLogin(w, r, "/login")
				return
			case !p.Can(rt.Perm):
				s.notFound(w, r)
				return
			}
		}
		rt.handler(w, r)
	})
}

// home sends staff to the queue, customers to the portal and visitors to
// the portal's login: most who type the bare address are customers (the
// login pages link to each other, and staff keep /queue).
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	switch {
	case p == nil:
		http.Redirect(w, r, "/portal/login", http.StatusSeeOther)
	case p.IsCustomer():
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
	}
}

// staticHandler serves the embedded CSS and vendored scripts.
func staticHandler(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // the URL changes with the content
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	})
}
