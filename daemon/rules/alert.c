/* Raising an alert and escalating one nobody acknowledged.  A warning or
 * worse to any list but the managers' (the ward, reception, the doctor on
 * call) that is not acknowledged within its severity's minutes becomes a
 * new alert to the managers that points to the first (its subject).  Alerts to the managers, escalations among
 * them, do not escalate: they are already with the people at the top. */
#include <stdio.h>
#include <string.h>

#include "alert.h"
#include "roles.h"

static const char *const alert_severities[] = {
	"info", "warning", "urgent", "emergency"
};
static const char *const alert_audiences[] = {
	"ward", "manager", "reception", "prescriber", "pharmacy", "on_call"
};

const char *
alert_severity_name(enum alert_severity s)
{
	return alert_severities[s];
}

const char *
alert_audience_name(enum alert_audience a)
{
	return alert_audiences[a];
}

int
alert_severity_parse(const char *name, enum alert_severity *s)
{
	int	i;

	for (i = 0; i < 4; i++)
		if (strcmp(name, alert_severities[i]) == 0) {
			*s = (enum alert_severity)i;
			return 0;
		}
	return -1;
}

int
alert_audience_parse(const char *name, enum alert_audience *a)
{
	int	i;

	for (i = 0; i < (int)(sizeof alert_audiences /
	    sizeof alert_audiences[0]); i++)
		if (strcmp(name, alert_audiences[i]) == 0) {
			*a = (enum alert_audience)i;
			return 0;
		}
	return -1;
}

/* Fill in a new alert raised at now. */
void
alert_raise(struct alert *a, const char *kind, enum alert_severity severity,
    enum alert_audience audience, const char *patient_id,
    const char *subject_id, const char *message, int64_t now,
    const struct alert_policy *policy)
{
	/* An alert to the managers has nobody further to go to. */
	int	minutes = audience == AUDIENCE_MANAGER ? 0 :
		    policy->escalate_minutes[severity];

	memset(a, 0, sizeof *a);
	validate_new_uuid(a->id);
	snprintf(a->kind, sizeof a->kind, "%s", kind);
	a->severity = severity;
	a->audience = audience;
	snprintf(a->patient_id, sizeof a->patient_id, "%s",
	    patient_id ? patient_id : "");
	snprintf(a->subject_id, sizeof a->subject_id, "%s",
	    subject_id ? subject_id : "");
	snprintf(a->message, sizeof a->message, "%s", message);
	validate_utf8_repair(a->message);
	a->raised_at = now;
	a->escalate_at = minutes > 0 ? now + (int64_t)minutes * 60000 : 0;
}

/* The same alert to a role's list and to the managers' at once.  The
 * first does not escalate: the managers already have their own copy. */
void
alert_raise_with_managers(struct alert out[2], const char *kind,
    enum alert_severity severity, enum alert_audience audience,
    const char *patient_id, const char *subject_id, const char *message,
    int64_t now)
{
	static const struct alert_policy	never = { { 0, 0, 0, 0 } };

	alert_raise(&out[0], kind, severity, audience, patient_id, subject_id,
	    message, now, &never);
	alert_raise(&out[1], kind, severity, AUDIENCE_MANAGER, patient_id,
	    subject_id, message, now, &never);
}

/* A patient deteriorating (an urgent or emergency NEWS2): the alert to
 * the ward and to the doctor on call, each escalating to the managers if
 * nobody acknowledges it in time, as every alert to a list but theirs
 * does, and the managers' own copy, which has nowhere further to go. */
void
alert_raise_deterioration(struct alert out[ALERT_DETERIORATION_N],
    const char *kind, enum alert_severity severity, const char *patient_id,
    const char *subject_id, const char *message, int64_t now,
    const struct alert_policy *policy)
{
	static const enum alert_audience to[ALERT_DETERIORATION_N] = {
		AUDIENCE_WARD, AUDIENCE_ON_CALL, AUDIENCE_MANAGER,
	};
	int	i;

	for (i = 0; i < ALERT_DETERIORATION_N; i++)
		alert_raise(&out[i], kind, severity, to[i], patient_id,
		    subject_id, message, now, policy);
}

/* The roles that read the alerts to an audience: the people it is for,
 * and the managers, who read every alert (the escalations are theirs).
 * The ward's are clinical (a NEWS2 alert names vital signs): nurses,
 * competent people and prescribers; reception's, reception and the
 * nurses it hands arrivals to (docs/design.md, "Who reads what"). */
unsigned
alert_readers(enum alert_audience audience)
{
	switch (audience) {
	case AUDIENCE_WARD:
		return ROLE_NURSE | ROLE_COMPETENT | ROLE_PRESCRIBER |
		    ROLE_MANAGER;
	case AUDIENCE_RECEPTION:
		return ROLE_RECEPTION | ROLE_NURSE | ROLE_MANAGER;
	case AUDIENCE_PRESCRIBER:
	case AUDIENCE_ON_CALL:
		return ROLE_PRESCRIBER | ROLE_MANAGER;
	case AUDIENCE_PHARMACY:
		return ROLE_PHARMACIST | ROLE_MANAGER;
	default:
		return ROLE_MANAGER;
	}
}

/* Whether an alert is about the daemon's own running rather than care:
 * a backup failed or overdue, to the managers, naming no patient.  The
 * admins, who keep the daemon running and read no patient data, read
 * these as well (docs/design.md, "Who reads what"). */
static int
alert_operational(const struct alert *a)
{
	return a->audience == AUDIENCE_MANAGER && a->patient_id[0] == '\0' &&
	    (strcmp(a->kind, "backup_failed") == 0 ||
	    strcmp(a->kind, "backup_overdue") == 0);
}

/* Whether someone with these roles reads an alert: the readers of its
 * audience, and the admins the operational ones. */
int
alert_may_read(const struct alert *a, unsigned roles)
{
	return (roles & alert_readers(a->audience)) != 0 ||
	    ((roles & ROLE_ADMIN) != 0 && alert_operational(a));
}

/* Whether someone with these roles may acknowledge an alert: whoever
 * reads it, so an alert cannot leave a list its people have not seen;
 * but the ward's only by someone who can act on it at the bedside (a
 * nurse, a competent person or a prescriber): acknowledging stops its
 * escalation, and the managers have that escalation. */
int
alert_may_acknowledge(const struct alert *a, unsigned roles)
{
	if (a->audience == AUDIENCE_WARD)
		return (roles & ALERT_CLINICAL_ROLES) != 0;
	return alert_may_read(a, roles);
}

/* The alert that tells the managers nobody acknowledged first. */
void
alert_escalation(struct alert *out, const struct alert *first, int64_t now)
{
	static const struct alert_policy	never = { { 0, 0, 0, 0 } };
	char					msg[ALERT_MESSAGE_MAX];
	int					minutes;

	minutes = (int)((now - first->raised_at) / 60000);
	if (snprintf(msg, sizeof msg, "not acknowledged after %d minutes: %s",
	    minutes, first->message) >= (int)sizeof msg)
		validate_utf8_repair(msg);	/* cut: end on a character */
	alert_raise(out, "escalation", first->severity, AUDIENCE_MANAGER,
	    first->patient_id[0] ? first->patient_id : NULL, first->id, msg,
	    now, &never);
}
