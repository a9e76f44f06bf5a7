/* The arithmetic of the compliance reports: counts of dues met on time,
 * late (and how late) or missed, added up per patient, per day and for
 * the unit, and the share on time.  Pure. */
#ifndef IDTSD_REPORT_H
#define IDTSD_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct report_counts {
	int	due;		/* on_time + late + missed */
	int	on_time;
	int	late;
	int	missed;
	int	pending;	/* still open: not yet counted */
	int64_t	late_max_ms;
	int64_t	late_total_ms;
};

void	report_add(struct report_counts *sum, const struct report_counts *);
int	report_on_time_tenths(const struct report_counts *);
int64_t	report_late_mean_ms(const struct report_counts *);
int	report_csv_field(char *out, size_t size, const char *text);

#endif
