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
	PermRequestClassify  Permission = "request.classify"  // set priority, team and category
	PermRequestExport    Permission = "request.export"    // download queue views as CSV/XLSX
	PermAttachmentUpload Permission = "attachment.upload" // upload files to a request
	PermCustomerRead     Permission = "customer.read"     // read customer records
	PermCustomerCreate   Permission = "customer.create"   // create customers
	PermCustomerInvite   Permission = "customer.invite"   // issue portal invites
	PermUnitCreate       Permission = "unit.create"       // register units (sets purchase date, hence warranty)
	PermWarrantyCheck    Permission = "warranty.check"    // check a unit's warranty entitlement
	PermProductRead      Permission = "product.read"      // list product models
	PermProductManage    Permission = "product.manage"    // create product models and warranty policies
	PermCategoryRead     Permission = "category.read"     // read the category tree
	PermCategoryManage   Permission = "category.manage"   // add categories
	PermDirectoryRead    Permission = "directory.read"    // list staff users and teams
	PermTeamManage       Permission = "team.manage"       // create teams
	PermUserManage       Permission = "user.manage"       // create and change staff users and roles
	PermAuditRead        Permission = "audit.read"        // read the audit log
	// Feedback: surveys, follow-up calls, complaints.
	PermSurveyRead          Permission = "survey.read"          // a request's survey invitation, link and response
	PermSurveyManage        Permission = "survey.manage"        // edit the survey template (a new version each time)
	PermFeedbackAnalyze     Permission = "feedback.analyze"     // list and export survey responses, response rates
	PermFollowupCall        Permission = "followup.call"        // work the follow-up call queue
	PermComplaintHandle     Permission = "complaint.handle"     // set a complaint's severity, record compensation
	PermCompensationApprove Permission = "compensation.approve" // approve compensation above the threshold
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
		return "move requests through the workflow (customers: cancel and reopen)"
	case PermRequestAssign:
		return "assign requests to an agent"
	case PermRequestClassify:
		return "set priority, team and category"
	case PermRequestExport:
		return "export queue views (CSV, XLSX)"
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
	case PermWarrantyCheck:
		return "check warranty entitlement"
	case PermProductRead:
		return "list product models"
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
	case PermUserManage:
		return "create staff users, change roles, deactivate"
	case PermAuditRead:
		return "read the audit log"
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
		PermCustomerCreate, PermCustomerInvite, PermUnitCreate, PermWarrantyCheck, PermProductRead,
		PermProductManage, PermCategoryRead, PermCategoryManage, PermDirectoryRead, PermTeamManage,
		PermUserManage, PermAuditRead, PermSurveyRead, PermSurveyManage, PermFeedbackAnalyze, PermFollowupCall,
		PermComplaintHandle, PermCompensationApprove}
}

// Grants is the role matrix. An unknown permission is granted to nobody.
//
// Technicians do request work (reply, note, status, assignment, files)
// and read what that needs; they do not create customers or units (a unit
// with a chosen purchase date grants warranty), classify requests, or
// issue portal invites (an invite sets a password). Follow-up calls and
// complaints are the service desk's work (admins, managers, agents);
// compensation above the threshold and the satisfaction figures are for
// managers and admins; the survey's wording is the admins'.
func Grants(perm Permission) Grant {
	all := []Role{RoleAdmin, RoleManager, RoleAgent, RoleTechnician}
	desk := []Role{RoleAdmin, RoleManager, RoleAgent}
	leads := []Role{RoleAdmin, RoleManager}
	admin := []Role{RoleAdmin}
	switch perm {
	case PermRequestOpen, PermRequestRead, PermRequestReply, PermAttachmentUpload, PermWarrantyCheck,
		PermCustomerRead:
		return Grant{Roles: all, Own: true}
	case PermRequestStatus:
		return Grant{Roles: all, Own: true} // customers: cancel and reopen only (request.Service)
	case PermCategoryRead:
		return Grant{Roles: all, Own: true}
	case PermRequestNote, PermRequestAssign, PermRequestExport, PermProductRead, PermDirectoryRead, PermSurveyRead:
		return Grant{Roles: all}
	case PermRequestClassify, PermCustomerCreate, PermCustomerInvite, PermUnitCreate, PermFollowupCall,
		PermComplaintHandle:
		return Grant{Roles: desk}
	case PermProductManage, PermCategoryManage, PermTeamManage, PermFeedbackAnalyze, PermCompensationApprove:
		return Grant{Roles: leads}
	case PermUserManage, PermAuditRead, PermSurveyManage:
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
