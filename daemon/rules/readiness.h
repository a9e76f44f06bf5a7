/* The IDTS implementation toolkit's 35 sections, shipped as data, and its
 * two verdicts: ready for commissioning and ready to go live.  Pure. */
#ifndef IDTSD_READINESS_H
#define IDTSD_READINESS_H

#include <stddef.h>

#define READINESS_SECTIONS	35

/* In order: a section's status is at least its minimum when it compares
 * greater or equal.  NONE is no status recorded, judged as red. */
enum readiness_status {
	READINESS_NONE,
	READINESS_RED,
	READINESS_AMBER,
	READINESS_GREEN,
};

struct readiness_section {
	int			 number;	/* 1 .. 35 */
	const char		*heading;
	const char		*group;
	const char		*outcome;	/* the required outcome */
	enum readiness_status	 minimum;	/* to go live */
	int			 commissioning;	/* green to commission */
};

struct readiness_block {
	int			 number;
	const char		*heading;
	enum readiness_status	 status;
	enum readiness_status	 minimum;
};

struct readiness_verdict {
	int			ready;
	struct readiness_block	blocking[READINESS_SECTIONS];
	int			nblocking;
};

struct readiness_judgement {
	struct readiness_verdict go_live;
	struct readiness_verdict commissioning;
	int			 green, amber, red;	/* NONE counts red */
};

const struct readiness_section *readiness_section(int number);
const char *readiness_status_name(enum readiness_status);
int	readiness_status_parse(const char *, enum readiness_status *);
void	readiness_judge(const enum readiness_status status[READINESS_SECTIONS],
	    struct readiness_judgement *);

#endif
