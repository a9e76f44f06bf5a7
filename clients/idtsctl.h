/* What idtsctl's command files share. */
#ifndef IDTSCTL_H
#define IDTSCTL_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "client.h"
#include "timefmt.h"

/* Exit statuses, as idtsctl(1) documents them. */
#define CTL_OK		0
#define CTL_REFUSED	1	/* the daemon said no */
#define CTL_USAGE	2
#define CTL_UNREACHABLE	3

struct ctl {
	struct client	 client;
	int		 json;		/* --json: print answers as JSON */
};

/* A string for printf that may be missing from an answer. */
#define CTL_S(s)	((s) != NULL ? (s) : "?")

#define CTL_SAY_MESSAGE	0x1	/* a refusal as "message [code]" */

int	 ctl_call(struct ctl *, const char *method, const char *path,
	    json_t *body, int expect, json_t **answer);
int	 ctl_call_flags(struct ctl *, const char *method, const char *path,
	    json_t *body, int expect, json_t **answer, int flags);
void	 ctl_say_usage(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* A usage error, said, and CTL_USAGE: a macro so that the static
 * analyzer, which reads one file at a time, sees the status too. */
#define ctl_usage(...)	\
	__extension__ ({ ctl_say_usage(__VA_ARGS__); CTL_USAGE; })
int	 ctl_ask(const char *prompt, char *buf, size_t size, int secret);
void	 ctl_print_json(const json_t *);
const char *ctl_str(const json_t *obj, const char *key);

int	 ctl_quantity_arg(const char *text, int signed_ok, json_t **out);
const char *ctl_quantity_text(const json_t *v, int sign, char *buf,
	    size_t size);
const char *ctl_amount_text(const json_t *v, const char *unit, char *buf,
	    size_t size);
#define CTL_TIME	0	/* HH:MM */
#define CTL_DATE_TIME	1	/* YYYY-MM-DD HH:MM GMT */
#define CTL_LOCAL	2	/* Mon 07 Dec 19:57 GMT, as the daemon writes */
#define CTL_LOCAL_LEN	40	/* CALENDAR_LOCAL_LEN */
const char *ctl_local_time(const char *instant, int how, char *buf,
	    size_t size);
/* Time and text answers (idtsctl_time.c). */
int	 ctl_now(struct ctl *, int64_t *now);
int	 ctl_time_check(const char *what, const char *s);
int	 ctl_time_arg(struct ctl *, const char *what, const char *s,
	    int64_t *ms);
int	 ctl_date_arg(struct ctl *, const char *what, const char *s,
	    struct civil_date *);
int	 ctl_get_text(struct ctl *, const char *path, const char *accept);
int	 ctl_id_arg(const char *what, const char *arg);
int	 ctl_print_text(struct ctl *, const char *path, const char *title);

int	 ctl_witness(const char *username, const char *what, json_t **out);

int	 ctl_patient_resolve(struct ctl *, const char *arg, json_t **patient);
int	 ctl_product_resolve(struct ctl *, const char *arg, json_t **product);
const char *ctl_product_text(const json_t *product, char *buf, size_t size);
void	 ctl_override_say(const json_t *record, const char *what, FILE *f);
void	 ctl_print_clocks(const json_t *clocks, const json_t *patients);
int	 ctl_record_show(struct ctl *, const char *patient_id);
void	 ctl_prescriptions_print(struct ctl *, json_t *answer);

int	ctl_login(struct ctl *, int, char **);
int	ctl_logout(struct ctl *, int, char **);
int	ctl_health(struct ctl *, int, char **);
int	ctl_staff_add(struct ctl *, int, char **);
int	ctl_staff_list(struct ctl *, int, char **);
int	ctl_staff_set(struct ctl *, int, char **);
int	ctl_staff_changes(struct ctl *, int, char **);
int	ctl_staff_approve(struct ctl *, int, char **);
int	ctl_staff_decline(struct ctl *, int, char **);
int	ctl_pin(struct ctl *, int, char **);
int	ctl_patient_add(struct ctl *, int, char **);
int	ctl_patient_list(struct ctl *, int, char **);
int	ctl_patient_show(struct ctl *, int, char **);
int	ctl_patient_edit(struct ctl *, int, char **);
int	ctl_patient_history(struct ctl *, int, char **);
int	ctl_handover(struct ctl *, int, char **);
int	ctl_audit_verify(struct ctl *, int, char **);
int	ctl_audit_list(struct ctl *, int, char **);
int	ctl_backup(struct ctl *, int, char **);
int	ctl_backup_list(struct ctl *, int, char **);
int	ctl_clocks(struct ctl *, int, char **);
int	ctl_keyworker(struct ctl *, int, char **);
int	ctl_alerts(struct ctl *, int, char **);
int	ctl_ack(struct ctl *, int, char **);
int	ctl_products(struct ctl *, int, char **);
int	ctl_product_add(struct ctl *, int, char **);
int	ctl_product_set(struct ctl *, int, char **);
int	ctl_prescribe(struct ctl *, int, char **);
int	ctl_prescriptions(struct ctl *, int, char **);
int	ctl_stop(struct ctl *, int, char **);
int	ctl_review(struct ctl *, int, char **);
int	ctl_import(struct ctl *, int, char **);
int	ctl_confirm(struct ctl *, int, char **);
int	ctl_round(struct ctl *, int, char **);
int	ctl_give(struct ctl *, int, char **);
int	ctl_refuse(struct ctl *, int, char **);
int	ctl_withhold(struct ctl *, int, char **);
int	ctl_register(struct ctl *, int, char **);
int	ctl_receive(struct ctl *, int, char **);
int	ctl_check(struct ctl *, int, char **);
int	ctl_correct(struct ctl *, int, char **);
int	ctl_return(struct ctl *, int, char **);
int	ctl_destroy(struct ctl *, int, char **);
int	ctl_obs_due(struct ctl *, int, char **);
int	ctl_obs_record(struct ctl *, int, char **);
int	ctl_obs_extend(struct ctl *, int, char **);
int	ctl_flag(struct ctl *, int, char **);
int	ctl_report_obs(struct ctl *, int, char **);
int	ctl_report_run(struct ctl *, const char *path, int csv,
	    void (*print)(const json_t *));
int	ctl_report_doses(struct ctl *, int, char **);
int	ctl_report_clocks(struct ctl *, int, char **);
int	ctl_report_register(struct ctl *, int, char **);
int	ctl_report_alerts(struct ctl *, int, char **);
int	ctl_report_governance(struct ctl *, int, char **);
int	ctl_report_continuity(struct ctl *, int, char **);
int	ctl_export_episodes(struct ctl *, int, char **);
int	ctl_movement_add(struct ctl *, int, char **);
int	ctl_movement_depart(struct ctl *, int, char **);
int	ctl_movement_return(struct ctl *, int, char **);
int	ctl_movement_cancel(struct ctl *, int, char **);
int	ctl_movement_follow_up(struct ctl *, int, char **);
int	ctl_movement_summary(struct ctl *, int, char **);
int	ctl_movement_list(struct ctl *, int, char **);
int	ctl_court_list(struct ctl *, int, char **);
int	ctl_terminal_enrol(struct ctl *, int, char **);
int	ctl_terminal_list(struct ctl *, int, char **);
int	ctl_terminal_revoke(struct ctl *, int, char **);
int	ctl_readiness(struct ctl *, int, char **);
int	ctl_readiness_set(struct ctl *, int, char **);
int	ctl_readiness_history(struct ctl *, int, char **);
int	ctl_readiness_statement(struct ctl *, int, char **);
int	ctl_rota_show(struct ctl *, int, char **);
int	ctl_rota_set(struct ctl *, int, char **);
void	ctl_rota_on_duty_say(const json_t *doses, FILE *);

#endif
