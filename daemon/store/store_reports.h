/* The management reports' reads (store_reports.c): each feeds its
 * report's tally (daemon/rules/report_*.h) the rows of the tally's
 * period, in time order, and the tally decides what they count as. */
#ifndef IDTSD_STORE_REPORTS_H
#define IDTSD_STORE_REPORTS_H

#include "episode.h"
#include "store.h"

struct report_doses;
struct report_clocks;
struct report_alerts;
struct report_register;
struct report_continuity;
struct product;

enum store_result store_report_doses(struct store *, struct report_doses *);
enum store_result store_report_clocks(struct store *, struct report_clocks *);
enum store_result store_report_alerts(struct store *, struct report_alerts *);
enum store_result store_report_continuity(struct store *,
	    struct report_continuity *);
/* A prescription of a patient for the episodes export, with the patient
 * and the release or transfer that ended the stay (exit_at 0 if none). */
struct store_episode_row {
	const char		*patient_id;
	const char		*prison_number;
	const char		*family_name;
	const char		*given_name;
	const char		*date_of_birth;
	int64_t			 arrived_at;
	struct episode_rx	 rx;
	int64_t			 exit_at;
	const char		*exit_kind;
	const char		*exit_destination;
	const char		*follow_up;
};

enum store_result store_report_episodes(struct store *, int64_t from,
	    int64_t to, int (*each)(const struct store_episode_row *, void *),
	    void *arg);
enum store_result store_report_register(struct store *,
	    struct report_register *);
enum store_result store_report_patients(struct store *, const char *ids_json,
	    void (*each)(const struct store_patient_ref *, void *), void *arg);
enum store_result store_report_products(struct store *,
	    void (*each)(const struct product *, void *), void *arg);

#endif
