package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
)

// Centre is a service centre as the API shows it.
type Centre struct {
	Code          string            `json:"code"`
	Name          string            `json:"name"`
	Region        string            `json:"region"`
	Address       string            `json:"address"`
	Lat           float64           `json:"lat"`
	Lng           float64           `json:"lng"`
	TimeZone      string            `json:"timezone"`
	OpeningHours  map[string]string `json:"opening_hours" doc:"Weekday (mon … sun) → \"HH:MM-HH:MM\"; closed days are left out; empty when not recorded."`
	Categories    []string          `json:"categories" doc:"Product categories it repairs."`
	DailyCapacity int               `json:"daily_capacity" doc:"Appointments it takes per day (in its time zone)."`
	Active        bool              `json:"active"`
	Version       int64             `json:"version"`
	DistanceKm    *float64          `json:"distance_km,omitempty" doc:"Great-circle distance from the search point (haversine, R = 6371.0088 km), to the metre; only when searching from a point."`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

func toCentre(c *model.ServiceCentre) Centre {
	out := Centre{Code: c.Code, Name: c.Name, Region: c.Region, Address: c.Address, Lat: c.Lat, Lng: c.Lng,
		TimeZone: c.TimeZone, OpeningHours: c.Hours.Map(), Categories: c.Categories, DailyCapacity: c.DailyCapacity,
		Active: c.Active, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if out.Categories == nil {
		out.Categories = []string{}
	}
	if c.DistanceKm >= 0 {
		d := c.DistanceKm
		out.DistanceKm = &d
	}
	return out
}

type createCentreInput struct {
	Body struct {
		Code          string   `json:"code" maxLength:"32" doc:"Short unique code (letters, digits, - and _), used in URLs."`
		Name          string   `json:"name" maxLength:"200"`
		Region        string   `json:"region,omitempty" maxLength:"100"`
		Address       string   `json:"address,omitempty" maxLength:"500"`
		Lat           *float64 `json:"lat" minimum:"-90" maximum:"90" doc:"WGS-84 latitude in degrees."`
		Lng           *float64 `json:"lng" minimum:"-180" maximum:"180" doc:"WGS-84 longitude in degrees."`
		TimeZone      string   `json:"timezone,omitempty" doc:"IANA time zone; default the installation's (--time-zone)." example:"Asia/Shanghai"`
		OpeningHours  any      `json:"opening_hours,omitempty" doc:"Weekly hours: an object of weekday (mon … sun) to HH:MM-HH:MM (empty or closed closes the day), or text such as mon-fri 09:00-18:00; sat 10:00-16:00 (days not named are closed) or 09:00-18:00 (every day). When set, in-store appointments must fall within them."`
		Categories    []string `json:"categories,omitempty" doc:"Product categories it repairs (as in products.category)." maxItems:"100"`
		DailyCapacity int      `json:"daily_capacity" minimum:"1" maximum:"100000"`
	}
}

type updateCentreInput struct {
	Code string `path:"code"`
	Body struct {
		Name          *string   `json:"name,omitempty" maxLength:"200"`
		Region        *string   `json:"region,omitempty" maxLength:"100"`
		Address       *string   `json:"address,omitempty" maxLength:"500"`
		Lat           *float64  `json:"lat,omitempty" minimum:"-90" maximum:"90"`
		Lng           *float64  `json:"lng,omitempty" minimum:"-180" maximum:"180"`
		TimeZone      *string   `json:"timezone,omitempty"`
		OpeningHours  any       `json:"opening_hours,omitempty" doc:"Weekly hours: an object of weekday (mon … sun) to HH:MM-HH:MM (empty or closed closes the day), or text such as mon-fri 09:00-18:00; sat 10:00-16:00 (days not named are closed) or 09:00-18:00 (every day). When set, in-store appointments must fall within them."`
		Categories    *[]string `json:"categories,omitempty" maxItems:"100"`
		DailyCapacity *int      `json:"daily_capacity,omitempty" minimum:"1" maximum:"100000"`
		Active        *bool     `json:"active,omitempty" doc:"false closes the centre: it leaves searches and takes no bookings."`
	}
}

type centreOutput struct {
	Body Centre
}

type centreCodeInput struct {
	Code string `path:"code"`
}

type listCentresInput struct {
	Category string `query:"category" doc:"Keep centres that repair this product category."`
	Lat      string `query:"lat" doc:"Latitude of the search point; with lng, items are sorted nearest first and carry distance_km."`
	Lng      string `query:"lng"`
	City     string `query:"city" doc:"Instead of lat/lng: a city by its Chinese or English name (北京, Shanghai …)."`
	All      bool   `query:"all" doc:"Staff: include closed centres."`
	Limit    int    `query:"limit" minimum:"0" maximum:"1000" doc:"Keep the first n (0: all)."`
}

type centreListOutput struct {
	Body struct {
		Items []Centre `json:"items"`
	}
}

// queryFloat parses an optional query parameter as a number.
func queryFloat(name, v string) (*float64, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return nil, at("query", model.FieldError(name, "must be a number"))
	}
	return &f, nil
}

func (s *server) registerCentres() {
	register(s, huma.Operation{
		OperationID: "create-centre", Method: http.MethodPost, Path: "/api/v1/centres",
		Summary: "Add a service centre", Tags: []string{"network"}, DefaultStatus: http.StatusCreated,
		Description: "A taken code is 409. Recorded in the audit log.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermCentreManage), func(ctx context.Context, in *createCentreInput) (*centreOutput, error) {
		b := in.Body
		c, err := s.d.Network.CreateCentre(ctx, principalFrom(ctx), network.CentreInput{Code: b.Code, Name: b.Name,
			Region: b.Region, Address: b.Address, Lat: b.Lat, Lng: b.Lng, TimeZone: b.TimeZone, Hours: b.OpeningHours,
			Categories: b.Categories, DailyCapacity: b.DailyCapacity})
		if err != nil {
			return nil, err
		}
		return &centreOutput{Body: toCentre(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-centres", Method: http.MethodGet, Path: "/api/v1/centres",
		Summary: "List service centres, nearest first", Tags: []string{"network"},
		Description: "With lat and lng (or city), items are sorted by great-circle distance from there, nearest first, " +
			"each with distance_km; without, by code. Customers may list centres to pick one; they see open centres only.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermCentreRead), func(ctx context.Context, in *listCentresInput) (*centreListOutput, error) {
		lat, err := queryFloat("lat", in.Lat)
		if err != nil {
			return nil, err
		}
		lng, err := queryFloat("lng", in.Lng)
		if err != nil {
			return nil, err
		}
		cs, err := s.d.Network.ListCentres(ctx, principalFrom(ctx), network.Search{Category: in.Category, Lat: lat, Lng: lng,
			City: in.City, IncludeClosed: in.All, Limit: in.Limit})
		if err != nil {
			return nil, at("query", err)
		}
		out := &centreListOutput{}
		out.Body.Items = make([]Centre, len(cs))
		for i := range cs {
			out.Body.Items[i] = toCentre(&cs[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-centre", Method: http.MethodGet, Path: "/api/v1/centres/{code}",
		Summary: "Get a service centre", Tags: []string{"network"}, Errors: []int{http.StatusNotFound},
	}, can(model.PermCentreRead), func(ctx context.Context, in *centreCodeInput) (*centreOutput, error) {
		c, err := s.d.Network.Centre(ctx, principalFrom(ctx), in.Code)
		if err != nil {
			return nil, err
		}
		return &centreOutput{Body: toCentre(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-centre", Method: http.MethodPatch, Path: "/api/v1/centres/{code}",
		Summary: "Change a service centre", Tags: []string{"network"},
		Description: "Send only the fields to change. Centre managers may change only opening_hours and daily_capacity, " +
			"of their own centre (403 otherwise). Recorded in the audit log.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermCentreSchedule), func(ctx context.Context, in *updateCentreInput) (*centreOutput, error) {
		b := in.Body
		c, err := s.d.Network.UpdateCentre(ctx, principalFrom(ctx), in.Code, network.CentreUpdate{Name: b.Name,
			Region: b.Region, Address: b.Address, Lat: b.Lat, Lng: b.Lng, TimeZone: b.TimeZone, Hours: b.OpeningHours,
			Categories: b.Categories, DailyCapacity: b.DailyCapacity, Active: b.Active})
		if err != nil {
			return nil, err
		}
		return &centreOutput{Body: toCentre(c)}, nil
	})
}
