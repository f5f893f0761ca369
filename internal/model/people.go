package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is a staff role. Customers are not staff and have no Role.
type Role string

// Staff roles, from most to least privileged.
const (
	RoleAdmin      Role = "admin"
	RoleManager    Role = "manager"
	RoleAgent      Role = "agent"
	RoleTechnician Role = "technician"
	// RoleCentreManager runs one service centre (网点): its queue,
	// capacity, appointments and parts stock.
	RoleCentreManager Role = "centre_manager"
)

// Roles lists every valid staff role.
var Roles = []Role{RoleAdmin, RoleManager, RoleAgent, RoleTechnician, RoleCentreManager}

// AtCentre reports whether the role works at one service centre
// (technicians and centre managers are attached to one).
func (r Role) AtCentre() bool { return r == RoleTechnician || r == RoleCentreManager }

// ParseRole reads a role name, accepting the American spelling
// "center_manager" for the centre manager.
func ParseRole(s string) Role {
	if s == "center_manager" {
		return RoleCentreManager
	}
	return Role(s)
}

// Valid reports whether r is a known staff role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is a staff member who logs in to the agent side.
type User struct {
	ID     int64
	Email  string
	Name   string
	Role   Role
	TeamID *int64
	// CentreID is the service centre a technician or centre manager works
	// at; CentreCode is filled on reads.
	CentreID     *int64
	CentreCode   string
	Locale       string
	PasswordHash string `json:"-"`
	Active       bool
	CreatedAt    time.Time
	// Skills are the user's qualifications, by skill name; filled on
	// reads of one user and of the user list.
	Skills []Skill
}

// Team groups staff, typically one per service centre or queue.
type Team struct {
	ID   int64
	Name string
	// CalendarID is the business calendar the team's time targets are
	// counted in; nil when it has none.
	CalendarID *int64
	CreatedAt  time.Time
}

// Customer is a consumer or business that owns products. A customer may
// have a portal login (PasswordHash set after accepting an invite).
type Customer struct {
	ID           int64
	Name         string
	Email        string // empty when unknown; unique among customers otherwise
	Phone        string // mobile number; empty when unknown; unique otherwise
	Locale       string // "zh-CN" or "en"
	PasswordHash string `json:"-"`
	Address      string
	City         string
	CreatedAt    time.Time
}

// PrincipalKind tells staff from customers.
type PrincipalKind string

// Principal kinds.
const (
	KindStaff    PrincipalKind = "staff"
	KindCustomer PrincipalKind = "customer"
	// KindDevice is a device posting events with a device token: it may
	// do nothing else.
	KindDevice PrincipalKind = "device"
)

// Principal is the authenticated actor of a request: a staff user or a
// customer. Domain code takes it to decide what the actor may see or do.
type Principal struct {
	Kind   PrincipalKind
	ID     int64 // users.id or customers.id
	Name   string
	Email  string
	Role   Role // staff only
	Locale string
	// CentreID is the centre of a technician or centre manager, 0 for
	// anyone else: centre managers act on their own centre only.
	CentreID int64
}

// AtCentre reports whether p works at centre id (technicians and centre
// managers of that centre).
func (p Principal) AtCentre(id int64) bool { return p.IsStaff() && p.CentreID != 0 && p.CentreID == id }

// IsStaff reports whether p is a staff user.
func (p Principal) IsStaff() bool { return p.Kind == KindStaff }

// IsCustomer reports whether p is a customer.
func (p Principal) IsCustomer() bool { return p.Kind == KindCustomer }

// APIToken is a bearer token for the JSON API. Only the SHA-256 hash of
// the secret is stored.
type APIToken struct {
	ID         int64
	Name       string
	Prefix     string // first characters of the secret, shown in lists
	Hash       []byte `json:"-"`
	UserID     *int64
	CustomerID *int64
	// Device names the device of a device token (it may only post
	// device events); empty for other tokens.
	Device     string
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
	Owner      string // e-mail of the owner, filled in lists
}

// CheckCentre enforces who works at a centre: only technicians and
// centre managers, and a centre manager always does.
func (u *User) CheckCentre() error {
	switch {
	case u.CentreID != nil && !u.Role.AtCentre():
		return FieldError("centre", "only technicians and centre managers work at a centre")
	case u.CentreID == nil && u.Role == RoleCentreManager:
		return FieldError("centre", "a centre manager needs a centre")
	}
	return nil
}

// UserPatch changes a staff user. Nil fields are left alone; a TeamID
// pointing to 0 clears the team.
type UserPatch struct {
	Name   *string
	Role   *Role
	TeamID *int64
	Locale *string
	Active *bool
	// CentreID, when set, attaches the user to a centre; 0 detaches.
	CentreID *int64
	// Skills, when set, replace the user's skills.
	Skills *[]Skill
}

// Apply changes u and describes each change ("role: agent → manager"),
// for the audit log. Unchanged fields are not listed.
func (p UserPatch) Apply(u *User) []string {
	var changes []string
	if p.Name != nil && *p.Name != u.Name {
		changes = append(changes, "name: "+u.Name+" → "+*p.Name)
		u.Name = *p.Name
	}
	if p.Role != nil && *p.Role != u.Role {
		changes = append(changes, "role: "+string(u.Role)+" → "+string(*p.Role))
		u.Role = *p.Role
	}
	if p.TeamID != nil {
		var cur int64
		if u.TeamID != nil {
			cur = *u.TeamID
		}
		if *p.TeamID != cur {
			changes = append(changes, fmt.Sprintf("team: %d → %d", cur, *p.TeamID))
			u.TeamID = nil
			if *p.TeamID != 0 {
				id := *p.TeamID
				u.TeamID = &id
			}
		}
	}
	if p.Locale != nil && *p.Locale != u.Locale {
		changes = append(changes, "locale: "+u.Locale+" → "+*p.Locale)
		u.Locale = *p.Locale
	}
	if p.CentreID != nil {
		var cur int64
		if u.CentreID != nil {
			cur = *u.CentreID
		}
		if *p.CentreID != cur {
			changes = append(changes, fmt.Sprintf("centre: %d → %d", cur, *p.CentreID))
			u.CentreID = nil
			if *p.CentreID != 0 {
				id := *p.CentreID
				u.CentreID = &id
			}
		}
	}
	if p.Role != nil && p.CentreID == nil && u.CentreID != nil && !u.Role.AtCentre() {
		// A new role that works at no centre leaves the centre.
		changes = append(changes, fmt.Sprintf("centre: %d → 0", *u.CentreID))
		u.CentreID = nil
	}
	if p.Skills != nil && SkillsString(*p.Skills) != SkillsString(u.Skills) {
		changes = append(changes, "skills: "+SkillsString(u.Skills)+" → "+SkillsString(*p.Skills))
		u.Skills = slices.Clone(*p.Skills)
	}
	if p.Active != nil && *p.Active != u.Active {
		changes = append(changes, fmt.Sprintf("active: %t → %t", u.Active, *p.Active))
		u.Active = *p.Active
	}
	return changes
}

// SkillsString lists skills as "skill:level, …" in order, for the audit
// log and forms.
func SkillsString(ks []Skill) string {
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = fmt.Sprintf("%s:%d", k.Skill, k.Level)
	}
	return strings.Join(parts, ", ")
}

// CheckSkills normalises skills (names trimmed, sorted by name) and
// checks them: a name of 1–50 characters, a level from 1 to 5, each name
// once. Errors name the field as skills[i].skill or skills[i].level.
func CheckSkills(ks []Skill) ([]Skill, error) {
	out := make([]Skill, len(ks))
	seen := map[string]bool{}
	for i, k := range ks {
		k.Skill = strings.TrimSpace(k.Skill)
		key := strings.ToLower(k.Skill)
		switch {
		case k.Skill == "" || utf8.RuneCountInString(k.Skill) > 50:
			return nil, FieldError(fmt.Sprintf("skills[%d].skill", i), "must be 1 to 50 characters")
		case k.Level < 1 || k.Level > 5:
			return nil, FieldError(fmt.Sprintf("skills[%d].level", i), "must be between 1 and 5")
		case seen[key]:
			return nil, FieldError(fmt.Sprintf("skills[%d].skill", i), "%q is listed twice", k.Skill)
		}
		seen[key] = true
		out[i] = k
	}
	slices.SortFunc(out, func(a, b Skill) int { return strings.Compare(a.Skill, b.Skill) })
	return out, nil
}

// ParseSkills reads "skill:level, skill:level" (a form field); a skill
// without a level gets 1.
func ParseSkills(s string) ([]Skill, error) {
	var out []Skill
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, lv, ok := strings.Cut(part, ":")
		level := 1
		if ok {
			if _, err := fmt.Sscan(strings.TrimSpace(lv), &level); err != nil {
				return nil, FieldError("skills", "%q: the level after the colon must be a number from 1 to 5", part)
			}
		}
		out = append(out, Skill{Skill: strings.TrimSpace(name), Level: level})
	}
	return CheckSkills(out)
}
