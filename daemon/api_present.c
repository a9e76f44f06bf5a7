/* The JSON form of staff and patient records, as API.md gives them. */
#include "api.h"
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
	    "location", p->location, "status", p->status,
	    "flags", "stimulant_user", p->stimulant_user,
	    "in_community_treatment", p->in_treatment,
	    "community_treatment", ct,
	    "clocks", "prescriptions", "observation_plan",
	    "created_at", json_instant(p->created_at));
	return o;
}
