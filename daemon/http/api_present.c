/* The JSON form of staff and patient records, as docs/openapi.yaml gives
 * them. */
#include "alert.h"
#include "api.h"
#include "continuity.h"
#include "patient.h"
#include "request.h"
#include "roles.h"
#include "staff.h"

/* A staff record without its PIN hash. */
json_t *
api_staff_json(const struct staff *s, int64_t now)
{
	json_t	*o = json_pack("{s:s,s:s,s:s,s:o,s:b,s:b,s:o}", "id", s->id,
	    "username", s->username, "display_name", s->display_name,
	    "roles", roles_to_json(s->roles), "active", s->active,
	    "locked", auth_is_locked(&s->lock, now),
	    "created_at", json_instant(s->created_at));

	if (auth_is_locked(&s->lock, now))
		json_object_set_new(o, "locked_until",
		    json_instant(s->lock.locked_until));
	return o;
}

/* A patient, with the parts later slices fill in (clocks, prescriptions,
 * the observation plan) present and empty. */
json_t *
api_patient_json(const struct patient *p)
{
	char	 dob[TIMEFMT_DATE_LEN];
	json_t	*ct = json_null(), *o;

	timefmt_format_date(p->date_of_birth, dob);
	if (p->in_treatment) {
		ct = json_pack("{s:s,s:f,s:s,s:s,s:o}", "drug",
		    p->community.drug, "dose", (double)p->community.dose / 1000.0,
		    "unit", p->community.unit, "prescriber",
		    p->community.prescriber, "last_dose_at",
		    p->community.has_last_dose ?
		    json_instant(p->community.last_dose_at) : json_null());
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:{s:b,s:b},s:o,"
	    "s:[],s:[],s:n,s:o}",
	    "id", p->id, "prison_number", p->prison_number,
	    "given_name", p->given_name, "family_name", p->family_name,
	    "date_of_birth", dob, "arrived_at", json_instant(p->arrived_at),
	    "location", p->location, "status", patient_status_name(p->status),
	    "flags", "stimulant_user", p->stimulant_user,
	    "in_community_treatment", p->in_treatment,
	    "community_treatment", ct,
	    "clocks", "prescriptions", "observation_plan",
	    "created_at", json_instant(p->created_at));
	json_object_set_new(o, "nhs_number", p->nhs_number[0] ?
	    json_string(p->nhs_number) : json_null());
	return o;
}

/* A continuity clock with its state now. */
json_t *
api_clock_json(const struct care_clock *c, int64_t now)
{
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:b,s:s*}",
	    "id", c->id, "patient_id", c->patient_id,
	    "kind", continuity_kind_name(c->kind),
	    "started_at", json_instant(c->started_at),
	    "warn_at", json_instant(c->warn_at),
	    "due_at", json_instant(c->due_at),
	    "met_at", c->met_at ? json_instant(c->met_at) : json_null(),
	    "ended_at", c->ended_at ? json_instant(c->ended_at) : json_null(),
	    "state", continuity_state(c, now),
	    "breached", continuity_breached(c, now),
	    "met_how", c->met_at ? c->met_how : NULL);
}

/* An alert as docs/openapi.yaml lists it. */
json_t *
api_alert_json(const struct alert *a)
{
	return json_pack("{s:s,s:I,s:s,s:s,s:s,s:s*,s:s*,s:o,s:s,s:s*,s:o,"
	    "s:s*,s:b}",
	    "id", a->id, "seq", (json_int_t)a->seq, "kind", a->kind,
	    "severity", alert_severity_name(a->severity),
	    "audience", alert_audience_name(a->audience),
	    "patient_id", a->patient_id[0] ? a->patient_id : NULL,
	    "subject_id", a->subject_id[0] ? a->subject_id : NULL,
	    "raised_at", json_instant(a->raised_at), "message", a->message,
	    "acked_by", a->acked_by[0] ? a->acked_by : NULL,
	    "acked_at", a->acked_at ? json_instant(a->acked_at) : json_null(),
	    "ack_note", a->ack_note[0] ? a->ack_note : NULL,
	    "escalated", a->escalated);
}
