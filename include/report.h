/*
 * report.h: the commissioning report a technician hands over, as Markdown
 * (to read) and CSV (to process), written side by side into export_dir:
 * commissioning-NAME-YYYYMMDDTHHMMSSZ.md and .csv. Both hold the meter's
 * identity and software version, the metrology checksum CS the operator
 * typed off the LCD (Meter screen, c), the comm settings in use, the wiring
 * check
 * (preconditions, inferred Err codes, what the bus cannot tell), a snapshot
 * of every reading with its age, the bus statistics and the time.
 *
 * The CSV is RFC 4180 with the header "section,item,value,unit,note".
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "commission.h"
#include "conf.h"
#include "engine.h"
#include "err.h"
#include "meter.h"

struct report_in {
	const struct meter	*m;
	const struct bus_conf	*bus;		/* NULL: unknown */
	const struct bus_view	*bv;		/* NULL: no bus statistics */
	const struct commission	*cm;		/* NULL: evaluated from m */
	const char		*finder;	/* finder outcome, or NULL */
	const char		*cs;		/* CS typed off the LCD, or NULL */
	int64_t			 now_ms;	/* monotonic, for ages */
	int64_t			 wall_ms;	/* UTC ms since the epoch */
};

int	report_write_md(const struct report_in *, FILE *, struct err *);
int	report_write_csv(const struct report_in *, FILE *, struct err *);

/*
 * Write both files into dir; their paths go to md_path and csv_path.
 * Returns 0, or -1 with e->msg naming the file and the reason (nothing
 * half-written is left: temporary files are renamed at the end).
 */
int	report_write(const struct report_in *, const char *dir, char *md_path,
	    size_t md_len, char *csv_path, size_t csv_len, struct err *);

/* One RFC 4180 field: quoted when it holds , " CR or LF. */
void	report_csv_field(FILE *, const char *);

#endif
