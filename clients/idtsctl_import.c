/* idtsctl import and confirm: an arrival from a signed transfer document,
 * and a prescriber confirming what it brought. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "idtsctl.h"
#include "validate.h"

/* import FILE: the document as another establishment's idtsd wrote it
 * ("-" reads it from standard input). */
int
ctl_import(struct ctl *ctl, int argc, char **argv)
{
	json_error_t	 err;
	json_t		*doc, *answer, *imp;
	int		 rc;

	if (argc != 2)
		return ctl_usage("usage: idtsctl import FILE");
	doc = strcmp(argv[1], "-") == 0 ? json_loadf(stdin, 0, &err) :
	    json_load_file(argv[1], 0, &err);
	if (doc == NULL) {
		fprintf(stderr, "idtsctl: %s: not a JSON document: %s (line "
		    "%d)\n", argv[1], err.text, err.line);
		return CTL_USAGE;
	}
	if ((rc = ctl_call_flags(ctl, "POST", "/arrivals/import", doc, 201,
	    &answer, CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	if (ctl->json) {
		ctl_print_json(answer);
		json_decref(answer);
		return CTL_OK;
	}
	imp = json_object_get(answer, "import");
	printf("%s  %s, %s  arrived from %s (document %s)\n",
	    CTL_S(ctl_str(answer, "prison_number")),
	    CTL_S(ctl_str(answer, "family_name")),
	    CTL_S(ctl_str(answer, "given_name")), CTL_S(ctl_str(imp,
	    "sender")), CTL_S(ctl_str(imp, "document_id")));
	printf("patient %s at %s\n", CTL_S(ctl_str(answer, "id")),
	    CTL_S(ctl_str(answer, "location")));
	ctl_print_clocks(json_object_get(answer, "clocks"), NULL);
	printf("%lld prescription(s) to be confirmed by a prescriber "
	    "(idtsctl prescriptions %s; idtsctl confirm ID): none is given "
	    "until confirmed\n", (long long)json_integer_value(
	    json_object_get(imp, "prescriptions_to_confirm")),
	    CTL_S(ctl_str(answer, "prison_number")));
	json_decref(answer);
	return CTL_OK;
}

/* confirm PRESCRIPTION [--override REASON] */
int
ctl_confirm(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "override", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*usage = "usage: idtsctl confirm PRESCRIPTION "
	    "[--override REASON]";
	const char	*reason = NULL;
	json_t		*body, *answer;
	char		 path[160];
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'o')
			return ctl_usage("%s", usage);
		reason = optarg;
	}
	if (optind != argc - 1)
		return ctl_usage("%s", usage);
	if (validate_uuid(argv[optind]) == -1)
		return ctl_usage("PRESCRIPTION is the id of one to be "
		    "confirmed, as idtsctl prescriptions PATIENT shows it");
	body = reason == NULL ? json_object() : json_pack("{s:{s:s}}",
	    "override", "reason", reason);
	snprintf(path, sizeof path, "/prescriptions/%s/confirm",
	    argv[optind]);
	if ((rc = ctl_call_flags(ctl, "POST", path, body, 201, &answer,
	    CTL_SAY_MESSAGE)) != CTL_OK)
		return rc;
	ctl_prescriptions_print(ctl, answer);
	if (!ctl->json)
		printf("confirmed: written as your prescription, its doses on "
		    "the round\n");
	json_decref(answer);
	return CTL_OK;
}
