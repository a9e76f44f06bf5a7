/* Alerts: what is raised, to whom, how urgent, and when an
 * unacknowledged one escalates to the managers.  Pure. */
#ifndef IDTSD_ALERT_H
#define IDTSD_ALERT_H

#include <stdint.h>

#include "validate.h"

enum alert_severity {
	SEVERITY_INFO,
	SEVERITY_WARNING,
	SEVERITY_URGENT,
	SEVERITY_EMERGENCY,
};

enum alert_audience {
	AUDIENCE_WARD,
	AUDIENCE_MANAGER,
	AUDIENCE_RECEPTION,
	AUDIENCE_PRESCRIBER,
	AUDIENCE_PHARMACY,
	AUDIENCE_ON_CALL,	/* the prescriber or doctor on call */
};
#define ALERT_AUDIENCES		(AUDIENCE_ON_CALL + 1)

/* Who acknowledges an alert to the ward: those who act at the bedside. */
#define ALERT_CLINICAL_ROLES	(ROLE_NURSE | ROLE_COMPETENT | ROLE_PRESCRIBER)

/* Minutes within which each severity must be acknowledged. */
struct alert_policy {
	int	escalate_minutes[4];	/* by severity; 0: never */
};

#define ALERT_MESSAGE_MAX	1024	/* bytes: two names of 100 characters fit */
#define ALERT_NOTE_MAX		500	/* characters */

struct alert {
	int64_t			seq;		/* stream position */
	char			id[UUID_STR_LEN];
	char			kind[32];
	enum alert_severity	severity;
	enum alert_audience	audience;
	char			patient_id[UUID_STR_LEN];	/* or "" */
	char			subject_id[UUID_STR_LEN];	/* or "" */
	int64_t			raised_at;
	char			message[ALERT_MESSAGE_MAX];
	char			acked_by[UUID_STR_LEN];		/* or "" */
	int64_t			acked_at;	/* 0 until acknowledged */
	char			ack_note[ALERT_NOTE_MAX * 4 + 1];
	int64_t			escalate_at;	/* 0: never escalates */
	int			escalated;
};

const char *alert_severity_name(enum alert_severity);
const char *alert_audience_name(enum alert_audience);
int	alert_severity_parse(const char *, enum alert_severity *);
int	alert_audience_parse(const char *, enum alert_audience *);
void	alert_raise(struct alert *, const char *kind, enum alert_severity,
	    enum alert_audience, const char *patient_id,
	    const char *subject_id, const char *message, int64_t now,
	    const struct alert_policy *);
void	alert_raise_with_managers(struct alert out[2], const char *kind,
	    enum alert_severity, enum alert_audience,
	    const char *patient_id, const char *subject_id,
	    const char *message, int64_t now);
#define ALERT_DETERIORATION_N	3
void	alert_raise_deterioration(struct alert out[ALERT_DETERIORATION_N],
	    const char *kind, enum alert_severity, const char *patient_id,
	    const char *subject_id, const char *message, int64_t now,
	    const struct alert_policy *);
void	alert_escalation(struct alert *out, const struct alert *first,
	    int64_t now);
unsigned alert_readers(enum alert_audience);
int	alert_may_read(const struct alert *, unsigned roles);
int	alert_may_acknowledge(const struct alert *, unsigned roles);

#endif
