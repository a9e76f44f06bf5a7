/* idtsctl backup and backup list (admins). */
#include <stdio.h>

#include "idtsctl.h"
#include "table.h"

/* A whole number member, as text. */
static const char *
ctl_backup_number(const json_t *b, const char *key, char *buf, size_t size)
{
	const json_t	*v = json_object_get(b, key);

	if (!json_is_integer(v))
		return "-";
	snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	return buf;
}

/* idtsctl backup: an online backup now; says where, its size and the last
 * audit entry it holds once it is verified. */
int
ctl_backup(struct ctl *ctl, int argc, char **argv)
{
	json_t	*answer;
	char	 bytes[24], head[24];
	int	 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl backup");
	if ((rc = ctl_call(ctl, "POST", "/backups", NULL, 201, &answer)) !=
	    CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else
		printf("backup verified: %s, %s bytes, audit head %s\n",
		    ctl_str(answer, "file"), ctl_backup_number(answer, "bytes",
		    bytes, sizeof bytes), ctl_backup_number(answer,
		    "audit_head", head, sizeof head));
	json_decref(answer);
	return CTL_OK;
}

/* One backup as a row: when, its result, size, head, and its file or
 * why it failed. */
static void
ctl_backup_row(struct table *t, const json_t *b)
{
	char		 at[CTL_LOCAL_LEN], bytes[24], head[24];
	const char	*cells[5];

	cells[0] = ctl_local_time(ctl_str(b, "taken_at"), CTL_LOCAL, at,
	    sizeof at);
	if (!json_is_true(json_object_get(b, "verified")))
		cells[1] = "FAILED";
	else if (json_is_string(json_object_get(b, "pruned_at")))
		cells[1] = "pruned";
	else
		cells[1] = "verified";
	cells[2] = ctl_backup_number(b, "bytes", bytes, sizeof bytes);
	cells[3] = ctl_backup_number(b, "audit_head", head, sizeof head);
	cells[4] = json_is_string(json_object_get(b, "error")) ?
	    ctl_str(b, "error") : ctl_str(b, "file");
	table_add(t, cells);
}

/* idtsctl backup list: the latest backups, newest first. */
int
ctl_backup_list(struct ctl *ctl, int argc, char **argv)
{
	static const char *const headers[] = {
		"TAKEN", "RESULT", "BYTES", "AUDIT HEAD", "FILE OR WHY"
	};
	json_t		*answer, *b;
	struct table	*t;
	size_t		 i;
	int		 rc;

	(void)argv;
	if (argc != 1)
		return ctl_usage("usage: idtsctl backup list");
	if ((rc = ctl_call(ctl, "GET", "/backups", NULL, 200, &answer)) !=
	    CTL_OK)
		return rc;
	if (ctl->json)
		ctl_print_json(answer);
	else {
		t = table_new(5, headers);
		json_array_foreach(json_object_get(answer, "backups"), i, b)
			ctl_backup_row(t, b);
		table_print(t, stdout);
		table_free(t);
	}
	json_decref(answer);
	return CTL_OK;
}
