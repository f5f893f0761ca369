package rules

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// EventInput is a device event as a device posts it.
type EventInput struct {
	Serial string
	Code   string
	Value  *float64
	At     time.Time
}

// RecordEvent stores a device's event and runs the device.event rules on
// it. Only a device principal (a device token) may post events.
func (s *Service) RecordEvent(ctx context.Context, p model.Principal, in EventInput) (*model.DeviceEvent, error) {
	if p.Kind != model.KindDevice {
		return nil, forbidden()
	}
	in.Serial, in.Code = strings.TrimSpace(in.Serial), strings.TrimSpace(in.Code)
	switch {
	case in.Serial == "" || utf8.RuneCountInString(in.Serial) > 100:
		return nil, model.FieldError("serial", "is required, at most 100 characters")
	case in.Code == "" || utf8.RuneCountInString(in.Code) > 50:
		return nil, model.FieldError("code", "is required, at most 50 characters")
	case in.At.IsZero():
		return nil, model.FieldError("at", "is required (RFC 3339)")
	case in.At.After(s.store.Now().Add(24 * time.Hour)):
		return nil, model.FieldError("at", "is more than a day in the future")
	}
	ev := &model.DeviceEvent{Serial: in.Serial, Code: in.Code, Value: in.Value, At: in.At, Device: p.Name}
	err := s.store.RecordDeviceEvent(ctx, ev, func(ctx context.Context, q store.Querier) error {
		return s.run(ctx, q, model.TriggerDeviceEvent, 0, ev)
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}

// openForDevice is create_request: a proactive request for the unit's
// owner, unless one for this serial and code is still open.
func (s *Service) openForDevice(ctx context.Context, q store.Querier, r *model.Rule, a model.RuleAction, ev *model.DeviceEvent) (int64, error) {
	if ev == nil {
		return 0, nil
	}
	prio := model.Priority(a.Priority)
	if prio == "" {
		prio = model.PriorityNormal
	}
	by := store.Actor{Kind: model.AuthorSystem, Name: r.Name, Channel: model.ChannelDevice}
	in := store.NewRequest{Type: model.RequestType(a.RequestType), Priority: prio,
		Subject: fmt.Sprintf("%s · %s (%d× / 24 h)", ev.Code, ev.Serial, ev.Count24h),
		Description: fmt.Sprintf("Unit %s reported code %s %d times within 24 hours (latest at %s).\n设备 %s 在 24 小时内报告故障码 %s 共 %d 次（最近一次：%s）。",
			ev.Serial, ev.Code, ev.Count24h, ev.At.Format(time.RFC3339), ev.Serial, ev.Code, ev.Count24h, ev.At.Format(time.RFC3339))}
	id, err := s.store.OpenDeviceRequestIn(ctx, q, ev.Serial, ev.Code, in, by)
	if err != nil || id == 0 {
		return 0, err
	}
	return id, s.store.RuleEventIn(ctx, q, id, r.Name, fmt.Sprintf("%s\t%s\t%s\t%d", model.ActCreateRequest, ev.Serial, ev.Code, ev.Count24h))
}
