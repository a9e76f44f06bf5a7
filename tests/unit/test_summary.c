/* The escort's prescription summary and the discharge letter as text
 * (summary.c), rendered from hand-built JSON of the shape
 * GET /v1/movements/{id}/summary answers (api_summary.c): every field
 * line of a court summary and what it holds, the letter's community
 * section, follow-up and naloxone line, quantities as a chart writes
 * them, an empty list of prescriptions, and the 78-column page counted in
 * characters, with long text wrapped at word boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "summary.h"

#define WIDTH	78
#define MAXKEEP	32

/* What a test made, freed after it even when it fails. */
static json_t	*kept_json[MAXKEEP];
static char	*kept_text[MAXKEEP];
static int	 nkept_json, nkept_text;

static int
release(void **state)
{
	(void)state;
	while (nkept_json > 0)
		json_decref(kept_json[--nkept_json]);
	while (nkept_text > 0)
		free(kept_text[--nkept_text]);
	return 0;
}
#define LABEL	17	/* "  Current dose   " */
#define MAXF	8

/* JSON written with ' for " (none of the texts below has an
 * apostrophe). */
static json_t *
doc(const char *text)
{
	char		*s = strdup(text), *p;
	json_t		*j;
	json_error_t	 err;

	assert_non_null(s);
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	j = json_loads(s, 0, &err);
	if (j == NULL)
		fail_msg("bad JSON in the test, line %d: %s", err.line,
		    err.text);
	free(s);
	assert_true(nkept_json < MAXKEEP);
	kept_json[nkept_json++] = j;
	return j;
}

/* Characters (not bytes) of UTF-8 text. */
static size_t
chars(const char *s, size_t n)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Every line at most 78 characters; the text ends with a newline. */
static void
check_width(const char *text)
{
	const char	*p = text, *nl;
	int		 line = 1;

	assert_true(strlen(text) > 0);
	assert_int_equal(text[strlen(text) - 1], '\n');
	for (; *p != '\0'; p = nl + 1, line++) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (chars(p, (size_t)(nl - p)) > WIDTH)
			fail_msg("line %d is %zu characters:\n%.*s\n", line,
			    chars(p, (size_t)(nl - p)), (int)(nl - p), p);
	}
}

/* Whether a line is the start of field label: "  Label", padded with
 * spaces to column 17, then text. */
static int
is_field(const char *line, const char *label)
{
	size_t	n = strlen(label), i;

	if (strncmp(line, "  ", 2) != 0 || strncmp(line + 2, label, n) != 0)
		return 0;
	for (i = 2 + n; i < LABEL; i++)
		if (line[i] != ' ')
			return 0;
	return 1;
}

/* Every field with this label, in order: its text with continuation lines
 * (17 spaces, then text) joined by single spaces, and the lines it took.
 * Returns how many. */
struct field {
	char	*text;
	int	 lines;
	int	 at;		/* line number of its label */
};

static int
fields(const char *text, const char *label, struct field out[MAXF])
{
	const char	*p = text, *nl;
	int		 n = 0, line = 1;
	size_t		 len;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (is_field(p, label)) {
			assert_true(n < MAXF);
			len = (size_t)(nl - p) - LABEL;
			out[n].text = strndup(p + LABEL, len);
			out[n].lines = 1;
			out[n].at = line;
			/* Continuations. */
			while (nl[1] != '\0' && strncmp(nl + 1,
			    "                 ", LABEL) == 0 &&
			    nl[1 + LABEL] != ' ' && nl[1 + LABEL] != '\n') {
				const char	*q = nl + 1;
				char		*joined;

				nl = strchr(q, '\n');
				assert_non_null(nl);
				assert_int_not_equal(asprintf(&joined,
				    "%s %.*s", out[n].text,
				    (int)(nl - q - LABEL), q + LABEL), -1);
				free(out[n].text);
				out[n].text = joined;
				out[n].lines++;
				line++;
			}
			n++;
		}
		p = nl + 1;
		line++;
	}
	return n;
}

static void
free_fields(struct field *f, int n)
{
	while (n-- > 0)
		free(f[n].text);
}

/* The one field with this label holds exactly want. */
static void
field_is(const char *text, const char *label, const char *want)
{
	struct field	f[MAXF];
	int		n = fields(text, label, f);

	if (n != 1) {
		free_fields(f, n);
		fail_msg("%d fields \"%s\", expected 1, in:\n%s", n, label,
		    text);
	}
	if (strcmp(f[0].text, want) != 0) {
		print_error("field \"%s\"\nwant: %s\ngot:  %s\n", label, want,
		    f[0].text);
		free_fields(f, n);
		fail_msg("wrong field");
	}
	free_fields(f, n);
}

/* The nth (from 0) of several fields with this label holds want. */
static void
nth_field_is(const char *text, const char *label, int nth, int count,
    const char *want)
{
	struct field	f[MAXF];
	int		n = fields(text, label, f);

	if (n != count) {
		free_fields(f, n);
		fail_msg("%d fields \"%s\", expected %d", n, label, count);
	}
	if (strcmp(f[nth].text, want) != 0) {
		print_error("field \"%s\" #%d\nwant: %s\ngot:  %s\n", label,
		    nth + 1, want, f[nth].text);
		free_fields(f, n);
		fail_msg("wrong field");
	}
	free_fields(f, n);
}

static int
count_fields(const char *text, const char *label)
{
	struct field	f[MAXF];
	int		n = fields(text, label, f);

	free_fields(f, n);
	return n;
}

/* The line at which a field first appears (0 if none). */
static int
field_line(const char *text, const char *label)
{
	struct field	f[MAXF];
	int		n = fields(text, label, f), at = n ? f[0].at : 0;

	free_fields(f, n);
	return at;
}

/* Wrapped greedily at word boundaries: no continuation line's first word
 * would have fitted at the end of the line before it (counted in
 * characters, so a line of accented names is not broken early). */
static void
check_greedy(const char *text)
{
	const char	*p = text, *nl, *prev = NULL, *w;
	size_t		 prev_cols = 0, wl;

	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (prev != NULL && strncmp(p, "                 ",
		    LABEL) == 0 && p[LABEL] != ' ' && p + LABEL < nl) {
			w = p + LABEL;
			wl = strcspn(w, " \n");
			if (prev_cols + 1 + chars(w, wl) <= WIDTH)
				fail_msg("\"%.*s\" would have fitted on the "
				    "line before:\n%.*s", (int)wl, w,
				    (int)prev_cols + 20, prev);
		}
		prev = p;
		prev_cols = chars(p, (size_t)(nl - p));
	}
}

/* The text, not yet checked for width. */
static char *
render_unchecked(const json_t *j)
{
	char	*text = summary_render(j);

	assert_non_null(text);
	assert_true(nkept_text < MAXKEEP);
	kept_text[nkept_text++] = text;
	return text;
}

static char *
render(const json_t *j)
{
	char	*text = render_unchecked(j);

	check_width(text);
	check_greedy(text);
	return text;
}

#define PATIENT \
	"{'id':'7d1e0c4a-1111-4a1a-8a1a-000000000001'," \
	"'prison_number':'A1234BC','given_name':'Dewi'," \
	"'family_name':'Pritchard','date_of_birth':'1985-04-02'," \
	"'arrived_at':'2026-11-30T15:00:00Z','location':'B2-14'," \
	"'status':'in_custody','flags':{'stimulant_user':false," \
	"'in_community_treatment':false},'community_treatment':null," \
	"'clocks':[],'prescriptions':[],'observation_plan':null," \
	"'created_at':'2026-11-30T15:05:00Z'}"

#define PERSON(id, user, name) \
	"{'id':'" id "','username':'" user "','display_name':'" name "'}"

#define PRIYA	PERSON("5a5a5a5a-0000-4000-8000-000000000001", "priya", \
	"Dr Priya Shah")
#define NINA	PERSON("5a5a5a5a-0000-4000-8000-000000000002", "nina", \
	"Nina Nurse")
#define CODY	PERSON("5a5a5a5a-0000-4000-8000-000000000003", "cody", \
	"Cody Competent")

#define REGISTER_ID	"0b6a4c1e-5d2f-4e8a-9c3b-7f1d2e3a4b5c"

/* Methadone 60 ml every morning, last given Monday 07:45, witnessed. */
#define RX_METHADONE(current) \
	"{'id':'9e9e9e9e-0000-4000-8000-000000000001'," \
	"'patient_id':'7d1e0c4a-1111-4a1a-8a1a-000000000001'," \
	"'product':{'id':'1c1c1c1c-0000-4000-8000-000000000001'," \
	"'name':'Methadone','form':'oral solution','strength':'1 mg/ml'," \
	"'unit':'ml'},'regimen':'maintenance','dose':60," \
	"'current_dose':" current ",'current_active':{'quantity':" current \
	",'unit':'mg'},'unit':'ml','times':['08:00']," \
	"'every_days':1,'start_date':'2026-12-01','end_date':null," \
	"'steps':[],'prescriber':" PRIYA "," \
	"'created_at':'2026-12-01T10:00:00Z','state':'active'," \
	"'held_at':null,'not_taken_run':0,'stopped_at':null," \
	"'last_dose':{'dose_id':'d0d0d0d0-0000-4000-8000-000000000001'," \
	"'given_at':'2027-01-11T07:45:00Z','due_at':'2027-01-11T08:00:00Z'," \
	"'dose':60,'active':{'quantity':60,'unit':'mg'},'unit':'ml'," \
	"'administered_by':" NINA "," \
	"'witnessed_by':" CODY ",'register_entry_id':'" REGISTER_ID "'}}"

/* Buprenorphine reducing in steps, held after three doses not taken,
 * never given here. */
#define RX_BUPRENORPHINE \
	"{'id':'9e9e9e9e-0000-4000-8000-000000000002'," \
	"'patient_id':'7d1e0c4a-1111-4a1a-8a1a-000000000001'," \
	"'product':{'id':'1c1c1c1c-0000-4000-8000-000000000002'," \
	"'name':'Buprenorphine','form':'sublingual tablet'," \
	"'strength':'2 mg','unit':'mg'},'regimen':'reducing','dose':8," \
	"'current_dose':7.5,'unit':'mg','times':['08:00','20:00']," \
	"'every_days':1,'start_date':'2027-01-01','end_date':'2027-02-28'," \
	"'steps':[{'from_date':'2027-01-10','dose':7.5}," \
	"{'from_date':'2027-01-20','dose':4}," \
	"{'from_date':'2027-02-01','dose':0.25}]," \
	"'prescriber':" PRIYA ",'created_at':'2027-01-01T09:00:00Z'," \
	"'state':'held','held_at':'2027-01-11T20:00:00Z'," \
	"'not_taken_run':3,'stopped_at':null,'last_dose':null}"

#define MOVEMENT(kind, destination, departs, departed) \
	"{'id':'4b4b4b4b-0000-4000-8000-000000000001','kind':'" kind "'," \
	"'state':'planned','patient':{'id':" \
	"'7d1e0c4a-1111-4a1a-8a1a-000000000001','prison_number':'A1234BC'," \
	"'given_name':'Dewi','family_name':'Pritchard','location':'B2-14'}," \
	"'departs_at':'" departs "','destination':'" destination "'," \
	"'follow_up':null,'created_by':" NINA "," \
	"'created_at':'2027-01-11T18:00:00Z','departed_at':" departed "," \
	"'departed_by':null,'returned_at':null,'cancelled_at':null," \
	"'lead_alert_at':null,'cancel_reason':null,'morning_dose':null," \
	"'morning_doses':[]}"

static const char court_json[] =
	"{'kind':'prescription_summary',"
	"'title':'Prescription summary for the escort record',"
	"'generated_at':'2027-01-12T07:50:00Z',"
	"'movement':" MOVEMENT("court", "Cardiff Crown Court",
	    "2027-01-12T08:30:00Z", "null") ","
	"'patient':" PATIENT ","
	"'prescriptions':[" RX_METHADONE("60") "," RX_BUPRENORPHINE "],"
	"'community_treatment':null,'naloxone_line':false}";

static const char last_dose_line[] = "60 ml (60 mg) given Mon 11 Jan 07:45 "
	"GMT, by "
	"Nina Nurse (nina), witnessed by Cody Competent (cody); in the CD "
	"register";

/* A court summary: the title, every field of the patient, the movement
 * and each prescription, in order; no letter. */
static void
test_court(void **state)
{
	static const char *const order[] = {
		"Patient", "Prison number", "Date of birth", "Location",
		"Movement", "Departs", "Community", "Latest NEWS2",
		"Observations", "Drug", "Form", "Strength", "Current dose",
		"Regimen", "Prescriber", "Today", "Next dose due", "Last dose",
		"Hold",
	};
	json_t	*j = doc(court_json);
	char	*text = render(j);
	size_t	 i;

	(void)state;
	assert_true(strncmp(text, "Prescription summary for the escort "
	    "record\n", 43) == 0);
	field_is(text, "Patient", "Pritchard, Dewi");
	field_is(text, "Prison number", "A1234BC");
	field_is(text, "Date of birth", "1985-04-02");
	field_is(text, "Location", "B2-14");
	field_is(text, "Movement", "court to Cardiff Crown Court");
	field_is(text, "Departs", "Tue 12 Jan 08:30 GMT");

	assert_non_null(strstr(text, "\nPrescriptions in force\n"));
	assert_non_null(strstr(text, "\n\n1. Methadone oral solution 1 "
	    "mg/ml\n"));
	assert_non_null(strstr(text, "\n\n2. Buprenorphine sublingual tablet "
	    "2 mg\n"));
	nth_field_is(text, "Drug", 0, 2, "Methadone");
	nth_field_is(text, "Form", 0, 2, "oral solution");
	nth_field_is(text, "Strength", 0, 2, "1 mg/ml");
	nth_field_is(text, "Current dose", 0, 2, "60 ml (60 mg)");
	nth_field_is(text, "Regimen", 0, 2, "maintenance, at 08:00 daily; "
	    "from 2026-12-01");
	nth_field_is(text, "Prescriber", 0, 2, "Dr Priya Shah (priya)");
	nth_field_is(text, "Last dose", 0, 2, last_dose_line);
	nth_field_is(text, "Hold", 0, 2, "none");

	nth_field_is(text, "Drug", 1, 2, "Buprenorphine");
	nth_field_is(text, "Form", 1, 2, "sublingual tablet");
	nth_field_is(text, "Strength", 1, 2, "2 mg");
	nth_field_is(text, "Current dose", 1, 2, "7.5 mg");
	nth_field_is(text, "Regimen", 1, 2, "reducing, at 08:00, 20:00 daily; "
	    "from 2027-01-01 to 2027-02-28. Steps: 7.5 mg from 2027-01-10; "
	    "4 mg from 2027-01-20; 0.25 mg from 2027-02-01");
	nth_field_is(text, "Prescriber", 1, 2, "Dr Priya Shah (priya)");
	nth_field_is(text, "Last dose", 1, 2, "none given here");
	nth_field_is(text, "Hold", 1, 2, "HELD FOR REVIEW since Mon 11 Jan "
	    "20:00 GMT after 3 doses not taken: no dose until a prescriber "
	    "reviews it");

	/* In the order of the page. */
	for (i = 1; i < sizeof order / sizeof order[0]; i++)
		if (field_line(text, order[i - 1]) >= field_line(text,
		    order[i]))
			fail_msg("\"%s\" is not before \"%s\"", order[i - 1],
			    order[i]);

	/* Quantities as a chart writes them. */
	assert_null(strstr(text, "60.0"));
	assert_null(strstr(text, "7.50"));
	assert_null(strstr(text, ".000"));

	/* No letter. */
	assert_null(strstr(text, "Naloxone"));
	assert_null(strstr(text, "Community treatment"));
	assert_int_equal(count_fields(text, "Follow-up"), 0);
	assert_int_equal(count_fields(text, "Treatment"), 0);

	/* Signed and printed. */
	assert_non_null(strstr(text, "\n  Signed: "));
	assert_non_null(strstr(text, "\nPrinted by idtsd on Tue 12 Jan 07:50 "
	    "GMT.\n"));
}

/* A transfer is a summary too: no letter.  A departed movement says when
 * it left, in summer time. */
static void
test_transfer(void **state)
{
	json_t	*j = doc(
	    "{'kind':'prescription_summary',"
	    "'title':'Prescription summary for the escort record',"
	    "'generated_at':'2027-07-13T08:00:00Z',"
	    "'movement':" MOVEMENT("transfer", "HMP Parc",
		"2027-07-13T08:30:00Z", "'2027-07-13T08:41:00Z'") ","
	    "'patient':" PATIENT ","
	    "'prescriptions':[" RX_METHADONE("60") "],"
	    "'community_treatment':null,'naloxone_line':false}");
	char	*text = render(j);

	(void)state;
	field_is(text, "Movement", "transfer to HMP Parc");
	field_is(text, "Departs", "Tue 13 Jul 09:30 BST (left Tue 13 Jul "
	    "09:41 BST)");
	field_is(text, "Current dose", "60 ml (60 mg)");
	field_is(text, "Hold", "none");
	assert_null(strstr(text, "Naloxone"));
	assert_null(strstr(text, "Community treatment"));
	assert_int_equal(count_fields(text, "Follow-up"), 0);
}

/* The follow-up reception recorded: long, with Welsh and Irish names. */
static const char follow_up[] = "Appointment with Siân Llewelyn-Jones at "
	"the Swansea Community Drug Team, 14 Orchard Street, on Wednesday 14 "
	"July at 10:00; bring this letter. If she is unavailable ask for "
	"Rhiannon Ffôn-Ŷmdrech, Gwenllïan ap Siôn or Zoë Ní Bhriain, "
	"Siobhán Ó Súilleabháin, Llŷr Ţîmôthÿ. Pharmacy: Llŷn Pharmacy, "
	"Heol y Gadair, supervised consumption daily except Sunday.";

static const char letter_json_fmt[] =
	"{'kind':'discharge_letter',"
	"'title':'Discharge letter: substance misuse treatment',"
	"'generated_at':'2027-07-13T08:50:00Z',"
	"'movement':" MOVEMENT("release", "home, Swansea",
	    "2027-07-13T09:00:00Z", "'2027-07-13T09:12:00Z'") ","
	"'patient':" PATIENT ","
	"'prescriptions':[" RX_METHADONE("60.0") "],"
	"'community_treatment':{'drug':'Methadone','dose':60.0,'unit':'ml',"
	"'prescriber':'Dr Siân Llewelyn-Jones, Swansea Community Drug Team',"
	"'last_dose_at':'2026-12-01T09:00:00Z'},"
	"'follow_up':'%s','naloxone_line':true}";

/* A release: the summary's fields, then the community section, the
 * follow-up wrapped at word boundaries and the naloxone line. */
static void
test_letter(void **state)
{
	char		*json, *text;
	json_t		*j;
	struct field	 f[MAXF];
	int		 n;
	const char	*nalox, *community;

	(void)state;
	assert_int_not_equal(asprintf(&json, letter_json_fmt, follow_up), -1);
	j = doc(json);
	free(json);
	text = render(j);
	assert_true(strncmp(text, "Discharge letter: substance misuse "
	    "treatment\n", 45) == 0);

	/* Everything a summary has. */
	field_is(text, "Patient", "Pritchard, Dewi");
	field_is(text, "Prison number", "A1234BC");
	field_is(text, "Date of birth", "1985-04-02");
	field_is(text, "Location", "B2-14");
	field_is(text, "Movement", "release to home, Swansea");
	field_is(text, "Departs", "Tue 13 Jul 10:00 BST (left Tue 13 Jul "
	    "10:12 BST)");
	field_is(text, "Drug", "Methadone");
	field_is(text, "Form", "oral solution");
	field_is(text, "Strength", "1 mg/ml");
	field_is(text, "Current dose", "60 ml (60 mg)");	/* 60.0 in the JSON */
	field_is(text, "Regimen", "maintenance, at 08:00 daily; from "
	    "2026-12-01");
	field_is(text, "Hold", "none");
	nth_field_is(text, "Prescriber", 0, 2, "Dr Priya Shah (priya)");
	nth_field_is(text, "Last dose", 0, 2, last_dose_line);

	/* The community section, after the prescriptions. */
	community = strstr(text, "\nCommunity treatment (as reported at "
	    "reception)\n");
	assert_non_null(community);
	assert_true(community > strstr(text, "Prescriptions in force"));
	field_is(text, "Treatment", "Methadone 60 ml");
	nth_field_is(text, "Prescriber", 1, 2, "Dr Siân Llewelyn-Jones, "
	    "Swansea Community Drug Team");
	nth_field_is(text, "Last dose", 1, 2, "Tue 01 Dec 09:00 GMT");

	/* The follow-up: every word, in order, over several lines. */
	n = fields(text, "Follow-up", f);
	assert_int_equal(n, 1);
	if (strcmp(f[0].text, follow_up) != 0) {
		print_error("want: %s\ngot:  %s\n", follow_up, f[0].text);
		free_fields(f, n);
		fail_msg("follow-up changed by wrapping");
	}
	assert_true(f[0].lines >= 4);
	free_fields(f, n);

	/* The naloxone line, after the follow-up. */
	nalox = strstr(text, "\n  Naloxone supplied:  [ ] yes  [ ] no   "
	    "Kit/batch: ");
	assert_non_null(nalox);
	assert_true(nalox > strstr(text, "  Follow-up"));
	assert_true(field_line(text, "Follow-up") > field_line(text,
	    "Treatment"));
	assert_null(strstr(nalox + 4, "Naloxone"));	/* once */
	assert_null(strstr(text, ".000"));
}

/* A release of a patient with no community treatment reported and no
 * follow-up recorded (api_summary.c leaves follow_up out): still the
 * section, saying so, and the naloxone line. */
static void
test_letter_nothing_known(void **state)
{
	json_t	*j = doc(
	    "{'kind':'discharge_letter',"
	    "'title':'Discharge letter: substance misuse treatment',"
	    "'generated_at':'2027-01-12T07:50:00Z',"
	    "'movement':" MOVEMENT("release", "home",
		"2027-01-12T10:00:00Z", "null") ","
	    "'patient':" PATIENT ","
	    "'prescriptions':[],"
	    "'community_treatment':null,'naloxone_line':true}");
	char	*text = render(j);

	(void)state;
	assert_non_null(strstr(text, "\nCommunity treatment (as reported at "
	    "reception)\n"));
	field_is(text, "Treatment", "none reported");
	field_is(text, "Follow-up", "none recorded: arrange with the "
	    "community service");
	assert_non_null(strstr(text,
	    "\n  Naloxone supplied:  [ ] yes  [ ] no"));
	assert_non_null(strstr(text, "\nPrescriptions in force\n"
	    "------------------------------------------------------------------"
	    "------------\n  none\n"));
}

/* No prescriptions in force: "none", and no prescription fields. */
static void
test_no_prescriptions(void **state)
{
	json_t	*j = doc(
	    "{'kind':'prescription_summary',"
	    "'title':'Prescription summary for the escort record',"
	    "'generated_at':'2027-01-12T07:50:00Z',"
	    "'movement':" MOVEMENT("court", "Cardiff Crown Court",
		"2027-01-12T08:30:00Z", "null") ","
	    "'patient':" PATIENT ","
	    "'prescriptions':[],"
	    "'community_treatment':null,'naloxone_line':false}");
	char	*text = render(j);

	(void)state;
	assert_non_null(strstr(text, "\nPrescriptions in force\n"
	    "------------------------------------------------------------------"
	    "------------\n  none\n"));
	assert_int_equal(count_fields(text, "Drug"), 0);
	assert_int_equal(count_fields(text, "Current dose"), 0);
	assert_int_equal(count_fields(text, "Hold"), 0);
	assert_null(strstr(text, "1. "));
	field_is(text, "Patient", "Pritchard, Dewi");
	assert_null(strstr(text, "Naloxone"));
}

/* Quantities, and their active amounts: whole numbers without decimals,
 * others without trailing zeros, whether the JSON holds an integer or a
 * real. */
static void
test_quantities(void **state)
{
	static const struct {
		const char	*json, *shown;
	} cases[] = {
		{ "60", "60" }, { "60.0", "60" }, { "7.5", "7.5" },
		{ "7.50", "7.5" }, { "0.25", "0.25" }, { "0.125", "0.125" },
		{ "100", "100" }, { "10", "10" }, { "2.001", "2.001" },
		{ "0.5", "0.5" }, { "120.75", "120.75" },
	};
	char	*json, *text, want[64];
	json_t	*j;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_not_equal(asprintf(&json,
		    "{'kind':'prescription_summary','title':'T',"
		    "'generated_at':'2027-01-12T07:50:00Z',"
		    "'movement':" MOVEMENT("court", "X",
			"2027-01-12T08:30:00Z", "null") ","
		    "'patient':" PATIENT ","
		    "'prescriptions':[" RX_METHADONE("%s") "],"
		    "'community_treatment':null,'naloxone_line':false}",
		    cases[i].json, cases[i].json), -1);
		j = doc(json);
		free(json);
		text = render(j);
		snprintf(want, sizeof want, "%s ml (%s mg)", cases[i].shown,
		    cases[i].shown);
		field_is(text, "Current dose", want);
	}
}

/* Long names and a product whose name, form and strength are long (a
 * dm+d name, say) still fit the page. */
static void
test_long_text_fits(void **state)
{
	json_t	*j = doc(
	    "{'kind':'prescription_summary',"
	    "'title':'Prescription summary for the escort record',"
	    "'generated_at':'2027-01-12T07:50:00Z',"
	    "'movement':" MOVEMENT("court",
		"Merthyr Tydfil Combined Court Centre, Glebeland Place, "
		"Merthyr Tydfil CF47 8BH, Courtroom 3 (Crown)",
		"2027-01-12T08:30:00Z", "null") ","
	    "'patient':{'prison_number':'A1234BC',"
	    "'given_name':'Gwenllïan Angharad Siân Ffion Rhiannon',"
	    "'family_name':'Llewelyn-Jones ap Gruffydd ab Owain Glyndŵr',"
	    "'date_of_birth':'1985-04-02','location':'B2-14'},"
	    "'prescriptions':[{'product':{'name':"
	    "'Methadone hydrochloride 1mg/ml oral solution sugar free',"
	    "'form':'oral solution','strength':'1 mg/ml','unit':'ml'},"
	    "'regimen':'maintenance','current_dose':60,'unit':'ml',"
	    "'times':['08:00','12:00','16:00','20:00'],'every_days':7,"
	    "'start_date':'2026-12-01','end_date':null,'steps':[],"
	    "'prescriber':" PRIYA ",'held_at':null,'not_taken_run':0,"
	    "'last_dose':null}],"
	    "'community_treatment':null,'naloxone_line':false}");
	char	*text = render_unchecked(j);

	(void)state;
	field_is(text, "Patient", "Llewelyn-Jones ap Gruffydd ab Owain "
	    "Glyndŵr, Gwenllïan Angharad Siân Ffion Rhiannon");
	field_is(text, "Movement", "court to Merthyr Tydfil Combined Court "
	    "Centre, Glebeland Place, Merthyr Tydfil CF47 8BH, Courtroom 3 "
	    "(Crown)");
	field_is(text, "Regimen", "maintenance, at 08:00, 12:00, 16:00, 20:00 "
	    "every 7 days; from 2026-12-01");
	field_is(text, "Drug", "Methadone hydrochloride 1mg/ml oral solution "
	    "sugar free");
	check_greedy(text);
	/* Every line, the prescription's heading too. */
	check_width(text);
}

/* A uuid anywhere in text: 8 hex digits, a hyphen, 4 hex digits. */
static int
has_uuid(const char *text)
{
	const char	*p;

	for (p = text; *p != '\0'; p++)
		if (strspn(p, "0123456789abcdef") == 8 && p[8] == '-' &&
		    strspn(p + 9, "0123456789abcdef") == 4 && p[13] == '-')
			return 1;
	return 0;
}

/* The escort's summary for a man who left without his morning dose says
 * so, not the day before's dose as if it were today's; when the next is
 * due; the latest NEWS2, the plan, the community prescriber; doses in ml
 * and mg; and no internal id anywhere on the page. */
static void
test_court_today_not_given(void **state)
{
	json_t	*j = doc(court_json), *rx;
	char	*text;

	(void)state;
	rx = json_array_get(json_object_get(j, "prescriptions"), 0);
	json_object_set_new(rx, "today", json_pack("{s:s,s:s,s:n,s:s}",
	    "state", "not_given", "due_at", "2027-01-12T08:00:00Z",
	    "given_at", "not_given_as", "missed"));
	json_object_set_new(rx, "next_due_at",
	    json_string("2027-01-13T08:00:00Z"));
	json_object_set_new(j, "community_treatment", json_pack(
	    "{s:s,s:i,s:s,s:s}", "drug", "methadone", "dose", 30, "unit",
	    "ml", "prescriber", "Dr Community (Leeds CDS)"));
	json_object_set_new(j, "latest_observation", json_pack("{s:s,s:i,s:s}",
	    "taken_at", "2027-01-12T07:10:00Z", "news2", 3, "band", "low"));
	json_object_set_new(json_object_get(j, "patient"), "observation_plan",
	    json_pack("{s:s,s:s,s:i,s:s,s:b}", "starts_at",
	    "2027-01-11T09:00:00Z", "ends_at", "2027-01-14T09:00:00Z",
	    "base_interval_minutes", 60, "next_due_at",
	    "2027-01-12T08:10:00Z", "running", 1));
	text = render(j);
	nth_field_is(text, "Today", 0, 2, "today's dose NOT given (missed)");
	nth_field_is(text, "Next dose due", 0, 2, "Wed 13 Jan 08:00 GMT");
	nth_field_is(text, "Today", 1, 2, "no dose due today");
	nth_field_is(text, "Next dose due", 1, 2, "none scheduled");
	field_is(text, "Community", "Dr Community (Leeds CDS)");
	field_is(text, "Latest NEWS2", "3 (low), taken Tue 12 Jan 07:10 GMT");
	field_is(text, "Observations", "every 60 minutes until Thu 14 Jan "
	    "09:00 GMT; next due Tue 12 Jan 08:10 GMT");
	nth_field_is(text, "Current dose", 0, 2, "60 ml (60 mg)");
	/* Printed after the observation was due: said. */
	json_object_set_new(j, "generated_at",
	    json_string("2027-01-12T08:20:00Z"));
	text = render(j);
	field_is(text, "Observations", "every 60 minutes until Thu 14 Jan "
	    "09:00 GMT; next due Tue 12 Jan 08:10 GMT (OVERDUE)");
	/* Yesterday's dose is the last dose, never today's. */
	assert_null(strstr(text, "today's dose given"));
	assert_null(strstr(text, "PRINTED BEFORE"));
	if (has_uuid(text))
		fail_msg("an internal id on the page:\n%s", text);
}

/* Given: the time it was given.  Printed before it: the header says so
 * and to reprint, and the dose's time is given. */
static void
test_court_today_given_and_before(void **state)
{
	static const char	before[] = "Prescription summary for the "
	    "escort record\nPRINTED BEFORE THE MORNING DOSE: reprint after "
	    "it\n=====";
	json_t			*j = doc(court_json), *rx;
	char			*text;

	(void)state;
	rx = json_array_get(json_object_get(j, "prescriptions"), 0);
	json_object_set_new(rx, "today", json_pack("{s:s,s:s,s:s}",
	    "state", "given", "due_at", "2027-01-12T08:00:00Z",
	    "given_at", "2027-01-12T07:52:00Z"));
	text = render(j);
	nth_field_is(text, "Today", 0, 2, "today's dose given Tue 12 Jan "
	    "07:52 GMT");
	assert_null(strstr(text, "PRINTED BEFORE"));

	json_object_set_new(rx, "today", json_pack("{s:s,s:s,s:n}",
	    "state", "to_come", "due_at", "2027-01-12T08:00:00Z",
	    "given_at"));
	json_object_set_new(j, "printed_before_dose", json_true());
	text = render(j);
	assert_true(strncmp(text, before, strlen(before)) == 0);
	nth_field_is(text, "Today", 0, 2, "today's dose not given yet: due "
	    "Tue 12 Jan 08:00 GMT");
	field_is(text, "Community", "not in treatment in the community");
	field_is(text, "Latest NEWS2", "no observation recorded");
	field_is(text, "Observations", "none running");
}

/* A dose of the prescription: due at due (RFC 3339), in state, its
 * window an hour either side. */
static struct dose
dose_at(const char *due, enum dose_state state, const char *recorded)
{
	struct dose	d;

	memset(&d, 0, sizeof d);
	assert_int_equal(timefmt_parse_instant(due, &d.due_at), 0);
	d.window_start = d.due_at - 3600000;
	d.window_end = d.due_at + 3600000;
	d.state = state;
	if (recorded != NULL)
		assert_int_equal(timefmt_parse_instant(recorded,
		    &d.recorded_at), 0);
	return d;
}

/* The instant of s. */
static int64_t
instant(const char *s)
{
	int64_t	ms;

	assert_int_equal(timefmt_parse_instant(s, &ms), 0);
	return ms;
}

/* summary_today(): the escort day's first dose and the next to come. */
static void
test_today_rule(void **state)
{
	const struct civil_date	tue = { 2027, 1, 12 };
	struct summary_today	t;
	struct dose		d[3];

	(void)state;
	/* Monday's dose given, Tuesday's missed (the escort left at
	 * 08:35 without it, the window closed at 09:00): NOT given, never
	 * Monday's as if it were today's. */
	d[0] = dose_at("2027-01-11T08:00:00Z", DOSE_GIVEN,
	    "2027-01-11T08:05:00Z");
	d[1] = dose_at("2027-01-12T08:00:00Z", DOSE_MISSED, NULL);
	d[2] = dose_at("2027-01-13T08:00:00Z", DOSE_SCHEDULED, NULL);
	summary_today(d, 3, tue, instant("2027-01-12T16:00:00Z"), &t);
	assert_int_equal(t.state, SUMMARY_TODAY_NOT_GIVEN);
	assert_int_equal(t.as, DOSE_MISSED);
	assert_true(t.due_at == d[1].due_at);
	assert_true(t.next_due_at == d[2].due_at);
	assert_string_equal(summary_today_name(t.state), "not_given");

	/* Not recorded, its window closed: missed, as the round will say. */
	d[1].state = DOSE_SCHEDULED;
	summary_today(d, 3, tue, instant("2027-01-12T09:01:00Z"), &t);
	assert_int_equal(t.state, SUMMARY_TODAY_NOT_GIVEN);
	assert_int_equal(t.as, DOSE_MISSED);

	/* Refused, withheld and away are said as such. */
	d[1].state = DOSE_REFUSED;
	summary_today(d, 3, tue, instant("2027-01-12T08:30:00Z"), &t);
	assert_int_equal(t.as, DOSE_REFUSED);
	d[1].state = DOSE_AWAY;
	summary_today(d, 3, tue, instant("2027-01-12T08:30:00Z"), &t);
	assert_int_equal(t.as, DOSE_AWAY);

	/* Printed the night before, or at 07:00: to come. */
	d[1].state = DOSE_SCHEDULED;
	summary_today(d, 3, tue, instant("2027-01-11T20:00:00Z"), &t);
	assert_int_equal(t.state, SUMMARY_TODAY_TO_COME);
	assert_true(t.next_due_at == d[1].due_at);
	summary_today(d, 3, tue, instant("2027-01-12T07:00:00Z"), &t);
	assert_int_equal(t.state, SUMMARY_TODAY_TO_COME);
	assert_string_equal(summary_today_name(t.state), "to_come");

	/* Given: when. */
	d[1] = dose_at("2027-01-12T08:00:00Z", DOSE_GIVEN,
	    "2027-01-12T07:40:00Z");
	summary_today(d, 3, tue, instant("2027-01-12T08:35:00Z"), &t);
	assert_int_equal(t.state, SUMMARY_TODAY_GIVEN);
	assert_true(t.given_at == d[1].recorded_at);
	assert_true(t.next_due_at == d[2].due_at);

	/* No dose that day; nothing to come. */
	summary_today(&d[2], 1, tue, instant("2027-01-14T08:35:00Z"), &t);
	assert_int_equal(t.state, SUMMARY_TODAY_NONE);
	assert_true(t.next_due_at == 0);
	assert_string_equal(summary_today_name(t.state), "none");
}

/* The escort's day is local: in summer, a dose due 00:30 BST (23:30 UTC
 * the day before) is the day's, and one due 23:30 BST is not the next
 * day's. */
static void
test_today_rule_summer(void **state)
{
	const struct civil_date	day = { 2027, 7, 13 };
	struct summary_today	t;
	struct dose		d[2];
	struct movement		m;

	(void)state;
	d[0] = dose_at("2027-07-12T22:30:00Z", DOSE_GIVEN,
	    "2027-07-12T22:35:00Z");	/* 23:30 BST on the 12th */
	d[1] = dose_at("2027-07-12T23:30:00Z", DOSE_GIVEN,
	    "2027-07-12T23:31:00Z");	/* 00:30 BST on the 13th */
	summary_today(d, 2, day, instant("2027-07-13T08:00:00Z"), &t);
	assert_int_equal(t.state, SUMMARY_TODAY_GIVEN);
	assert_true(t.given_at == d[1].recorded_at);
	/* The escort's day is the local date it departs, or departed. */
	memset(&m, 0, sizeof m);
	m.departs_at = instant("2027-07-12T23:15:00Z");	/* 00:15 BST */
	assert_int_equal(timefmt_date_cmp(summary_day(&m), day), 0);
	m.departed_at = instant("2027-07-12T22:50:00Z");	/* 23:50 BST */
	assert_int_equal(timefmt_date_cmp(summary_day(&m),
	    (struct civil_date){ 2027, 7, 12 }), 0);
}

/* The printable page: the text escaped, a print stylesheet, no script. */
static void
test_html(void **state)
{
	json_t	*j = doc(court_json);
	char	*page;

	(void)state;
	json_object_set_new(json_object_get(j, "movement"), "destination",
	    json_string("Leeds <Crown> & \"Magistrates\""));
	page = summary_render_html(j);
	assert_non_null(page);
	kept_text[nkept_text++] = page;
	assert_true(strncmp(page, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(page, "@page{size:A4"));
	assert_non_null(strstr(page, "court to Leeds &lt;Crown&gt; &amp; "
	    "&quot;Magistrates&quot;"));
	assert_null(strstr(page, "<Crown>"));
	assert_null(strstr(page, "<script"));
	assert_non_null(strstr(page, "<pre>Prescription summary for the "
	    "escort record\n"));
}

/* Which prescriptions go on a movement's summary: those in force when
 * the patient leaves (not one that has ended), and of those stopped, only
 * one stopped by this departure when it ends care (a release or a
 * transfer), not by a court escort nor at another time. */
static void
test_includes(void **state)
{
	struct prescription	rx;
	struct movement		m;
	int64_t			now = 1815379200000;	/* 2027-07-12 09:00 BST */

	(void)state;
	memset(&rx, 0, sizeof rx);
	memset(&m, 0, sizeof m);
	rx.start = (struct civil_date){ 2027, 7, 1 };
	m.kind = MOVEMENT_RELEASE;
	assert_true(summary_includes(&rx, &m, now));
	rx.has_end = 1;
	rx.end = (struct civil_date){ 2027, 7, 12 };
	assert_true(summary_includes(&rx, &m, now));	/* its last day */
	rx.end = (struct civil_date){ 2027, 7, 11 };
	assert_false(summary_includes(&rx, &m, now));	/* ended */
	rx.has_end = 0;
	m.departed_at = now - 60000;
	rx.stopped_at = m.departed_at;
	assert_true(summary_includes(&rx, &m, now));	/* by the release */
	m.kind = MOVEMENT_TRANSFER;
	assert_true(summary_includes(&rx, &m, now));
	m.kind = MOVEMENT_COURT;
	assert_false(summary_includes(&rx, &m, now));
	m.kind = MOVEMENT_RELEASE;
	rx.stopped_at = m.departed_at - 1;
	assert_false(summary_includes(&rx, &m, now));	/* stopped before */
	m.departed_at = 0;
	rx.stopped_at = now - 1;
	assert_false(summary_includes(&rx, &m, now));	/* not departed */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_today_rule),
		cmocka_unit_test(test_today_rule_summer),
		cmocka_unit_test_teardown(test_court_today_not_given, release),
		cmocka_unit_test_teardown(test_court_today_given_and_before,
		    release),
		cmocka_unit_test_teardown(test_html, release),
		cmocka_unit_test_teardown(test_court, release),
		cmocka_unit_test_teardown(test_transfer, release),
		cmocka_unit_test_teardown(test_letter, release),
		cmocka_unit_test_teardown(test_letter_nothing_known, release),
		cmocka_unit_test_teardown(test_no_prescriptions, release),
		cmocka_unit_test_teardown(test_quantities, release),
		cmocka_unit_test_teardown(test_long_text_fits, release),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
