/* The IDTS implementation toolkit: its 35 sections as data (headings and
 * required outcomes summarised in this project's words, the section
 * numbers, groups and minimums as the toolkit has them), and the rules
 * for commissioning and going live.  Pure. */
#include <string.h>

#include "readiness.h"

#define A	READINESS_AMBER
#define G	READINESS_GREEN

/* Going live: no section red; 7, 8, 9, 14, 16, 25 and 26 at least amber
 * (for 14 and 16, amber is 75% of the staff in place); every other green.
 * Commissioning: 1, 2, 3, 5, 6, 10 and 11 green. */
static const struct readiness_section readiness_sections[] = {
	{ 1, "Strategic lead and steering group", "planning",
	    "A named senior lead and a steering group with the prison, "
	    "health and CARAT partners meet and minute decisions.", G, 1 },
	{ 2, "IDTS lead appointed", "planning",
	    "An IDTS lead is in post with time set aside to lead the "
	    "implementation.", G, 1 },
	{ 3, "Partnership agreement", "planning",
	    "The prison, healthcare commissioner, clinical provider and CARAT "
	    "provider have signed who does what.", G, 1 },
	{ 4, "Implementation plan", "planning",
	    "A costed plan with dates and owners for every section of this "
	    "toolkit is agreed.", G, 0 },
	{ 5, "Funding agreed", "planning",
	    "Funding for clinical and CARAT staff, drugs and facilities is "
	    "confirmed for the year ahead.", G, 1 },
	{ 6, "Needs assessment", "planning",
	    "The numbers arriving dependent on drugs, by drug, and the "
	    "releases, court trips and transfers are known and drive the "
	    "plan.", G, 1 },
	{ 7, "Clinical and dispensing rooms", "facilities",
	    "A treatment room with a hatch, privacy and supervised "
	    "consumption is ready.", A, 0 },
	{ 8, "Controlled drug storage", "facilities",
	    "Controlled drug cabinets and registers meet the regulations "
	    "and are inspected.", A, 0 },
	{ 9, "First night and detoxification cells", "facilities",
	    "Cells for first night and detoxification allow observation "
	    "through the night.", A, 0 },
	{ 10, "Clinical service commissioned", "commissioning",
	    "A service specification for substitute prescribing and "
	    "detoxification is commissioned.", G, 1 },
	{ 11, "Pharmacy service commissioned", "commissioning",
	    "A pharmacy supplies, delivers and accounts for controlled drugs "
	    "every day, weekends included.", G, 1 },
	{ 12, "Workforce plan", "workforce",
	    "The staff each shift needs, by role, are worked out from the "
	    "needs assessment.", G, 0 },
	{ 13, "Clinical lead and supervision", "workforce",
	    "A doctor leads clinically and every clinician has supervision.",
	    G, 0 },
	{ 14, "Clinical staff recruited", "workforce",
	    "The nurses and doctors of the workforce plan are in post "
	    "(amber: 75% of them).", A, 0 },
	{ 15, "Controlled drug staffing", "workforce",
	    "One qualified nurse plus one competent other on duty for every "
	    "round, daily, including weekends.", G, 0 },
	{ 16, "CARAT staff recruited", "workforce",
	    "The CARAT workers of the workforce plan are in post (amber: 75% "
	    "of them).", A, 0 },
	{ 17, "Training", "workforce",
	    "Every member of staff is trained for their part, with records "
	    "kept.", G, 0 },
	{ 18, "Reception screening", "clinical delivery",
	    "Everyone arriving is screened for drug and alcohol use on their "
	    "first night.", G, 0 },
	{ 19, "Clinical assessment", "clinical delivery",
	    "A clinician assesses dependence, with tests, before a first "
	    "prescription.", G, 0 },
	{ 20, "Substitute prescribing", "clinical delivery",
	    "Opioid substitutes are prescribed and given to protocol, "
	    "maintenance included.", G, 0 },
	{ 21, "Detoxification", "clinical delivery",
	    "Detoxification regimens for opioids, alcohol and benzodiazepines "
	    "are written and followed.", G, 0 },
	{ 22, "Supervised administration", "clinical delivery",
	    "Every dose is given, witnessed and recorded at its round.", G,
	    0 },
	{ 23, "Observation of stimulant users", "clinical delivery",
	    "Stimulant users are observed for the 72 hours after arrival, "
	    "every observation recorded.", G, 0 },
	{ 24, "Clinical records", "clinical delivery",
	    "Prescriptions, doses and observations are recorded and kept.",
	    G, 0 },
	{ 25, "CARAT assessment", "CARAT delivery",
	    "CARAT assesses everyone in treatment and keeps a care plan.", A,
	    0 },
	{ 26, "Psychosocial interventions", "CARAT delivery",
	    "Group and one-to-one psychosocial work is offered alongside "
	    "prescribing.", A, 0 },
	{ 27, "Keyworking", "CARAT delivery",
	    "Every prisoner in treatment has a keyworker allocated.", G, 0 },
	{ 28, "Joint reviews", "integrated working",
	    "Clinical and CARAT staff review each prisoner's treatment "
	    "together.", G, 0 },
	{ 29, "Information sharing", "integrated working",
	    "Consent and an agreement let clinical and CARAT staff share what "
	    "they need.", G, 0 },
	{ 30, "Prison regime", "integrated working",
	    "Unlock, movements and the rounds fit together, weekends "
	    "included.", G, 0 },
	{ 31, "Community treatment links", "continuity of care",
	    "Each arrival's community prescriber and drug team are contacted "
	    "and confirmed.", G, 0 },
	{ 32, "Release planning", "continuity of care",
	    "Every release has community treatment arranged before the day.",
	    G, 0 },
	{ 33, "Continuity within 24 hours", "continuity of care",
	    "Treatment begun outside is continued, and a keyworker allocated, "
	    "within 24 hours of arrival.", G, 0 },
	{ 34, "Transfers", "continuity of care",
	    "A transfer to another prison takes the prescription and record "
	    "with the prisoner.", G, 0 },
	{ 35, "Court and release mornings", "continuity of care",
	    "Morning doses are given before the escort leaves for court or "
	    "release.", G, 0 },
};

/* The section numbered number, NULL for none. */
const struct readiness_section *
readiness_section(int number)
{
	if (number < 1 || number > READINESS_SECTIONS)
		return NULL;
	return &readiness_sections[number - 1];
}

/* A status's name; NULL for none recorded. */
const char *
readiness_status_name(enum readiness_status s)
{
	static const char *const names[] = { NULL, "red", "amber", "green" };

	return names[s];
}

/* red, amber or green; -1 for anything else. */
int
readiness_status_parse(const char *name, enum readiness_status *out)
{
	enum readiness_status	s;

	for (s = READINESS_RED; s <= READINESS_GREEN; s++)
		if (strcmp(name, readiness_status_name(s)) == 0) {
			*out = s;
			return 0;
		}
	return -1;
}

/* A section below the minimum a verdict asks of it blocks that verdict. */
static void
readiness_require(struct readiness_verdict *v,
    const struct readiness_section *sec, enum readiness_status status,
    enum readiness_status minimum)
{
	struct readiness_block	*b;

	if (status >= minimum)
		return;
	b = &v->blocking[v->nblocking++];
	b->number = sec->number;
	b->heading = sec->heading;
	b->status = status;
	b->minimum = minimum;
	v->ready = 0;
}

/* Both verdicts and the counts, from each section's status (status[0] is
 * section 1's; NONE, no status, is red). */
void
readiness_judge(const enum readiness_status status[READINESS_SECTIONS],
    struct readiness_judgement *j)
{
	const struct readiness_section	*sec;
	enum readiness_status		 s;
	int				 i;

	memset(j, 0, sizeof *j);
	j->go_live.ready = j->commissioning.ready = 1;
	for (i = 0; i < READINESS_SECTIONS; i++) {
		sec = &readiness_sections[i];
		s = status[i];
		readiness_require(&j->go_live, sec, s, sec->minimum);
		if (sec->commissioning)
			readiness_require(&j->commissioning, sec, s,
			    READINESS_GREEN);
		if (s == READINESS_GREEN)
			j->green++;
		else if (s == READINESS_AMBER)
			j->amber++;
		else
			j->red++;
	}
}
