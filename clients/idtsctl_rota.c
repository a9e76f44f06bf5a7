/* idtsctl rota: the duty rota day by day with the controlled-drug cover
 * of each dose round, and a day's shifts put. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idtsctl.h"

#define CTL_ROTA_MAX_SHIFTS	12

/* A person's names joined with ", " into buf. */
static const char *
ctl_rota_names(const json_t *list, const char *key, char *buf, size_t size)
{
	const json_t	*v;
	size_t		 i, len = 0;

	buf[0] = '\0';
	json_array_foreach(list, i, v)
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    i ? ", " : "", key != NULL ?
			    CTL_S(ctl_str(v, key)) : CTL_S(json_string_value(v)));
	return buf;
}

/* One day: its shifts, then each round, covered or why not. */
static void
ctl_rota_day(const json_t *day)
{
	const json_t	*s, *r;
	char		 a[CTL_LOCAL_LEN], b[CTL_LOCAL_LEN], names[512];
	size_t		 i;

	printf("%s%s%s\n", CTL_S(ctl_str(day, "date")),
	    json_is_true(json_object_get(day, "weekend")) ? " (weekend)" : "",
	    json_is_true(json_object_get(day, "bank_holiday")) ?
	    " (bank holiday)" : "");
	json_array_foreach(json_object_get(day, "shifts"), i, s)
		printf("  %-10s %s to %s  %s\n", CTL_S(ctl_str(s, "name")),
		    ctl_local_time(ctl_str(s, "starts"), CTL_TIME, a, sizeof a),
		    ctl_local_time(ctl_str(s, "ends"), CTL_DATE_TIME, b,
		    sizeof b), ctl_rota_names(json_object_get(s, "staff"),
		    "username", names, sizeof names));
	json_array_foreach(json_object_get(day, "rounds"), i, r) {
		ctl_local_time(ctl_str(r, "at"), CTL_TIME, a, sizeof a);
		if (json_is_true(json_object_get(r, "covered")))
			printf("  round %s  covered: %s and %s (on duty: %s)\n",
			    a, CTL_S(ctl_str(r, "nurse")),
			    CTL_S(ctl_str(r, "witness")), ctl_rota_names(
			    json_object_get(r, "on_duty"), NULL, names,
			    sizeof names));
		else
			printf("  round %s  NOT COVERED: %s\n", a,
			    CTL_S(ctl_str(r, "why")));
	}
}

/* Who is on the rota at each round time of the doses (in time order),
 * once a time; nothing for a day with nobody on the rota at all (a unit
 * that keeps its rota elsewhere). */
void
ctl_rota_on_duty_say(const json_t *doses, FILE *f)
{
	const json_t	*d, *on;
	const char	*last = "";
	char		 at[CTL_LOCAL_LEN], names[512];
	size_t		 i;
	int		 anyone = 0;

	json_array_foreach(doses, i, d)
		anyone |= json_array_size(json_object_get(d, "on_duty")) > 0;
	json_array_foreach(doses, i, d) {
		if (!anyone)
			break;
		on = json_object_get(d, "on_duty");
		if (!json_is_array(on) || ctl_str(d, "due_at") == NULL ||
		    strcmp(ctl_str(d, "due_at"), last) == 0)
			continue;
		last = ctl_str(d, "due_at");
		fprintf(f, "on duty at %s: %s\n", ctl_local_time(last,
		    CTL_TIME, at, sizeof at), json_array_size(on) == 0 ?
		    "nobody on the rota" : ctl_rota_names(on, NULL, names,
		    sizeof names));
	}
}

/* rota show [--from YYYY-MM-DD] [--to YYYY-MM-DD] */
int
ctl_rota_show(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*from = NULL, *to = NULL;
	const json_t	*day;
	char		 path[96];
	json_t		*answer;
	size_t		 i;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f')
			from = optarg;
		else if (ch == 't')
			to = optarg;
		else
			return CTL_USAGE;
	}
	if (optind != argc || (from != NULL && strlen(from) != 10) ||
	    (to != NULL && strlen(to) != 10))
		return ctl_usage("usage: idtsctl rota show [--from YYYY-MM-DD] "
		    "[--to YYYY-MM-DD]");
	snprintf(path, sizeof path, "/rota?%s%s%s%s", from ? "from=" : "",
	    from ? from : "", to ? "&to=" : "", to ? to : "");
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else {
		json_array_foreach(json_object_get(answer, "days"), i, day)
			ctl_rota_day(day);
		printf("%d round%s not covered\n", (int)json_integer_value(
		    json_object_get(answer, "gaps")), json_integer_value(
		    json_object_get(answer, "gaps")) == 1 ? "" : "s");
	}
	json_decref(answer);
	return CTL_OK;
}

/* "NAME,START,END,USER[,USER...]" as a shift; -1 if malformed. */
static int
ctl_rota_shift(const char *arg, json_t *shifts)
{
	char	*copy, *p, *tok, *save;
	json_t	*shift, *staff;
	int	 i;

	if ((copy = strdup(arg)) == NULL)
		return -1;
	shift = json_object();
	staff = json_array();
	for (i = 0, p = copy; (tok = strtok_r(p, ",", &save)) != NULL;
	    i++, p = NULL)
		if (i < 3)
			json_object_set_new(shift, i == 0 ? "name" : i == 1 ?
			    "starts" : "ends", json_string(tok));
		else
			json_array_append_new(staff, json_string(tok));
	free(copy);
	json_object_set_new(shift, "staff", staff);
	if (i < 3) {
		json_decref(shift);
		return -1;
	}
	json_array_append_new(shifts, shift);
	return 0;
}

/* rota set DATE [--shift "NAME,START,END,USER,..."]... (none: clear) */
int
ctl_rota_set(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "shift", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	json_t	*shifts = json_array(), *answer;
	char	 path[64];
	int	 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (ch != 's' || ctl_rota_shift(optarg, shifts) == -1) {
			json_decref(shifts);
			return ctl_usage("usage: idtsctl rota set YYYY-MM-DD "
			    "[--shift \"NAME,START,END,USER[,USER...]\"]... "
			    "(a night shift: \"night,19:30,tomorrow 07:30,"
			    "nora\")");
		}
	if (optind != argc - 1 || strlen(argv[optind]) != 10) {
		json_decref(shifts);
		return ctl_usage("usage: idtsctl rota set YYYY-MM-DD "
		    "[--shift \"NAME,START,END,USER[,USER...]\"]...");
	}
	snprintf(path, sizeof path, "/rota/%s", argv[optind]);
	rc = ctl_call(ctl, "PUT", path, json_pack("{s:o}", "shifts", shifts),
	    200, &answer);
	if (rc != CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		ctl_rota_day(json_array_get(json_object_get(answer, "days"), 0));
	json_decref(answer);
	return CTL_OK;
}
