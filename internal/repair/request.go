package repair

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/store"
)

// RequestInput is a customer's repair request for one of their units,
// as the portal sends it.
type RequestInput struct {
	Serial      string
	Subject     string
	Description string
	Mode        model.RepairMode
	Centre      string // centre code
	// StartsAt and EndsAt are the in-store slot or the on-site visit
	// window; a mail-in repair has none.
	StartsAt, EndsAt time.Time
	Address          string // on site: where (default: the customer's address)
}

// maxSubject and maxDescription bound what a request carries (as
// request.Service does).
const (
	maxSubject     = 200
	maxDescription = 20000
)

// RequestRepair opens, for a customer (model.PermRequestOpen,
// model.PermRepairOpen, and model.PermAppointmentBook unless mail-in),
// a repair request for one of their units: the service request, its
// repair order at a centre that repairs the unit's category, and the
// in-store slot or on-site visit — all in one transaction, so a booking
// the centre cannot take (ECONFLICT: its day is full) leaves nothing
// behind.
func (s *Service) RequestRepair(ctx context.Context, p model.Principal, in RequestInput) (*model.Request, *model.Repair, error) {
	if !p.IsCustomer() || !p.Can(model.PermRequestOpen) || !p.Can(model.PermRepairOpen) {
		return nil, nil, forbidden()
	}
	in.Serial, in.Subject, in.Centre = strings.TrimSpace(in.Serial), strings.TrimSpace(in.Subject), strings.TrimSpace(in.Centre)
	in.Description = strings.TrimSpace(in.Description)
	switch {
	case in.Serial == "":
		return nil, nil, model.FieldError("serial", "is required")
	case in.Subject == "":
		return nil, nil, model.FieldError("subject", "is required")
	case utf8.RuneCountInString(in.Subject) > maxSubject:
		return nil, nil, model.FieldError("subject", "must be at most %d characters", maxSubject)
	case utf8.RuneCountInString(in.Description) > maxDescription:
		return nil, nil, model.FieldError("description", "must be at most %d characters", maxDescription)
	case !in.Mode.Valid():
		return nil, nil, model.FieldError("mode", "must be mail_in, in_store or on_site")
	case in.Centre == "":
		return nil, nil, model.FieldError("centre", "is required")
	}
	u, err := s.store.UnitBySerial(ctx, in.Serial)
	if model.IsNotFound(err) || (err == nil && u.CustomerID != p.ID) {
		return nil, nil, model.FieldError("serial", "No registered product has the serial number “%s”; check the number, or register the product first.", in.Serial)
	} else if err != nil {
		return nil, nil, err
	}
	prod, err := s.store.ProductBySKU(ctx, u.SKU)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.CentreByCode(ctx, in.Centre)
	if model.IsNotFound(err) || (err == nil && !c.Active) {
		return nil, nil, model.FieldError("centre", "There is no service centre with the code “%s”; choose one of the centres.", in.Centre)
	} else if err != nil {
		return nil, nil, err
	}
	if prod.Category != "" && !c.Repairs(prod.Category) {
		return nil, nil, model.FieldError("centre", "centre %s does not repair %s", c.Code, prod.Category)
	}
	var appt *model.Appointment
	if in.Mode != model.ModeMailIn {
		kind := model.AppointmentInStore
		if in.Mode == model.ModeOnSite {
			kind = model.AppointmentOnSite
		}
		if appt, err = s.network.PrepareBooking(ctx, p, network.BookInput{Centre: c.Code, StartsAt: in.StartsAt,
			EndsAt: in.EndsAt, Kind: kind, Address: in.Address}); err != nil {
			return nil, nil, err
		}
		if kind == model.AppointmentOnSite && appt.Address == "" {
			if cust, err := s.store.CustomerByID(ctx, p.ID); err == nil {
				appt.Address = strings.TrimSpace(cust.City + " " + cust.Address)
			}
			if appt.Address == "" {
				return nil, nil, model.FieldError("address", "is required for an on-site visit")
			}
		}
	}
	id := p.ID
	by := store.Actor{Kind: model.AuthorCustomer, ID: &id, Name: p.Name, Channel: model.ChannelWeb}
	rp := &model.Repair{CentreID: c.ID, CentreCode: c.Code, Mode: in.Mode, Currency: s.currency}
	r, err := s.store.CreateRepairRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
		Channel: model.ChannelWeb, Subject: in.Subject, Description: in.Description, CustomerID: p.ID, Serial: u.Serial}, by, rp, p, appt)
	if err != nil {
		return nil, nil, err
	}
	return r, rp, nil
}
