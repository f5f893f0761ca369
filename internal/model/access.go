package model

import "slices"

// Permission names one thing a principal may do. The role matrix (Grants)
// is the single truth that the API, the web UI and the domain services
// consult, and that the README's role table is checked against.
type Permission string

// Permissions, in the order the README's role table lists them.
const (
	PermRequestOpen      Permission = "request.open"      // open a service request
	PermRequestRead      Permission = "request.read"      // read requests, their messages and timeline
	PermRequestReply     Permission = "request.reply"     // write a public reply
	PermRequestNote      Permission = "request.note"      // write an internal note
	PermRequestStatus    Permission = "request.status"    // move a request through the workflow
	PermRequestAssign    Permission = "request.assign"    // set the assignee
	PermRequestClassify  Permission = "request.classify"  // set priority, team, category and tags
	PermRequestExport    Permission = "request.export"    // download queue views and the customer list as CSV/XLSX
	PermAttachmentUpload Permission = "attachment.upload" // upload files to a request
	PermCustomerRead     Permission = "customer.read"     // read customer records
	PermCustomerCreate   Permission = "customer.create"   // create customers
	PermCustomerInvite   Permission = "customer.invite"   // issue portal invites
	PermUnitCreate       Permission = "unit.create"       // register units (sets purchase date, hence warranty)
	PermUnitRegister     Permission = "unit.register"     // register one's own product by its serial number
	PermWarrantyCheck    Permission = "warranty.check"    // check a unit's warranty entitlement
	PermProductRead      Permission = "product.read"      // list product models
	PermProductManage    Permission = "product.manage"    // create product models and warranty policies
	PermCategoryRead     Permission = "category.read"     // read the category tree
	PermCategoryManage   Permission = "category.manage"   // add categories
	PermDirectoryRead    Permission = "directory.read"    // list staff users and teams
	PermTeamManage       Permission = "team.manage"       // create teams
	PermCalendarRead     Permission = "calendar.read"     // read business calendars, ask when a target is due
	PermCalendarManage   Permission = "calendar.manage"   // create and change calendars, give teams their calendar
	PermUserManage       Permission = "user.manage"       // create and change staff users and roles
	PermAuditRead        Permission = "audit.read"        // read the audit log
	PermWebhookManage    Permission = "webhook.manage"    // manage outgoing webhooks and read their deliveries
	PermMailRead         Permission = "mail.read"         // read the inbound and outbound mail logs and raw messages
	PermMailTemplate     Permission = "mail.template"     // edit the e-mail templates
	PermNotifyPrefs      Permission = "notify.prefs"      // choose one's own e-mail notifications
	PermCentreRead       Permission = "centre.read"       // list service centres (customers pick one)
	PermCentreManage     Permission = "centre.manage"     // create service centres and change them
	PermCentreSchedule   Permission = "centre.schedule"   // change a centre's opening hours and daily capacity
	PermPartRead         Permission = "part.read"         // read the parts catalogue
	PermPartManage       Permission = "part.manage"       // add parts and change their prices
	PermStockRead        Permission = "stock.read"        // read stock and its ledger
	PermStockMove        Permission = "stock.move"        // receive, adjust and transfer stock; set reorder points
	PermAppointmentRead  Permission = "appointment.read"  // read appointments and day views
	PermAppointmentBook  Permission = "appointment.book"  // book and cancel appointments
	PermPlanManage       Permission = "plan.manage"       // create extended-warranty plans
	PermPlanSell         Permission = "plan.sell"         // sell a plan on a unit (it extends the warranty)
	// Feedback: surveys, follow-up calls, complaints.
	PermSurveyRead          Permission = "survey.read"          // a request's survey invitation, link and response
	PermSurveyManage        Permission = "survey.manage"        // edit the survey template (a new version each time)
	PermFeedbackAnalyze     Permission = "feedback.analyze"     // list and export survey responses, response rates
	PermFollowupCall        Permission = "followup.call"        // work the follow-up call queue
	PermComplaintHandle     Permission = "complaint.handle"     // set a complaint's severity, record compensation
	PermCompensationApprove Permission = "compensation.approve" // approve compensation above the threshold
	// Repairs, returns and revenue.
	PermRepairOpen    Permission = "repair.open"    // open a repair order for a request
	PermRepairRead    Permission = "repair.read"    // read repair orders, their quotes and history
	PermRepairStep    Permission = "repair.step"    // move repairs through their stages (agents: the desk's steps)
	PermRepairWork    Permission = "repair.work"    // diagnose, quote, reserve parts, the bench's stages
	PermRepairApprove Permission = "repair.approve" // approve or decline a quote (staff: on the customer's behalf)
	PermPriceManage   Permission = "price.manage"   // keep the labour price list and fault codes
	PermReturnPolicy  Permission = "return.policy"  // set return and exchange policies per category
	PermReturnOpen    Permission = "return.open"    // ask for a return or exchange
	PermReturnHandle  Permission = "return.handle"  // decide returns under review, receive, inspect, refund, replace
	PermRevenueRead   Permission = "revenue.read"   // read the revenue report
	// Service levels: SLA policies, customer tiers.
	PermSLARead      Permission = "sla.read"      // read SLA policies and the promised-vs-achieved report
	PermSLAManage    Permission = "sla.manage"    // create and change SLA policies and customer tiers
	PermCustomerTier Permission = "customer.tier" // set a customer's tier
	PermRuleManage   Permission = "rule.manage"   // read and change automation rules
	// Knowledge base: everyone reads public articles (visitors too), staff
	// read internal ones and drafts.
	PermKBRead    Permission = "kb.read"    // read internal articles and drafts, the editor's history
	PermKBWrite   Permission = "kb.write"   // write and publish knowledge-base articles
	PermKBSuggest Permission = "kb.suggest" // suggest an edit to an article
	PermKBReport  Permission = "kb.report"  // deflection and search-gap reports
	// Agent console: saved views and macros are personal; sharing one
	// puts it in every staff user's console.
	PermViewShare Permission = "view.share" // share saved queue views and macros with all staff

	// Analytics settings.
	PermIndexWeights Permission = "analytics.weights" // enter the composite index's expert (AHP) weights
)

// Summary says in a few words what a permission allows (for the role
// table in the README and "aftercare roles").
func (p Permission) Summary() string {
	switch p {
	case PermRequestOpen:
		return "open service requests"
	case PermRequestRead:
		return "read requests, their messages and timeline (customers: never internal notes)"
	case PermRequestReply:
		return "reply publicly"
	case PermRequestNote:
		return "write internal notes"
	case PermRequestStatus:
		return "move requests through the workflow (customers: cancel and reopen; technicians: all but cancel)"
	case PermRequestAssign:
		return "assign requests to an agent"
	case PermRequestClassify:
		return "set priority, team, category and tags"
	case PermRequestExport:
		return "export queue views and the customer list (CSV, XLSX)"
	case PermAttachmentUpload:
		return "upload files to requests"
	case PermCustomerRead:
		return "read customer records"
	case PermCustomerCreate:
		return "create customers"
	case PermCustomerInvite:
		return "issue portal invites (customers without a password)"
	case PermUnitCreate:
		return "register units (the purchase date sets the warranty)"
	case PermUnitRegister:
		return "register a product one bought by its serial number, with a proof of purchase"
	case PermWarrantyCheck:
		return "check warranty entitlement"
	case PermProductRead:
		return "list product models and extended-warranty plans"
	case PermProductManage:
		return "create product models and warranty policies"
	case PermCategoryRead:
		return "read the category tree"
	case PermCategoryManage:
		return "add categories"
	case PermDirectoryRead:
		return "list staff users and teams"
	case PermTeamManage:
		return "create teams"
	case PermCalendarRead:
		return "read business calendars; compute due times and business durations"
	case PermCalendarManage:
		return "create and change business calendars; set a team's calendar"
	case PermUserManage:
		return "create staff users, change roles, deactivate"
	case PermAuditRead:
		return "read the audit log"
	case PermWebhookManage:
		return "manage outgoing webhooks (their secrets sign what is sent), see and redeliver deliveries"
	case PermMailRead:
		return "read the inbound and outbound mail logs and raw messages; retry failed mail, resend mail"
	case PermMailTemplate:
		return "edit the e-mail templates (both languages)"
	case PermNotifyPrefs:
		return "choose which e-mail notifications one gets"
	case PermCentreRead:
		return "list service centres, nearest first (customers: to pick one)"
	case PermCentreManage:
		return "add service centres and change them"
	case PermCentreSchedule:
		return "change a centre's opening hours and daily capacity (centre managers: their own)"
	case PermPartRead:
		return "read the parts catalogue"
	case PermPartManage:
		return "add parts, set their cost and price"
	case PermStockRead:
		return "read stock, its ledger and reorder alerts"
	case PermStockMove:
		return "receive, adjust and transfer stock, set reorder points (centre managers: their own centre)"
	case PermAppointmentRead:
		return "read appointments and day views (customers: their own)"
	case PermAppointmentBook:
		return "book and cancel appointments (centre staff: at their centre; customers: their own requests)"
	case PermPlanManage:
		return "create extended-warranty plans"
	case PermPlanSell:
		return "sell an extended-warranty plan on a unit"
	case PermSurveyRead:
		return "see a request's survey invitation, its link and the answers"
	case PermSurveyManage:
		return "edit the survey template (each edit is a new version)"
	case PermFeedbackAnalyze:
		return "list and export survey responses, see response rates"
	case PermFollowupCall:
		return "work the follow-up call queue and record calls"
	case PermComplaintHandle:
		return "set a complaint's severity, record compensation"
	case PermCompensationApprove:
		return "approve or reject compensation above the approval threshold"
	case PermRepairOpen:
		return "open a repair order for a request (customers: their own)"
	case PermRepairRead:
		return "read repair orders, quotes, parts and history (customers: their own)"
	case PermRepairStep:
		return "move repairs through their stages (centre staff: their centre; agents: receipt, return, completion and cancellation only)"
	case PermRepairWork:
		return "diagnose, write quotes, reserve parts, repair and test (centre staff: their centre)"
	case PermRepairApprove:
		return "approve or decline a quote (customers: their own; staff: on the customer's behalf)"
	case PermPriceManage:
		return "keep the labour price list and the fault codes"
	case PermReturnPolicy:
		return "set the return and exchange policy of a product category"
	case PermReturnOpen:
		return "ask for a return or exchange (customers: their own requests)"
	case PermReturnHandle:
		return "decide returns under review; record receipt, inspection, refund and replacement"
	case PermRevenueRead:
		return "read the revenue report (CSV, XLSX)"
	case PermSLARead:
		return "read SLA policies and the promised-vs-achieved report per tier"
	case PermSLAManage:
		return "create, change and delete SLA policies and customer tiers"
	case PermCustomerTier:
		return "set a customer's tier (it selects the SLA policy of new requests)"
	case PermRuleManage:
		return "read and change automation rules (routing, escalation, device events)"
	case PermKBRead:
		return "read internal knowledge-base articles, drafts and their history (everyone reads public articles)"
	case PermKBWrite:
		return "write, publish and translate knowledge-base articles; apply suggested edits"
	case PermKBSuggest:
		return "suggest an edit to a knowledge-base article"
	case PermIndexWeights:
		return "enter the composite index's expert (AHP) weights, used by every manager's index"
	case PermKBReport:
		return "see the knowledge base's deflection and search-gap reports"
	case PermViewShare:
		return "share saved queue views and macros with all staff (everyone keeps personal ones)"
	}
	return string(p)
}

// Grant says who holds a permission: the staff roles listed, and
// customers when Own is set — customers act only on their own requests,
// units and record.
type Grant struct {
	Roles []Role
	Own   bool
}

// Permissions lists every permission in table order.
func Permissions() []Permission {
	return []Permission{PermRequestOpen, PermRequestRead, PermRequestReply, PermRequestNote, PermRequestStatus,
		PermRequestAssign, PermRequestClassify, PermRequestExport, PermAttachmentUpload, PermCustomerRead,
		PermCustomerCreate, PermCustomerInvite, PermUnitCreate, PermUnitRegister, PermWarrantyCheck, PermProductRead,
		PermProductManage, PermCategoryRead, PermCategoryManage, PermDirectoryRead, PermTeamManage,
		PermCalendarRead, PermCalendarManage, PermUserManage, PermAuditRead, PermWebhookManage, PermMailRead,
		PermMailTemplate, PermNotifyPrefs, PermCentreRead, PermCentreManage, PermCentreSchedule, PermPartRead,
		PermPartManage, PermStockRead, PermStockMove, PermAppointmentRead, PermAppointmentBook, PermPlanManage,
		PermPlanSell, PermSurveyRead, PermSurveyManage, PermFeedbackAnalyze, PermFollowupCall,
		PermComplaintHandle, PermCompensationApprove, PermRepairOpen, PermRepairRead, PermRepairStep, PermRepairWork,
		PermRepairApprove, PermPriceManage, PermReturnPolicy, PermReturnOpen, PermReturnHandle, PermRevenueRead,
		PermSLARead, PermSLAManage, PermCustomerTier, PermRuleManage, PermKBRead, PermKBWrite, PermKBSuggest, PermKBReport,
		PermViewShare, PermIndexWeights}
}

// Grants is the role matrix. An unknown permission is granted to nobody.
//
// Technicians do request work (reply, note, status, assignment, files)
// and read what that needs; they do not create customers or units (a unit
// with a chosen purchase date grants warranty), classify requests, or
// issue portal invites (an invite sets a password).
//
// Centre managers run one centre: request work like a technician, plus
// classifying, the centre's opening hours and capacity, its stock and its
// appointments; the domain services keep them to their own centre. Selling
// an extended warranty stays with the desk (it grants coverage, like
// registering a unit).
//
// Follow-up calls and complaints are the service desk's work (admins,
// managers, agents); compensation above the threshold and the satisfaction
// figures are for managers and admins; the survey's wording is the admins'.
func Grants(perm Permission) Grant {
	all := []Role{RoleAdmin, RoleManager, RoleAgent, RoleTechnician, RoleCentreManager}
	desk := []Role{RoleAdmin, RoleManager, RoleAgent}
	leads := []Role{RoleAdmin, RoleManager}
	centre := []Role{RoleAdmin, RoleManager, RoleCentreManager}
	admin := []Role{RoleAdmin}
	switch perm {
	case PermRequestClassify:
		return Grant{Roles: []Role{RoleAdmin, RoleManager, RoleAgent, RoleCentreManager}}
	case PermUnitRegister:
		// Customers claim the units they bought; staff register units
		// with unit.create.
		return Grant{Own: true}
	case PermCentreRead, PermAppointmentRead:
		return Grant{Roles: all, Own: true}
	case PermAppointmentBook:
		return Grant{Roles: all, Own: true}
	case PermPartRead, PermStockRead:
		return Grant{Roles: all}
	case PermCentreManage, PermPartManage, PermPlanManage:
		return Grant{Roles: leads}
	case PermCentreSchedule, PermStockMove:
		return Grant{Roles: centre}
	case PermPlanSell:
		return Grant{Roles: desk}
	case PermRepairOpen, PermRepairRead, PermRepairApprove:
		return Grant{Roles: all, Own: true}
	case PermRepairStep:
		// Agents take a device in at the desk, send it back, close and
		// cancel repairs (repair.Service keeps them to those steps); the
		// bench's work (diagnosis, quotes, parts, repair, test) is the
		// centre's.
		return Grant{Roles: all}
	case PermRepairWork:
		return Grant{Roles: []Role{RoleAdmin, RoleManager, RoleTechnician, RoleCentreManager}}
	case PermPriceManage, PermReturnPolicy, PermRevenueRead:
		return Grant{Roles: leads}
	case PermReturnOpen:
		return Grant{Roles: desk, Own: true}
	case PermReturnHandle:
		return Grant{Roles: []Role{RoleAdmin, RoleManager, RoleAgent, RoleCentreManager}}
	case PermRequestOpen, PermRequestRead, PermRequestReply, PermAttachmentUpload, PermWarrantyCheck,
		PermCustomerRead:
		return Grant{Roles: all, Own: true}
	case PermRequestStatus:
		return Grant{Roles: all, Own: true} // customers: cancel and reopen only (request.Service)
	case PermCategoryRead:
		return Grant{Roles: all, Own: true}
	case PermRequestExport:
		// A queue export is the customers' names, phones and complaints in
		// bulk: for the desk and those who run it, not the bench.
		return Grant{Roles: []Role{RoleAdmin, RoleManager, RoleAgent, RoleCentreManager}}
	case PermRequestNote, PermRequestAssign, PermProductRead, PermDirectoryRead, PermCalendarRead,
		PermSurveyRead, PermNotifyPrefs:
		return Grant{Roles: all}
	case PermCustomerCreate, PermCustomerInvite, PermUnitCreate, PermFollowupCall, PermComplaintHandle:
		return Grant{Roles: desk}
	case PermSLARead:
		return Grant{Roles: all}
	case PermKBSuggest:
		return Grant{Roles: desk}
	case PermKBRead:
		return Grant{Roles: all}
	case PermProductManage, PermCategoryManage, PermTeamManage, PermFeedbackAnalyze, PermCompensationApprove,
		PermCustomerTier, PermKBWrite, PermKBReport, PermViewShare:
		return Grant{Roles: leads}
	case PermUserManage, PermAuditRead, PermCalendarManage, PermWebhookManage, PermMailRead, PermSurveyManage,
		PermMailTemplate, PermSLAManage, PermRuleManage, PermIndexWeights:
		// Calendars move every SLA clock of the teams that use them;
		// webhooks send the service's data to other systems; raw mail is
		// the customers' own words and addresses; the survey's wording is
		// what every customer reads; SLA policies and tiers set every
		// customer's promised times; automation rules route and answer
		// every request.
		return Grant{Roles: admin}
	}
	return Grant{}
}

// Can reports whether p holds perm: a staff user by role, a customer when
// the permission extends to customers' own things. What is "own" is the
// caller's check.
func (p Principal) Can(perm Permission) bool {
	g := Grants(perm)
	switch p.Kind {
	case KindStaff:
		return slices.Contains(g.Roles, p.Role)
	case KindCustomer:
		return g.Own
	}
	return false
}
