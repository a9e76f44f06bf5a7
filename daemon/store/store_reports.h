/* The management reports' reads (store_reports.c): each feeds its
 * report's tally (daemon/rules/report_*.h) the rows of the tally's
 * period, in time order, and the tally decides what they count as. */
#ifndef IDTSD_STORE_REPORTS_H
#define IDTSD_STORE_REPORTS_H

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
enum store_result store_report_register(struct store *,
	    struct report_register *);
enum store_result store_report_patients(struct store *, const char *ids_json,
	    void (*each)(const struct store_patient_ref *, void *), void *arg);
enum store_result store_report_products(struct store *,
	    void (*each)(const struct product *, void *), void *arg);

#endif
