package config

import (
	"strings"
	"testing"
	"time"
)

// TestFeedbackFlags: the feedback settings have the documented defaults,
// come from flags or the environment, and bad values name their flag.
func TestFeedbackFlags(t *testing.T) {
	c, err := parse(t, nil)
	hours, herr := c.ComplaintDeadlines()
	if err != nil || herr != nil || c.SurveyDelay != 2*time.Hour || c.SurveyCooldownDays != 30 || c.FollowupDays != 3 ||
		c.FollowupShare != 0.2 || hours != [3]int{24, 72, 168} || c.CompensationApprovalThreshold != 50000 || c.Currency != "CNY" {
		t.Fatalf("defaults: %+v %v %v", c, err, herr)
	}
	c, err = parse(t, map[string]string{"AFTERCARE_SURVEY_DELAY": "30m", "AFTERCARE_FOLLOWUP_SHARE": "0.5",
		"AFTERCARE_COMPENSATION_APPROVAL_THRESHOLD": "100000", "AFTERCARE_CURRENCY": "USD"},
		"--survey-delay", "0", "--survey-cooldown-days", "0", "--complaint-hours", "4, 24, 72")
	hours, _ = c.ComplaintDeadlines()
	if err != nil || c.SurveyDelay != 0 || c.SurveyCooldownDays != 0 || c.FollowupShare != 0.5 || hours != [3]int{4, 24, 72} ||
		c.CompensationApprovalThreshold != 100000 || c.Currency != "USD" {
		t.Fatalf("flags and environment: %+v %v", c, err)
	}
	for _, x := range []struct {
		args []string
		want string
	}{
		{[]string{"--survey-delay", "-1h"}, "--survey-delay"},
		{[]string{"--survey-cooldown-days", "-3"}, "--survey-cooldown-days"},
		{[]string{"--followup-days", "-1"}, "--followup-days"},
		{[]string{"--followup-share", "1.5"}, "--followup-share"},
		{[]string{"--complaint-hours", "24,72"}, "--complaint-hours"},
		{[]string{"--complaint-hours", "24,0,72"}, "--complaint-hours"},
		{[]string{"--compensation-approval-threshold", "-5"}, "--compensation-approval-threshold"},
		{[]string{"--currency", "yuan"}, "--currency"},
	} {
		if _, err := parse(t, nil, x.args...); err == nil || !strings.Contains(err.Error(), x.want) {
			t.Errorf("%v: got %v, want an error naming %s", x.args, err, x.want)
		}
	}
}
