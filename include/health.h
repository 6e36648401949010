/*
 * health.h: what a meter's values are worth to a reader, as words: live or
 * stale and how old, the state word ("ok", "ok Err2", "stale 12s",
 * "timeout 12s", ...), a register's value as text, and the marks that
 * need a look. Model in, text out: no curses, no engine; the caller passes
 * the clock and the limits (the console takes them from the engine's
 * plan and bus views, ui-view.c), so the unit tests call it on a bare
 * struct meter.
 *
 * The one staleness rule: a value is not live when it is older than its
 * register's limit or the meter's last cycle failed (health_stale). The
 * limit of what every cycle reads is health_limit_ms: twice the period the
 * bus really achieves plus one answer timeout, the same bound meter_fresh()
 * applies for the exporters.
 */
#ifndef HEALTH_H
#define HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "meter.h"

/* How often the engine reads a register (its poll plan). */
enum health_poll {
	HEALTH_POLL_NONE,	/* never: not in the plan */
	HEALTH_POLL_EVERY,	/* every poll cycle */
	HEALTH_POLL_SLOW,	/* at start, then every slow period */
	HEALTH_POLL_IDENT	/* once per identification (constants) */
};

/* How a value is shown. */
enum health_val {
	HEALTH_VAL_NONE,	/* never read: "---" */
	HEALTH_VAL_NA,		/* the meter said "not available": "n/a" */
	HEALTH_VAL_FRESH,	/* read within its limit */
	HEALTH_VAL_STALE	/* older, or the last cycle failed */
};

/* What kind of state a meter is in (counts, sorting, colour). */
enum health {
	HEALTH_OK,		/* answers, nothing to see */
	HEALTH_MARKED,		/* answers, but an inferred Err or a failed check */
	HEALTH_STALE,		/* answered, but not lately */
	HEALTH_FAILING,		/* timeout, CRC, exception, I/O, offline, foreign */
	HEALTH_WAITING,		/* not polled or identified yet */
	HEALTH__COUNT
};

/*
 * The age past which what every cycle reads is stale: 2 * the period
 * (poll_ms, or the bus's achievable refresh when longer) + timeout_ms.
 */
int64_t		 health_limit_ms(int64_t poll_ms, int64_t achievable_ms,
		    int64_t timeout_ms);
/* The limit of a register read as poll says: every_ms for every cycle,
 * twice the slow period on top for the slow set, none (INT64_MAX) for
 * identification constants. */
int64_t		 health_reg_limit_ms(enum health_poll, int64_t every_ms,
		    int64_t slow_every_ms);
/* The rule: 1 when a value age_ms old is not live (m NULL: 1). */
int		 health_stale(const struct meter *, int64_t age_ms,
		    int64_t limit_ms);
/* How old m's values are: since its last good cycle (-1: never). */
int64_t		 health_age_ms(const struct meter *, int64_t now_ms);

/*
 * Text of register id of m into buf with the row's decimals, scaled by
 * 10^shift first (shift -3 turns W into kW); its age in *age_ms (-1: never
 * read). Never prints 0 for a value that was not read. limit_ms is the
 * register's limit (health_reg_limit_ms).
 */
enum health_val	 health_reg_text(const struct meter *, enum reg_id, int shift,
		    int64_t now_ms, int64_t limit_ms, char *buf, size_t len,
		    int64_t *age_ms);

/*
 * The state word of m at now_ms ("ok", "ok Err2", "stale 12s", "timeout
 * 12s", "offline 2m", "exc 2 5s", "waiting", ...; at most 12 columns) and
 * its kind. limit_ms: health_limit_ms for m.
 */
enum health	 health_state(const struct meter *, int64_t now_ms,
		    int64_t limit_ms, char *buf, size_t len);

#define HEALTH_MARK_WIRING	0x1	/* an inferred Err 1/2/3/7/8/9 */
#define HEALTH_MARK_CHECK	0x2	/* T1..T4 sum or monotonic check failed */
/*
 * The marks of m from readings fresh at now_ms: "Err2", "Err1,7", "CHECK",
 * "Err2 CHECK", or "" when there is none (and when the readings are too
 * old to say). Returns the HEALTH_MARK_* bits set.
 */
int		 health_marks(const struct meter *, int64_t now_ms, char *buf,
		    size_t len);

/* "850ms", "3s", "59s", "12m", "5h", "3d": an age or duration. */
void		 health_fmt_age(char *, size_t, int64_t ms);
/* "250 ms", "1.5 s", "12 s": a refresh period or latency ("?" below 0). */
void		 health_fmt_period(char *, size_t, int64_t ms);

#endif
