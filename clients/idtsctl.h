/* What idtsctl's command files share. */
#ifndef IDTSCTL_H
#define IDTSCTL_H

#include <jansson.h>

#include "client.h"

/* Exit statuses, as idtsctl(1) documents them. */
#define CTL_OK		0
#define CTL_REFUSED	1	/* the daemon said no */
#define CTL_USAGE	2
#define CTL_UNREACHABLE	3

struct ctl {
	struct client	 client;
	int		 json;		/* --json: print answers as JSON */
};

int	 ctl_call(struct ctl *, const char *method, const char *path,
	    json_t *body, int expect, json_t **answer);
int	 ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	 ctl_ask(const char *prompt, char *buf, size_t size, int secret);
void	 ctl_print_json(const json_t *);
const char *ctl_str(const json_t *obj, const char *key);

int	 ctl_patient_resolve(struct ctl *, const char *arg, json_t **patient);
void	 ctl_print_clocks(const json_t *clocks, const json_t *patients);

int	ctl_login(struct ctl *, int, char **);
int	ctl_logout(struct ctl *, int, char **);
int	ctl_health(struct ctl *, int, char **);
int	ctl_staff_add(struct ctl *, int, char **);
int	ctl_staff_list(struct ctl *, int, char **);
int	ctl_staff_set(struct ctl *, int, char **);
int	ctl_patient_add(struct ctl *, int, char **);
int	ctl_patient_list(struct ctl *, int, char **);
int	ctl_patient_show(struct ctl *, int, char **);
int	ctl_audit_verify(struct ctl *, int, char **);
int	ctl_audit_list(struct ctl *, int, char **);
int	ctl_clocks(struct ctl *, int, char **);
int	ctl_keyworker(struct ctl *, int, char **);
int	ctl_alerts(struct ctl *, int, char **);
int	ctl_ack(struct ctl *, int, char **);

#endif
