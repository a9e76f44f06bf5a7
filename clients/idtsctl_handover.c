/* idtsctl handover [--shift day|night] [--print|--html|--json]: the
 * handover sheet (GET /v1/handover) as the daemon writes it for a
 * printer, sent to the printer with lp, as its printable page, or as
 * JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "idtsctl.h"

/* handover */
int
ctl_handover(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "shift", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "print", no_argument, NULL, 'p' },
		{ "html", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char usage[] = "usage: idtsctl handover "
	    "[--shift day|night] [--json|--print|--html]";
	const char	*shift = NULL;
	char		 path[64], title[64];
	json_t		*answer;
	int		 ch, rc, how = 't';

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			shift = optarg;
		else if (ch == 'j' || ch == 'p' || ch == 'h')
			how = ch;
		else
			return ctl_usage(usage);
	}
	if (optind != argc || (shift != NULL && strcmp(shift, "day") != 0 &&
	    strcmp(shift, "night") != 0))
		return ctl_usage(usage);
	snprintf(path, sizeof path, "/handover%s%s", shift ? "?shift=" : "",
	    shift ? shift : "");
	snprintf(title, sizeof title, "idtsd handover %s", shift ? shift :
	    "next shift");
	if (how == 'p')
		return ctl_print_text(ctl, path, title);
	if (how == 'h')		/* the printable page, for a browser */
		return ctl_get_text(ctl, path, "text/html");
	if (how == 't' && !ctl->json)
		return ctl_get_text(ctl, path, "text/plain");
	if ((rc = ctl_call(ctl, "GET", path, NULL, 200, &answer)) != CTL_OK)
		return rc;
	ctl_print_json(answer);
	json_decref(answer);
	return CTL_OK;
}
