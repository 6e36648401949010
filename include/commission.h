/*
 * commission.h: the commissioning walk-through as a model (no curses, no
 * modbus). Three parts:
 *
 * - The wiring check. The leaflet's connection test needs current and
 *   voltage on every phase, 0.6 < |PF| < 1 and at least 20 A (20 % of Imax
 *   100 A); the checklist shows each precondition from live readings. The
 *   meter's own test result (MENU held 3 s) is on its LCD only, not on the
 *   bus, so the result shown is inferred (meter_wiring) and given in the
 *   meter's own terms, Err 0/1/2/3/7/8/9, each with what to fix.
 * - The comm-settings finder plan over the AUTO-mode envelope (9600..38400
 *   baud with 8N2, or 8 bits + even/odd parity + 1 stop) plus the MANU-only
 *   settings (4800 baud, 8N1), with the total time bounded up front.
 * - Comparing a setting that works with the configured one, naming what was
 *   wrong.
 */
#ifndef COMMISSION_H
#define COMMISSION_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "meter.h"

/* Leaflet preconditions of the connection test (English section). */
#define CM_V_PRESENT	150.0	/* V: the phase pictogram threshold */
#define CM_I_FLOWING	0.1	/* A: "presence of current" */
#define CM_I_MIN	20.0	/* A: 20 % of Imax 100 A */
#define CM_PF_LOW	0.6	/* 0.6 < PF < 1 */

enum cm_state { CM_UNKNOWN, CM_PASS, CM_FAIL };

enum cm_check_id {
	CM_CHECK_VOLTAGE,	/* voltage on each phase */
	CM_CHECK_CURRENT,	/* current on each phase */
	CM_CHECK_PF,		/* 0.6 < |PFn| < 1 on each phase; the detail
				 * shows |PFn|, what is checked */
	CM_CHECK_I20,		/* In >= 20 A on each phase */
	CM_NCHECKS
};

struct cm_check {
	const char	*label;		/* "Voltage on each phase > 150 V" */
	enum cm_state	 state;
	char		 detail[128];	/* "L1 231.07 V, L2 230.50 V, L3 ---" */
};

/* One line of the inferred result. */
struct cm_finding {
	int		 code;		/* Err 0/1/2/3/7/8/9; -1 phase absent */
	int		 phase;		/* 1..3, 0 for Err 0 */
	const char	*text;		/* the leaflet's wording */
	const char	*remedy;	/* what to fix */
};

/* Live readings for one evaluation, engineering units; has_* 0 = not read. */
struct cm_inputs {
	int		 has_v[3], has_i[3], has_p[3], has_pf[3];
	double		 v[3];		/* V */
	double		 i[3];		/* A */
	double		 p[3];		/* W */
	double		 pf[3];		/* signed: negative = leading */
};

struct commission {
	struct cm_check	 checks[CM_NCHECKS];
	int		 preconditions;	/* CM_PASS when every check passes */
	int		 known;		/* enough readings for a result */
	struct cm_finding findings[8];
	int		 nfindings;
	int		 healthy;	/* Err 0 inferred, every phase present */
};

/* The checklist and result from readings and a wiring diagnosis. */
void	commission_from_values(const struct cm_inputs *,
	    const struct wiring_diag *, struct commission *);
/* Same, from a meter's fresh values (three poll periods old at most). */
void	commission_evaluate(const struct meter *, int64_t now_ms,
	    struct commission *);
/* Fresh V, I, P, PF of the meter into in (engineering units). */
void	commission_inputs(const struct meter *, int64_t now_ms,
	    struct cm_inputs *);

/*
 * What the unit at m's address answers, in words, for the Comm line and the
 * report: "answers", "answers with exception 02 (illegal data address)",
 * "answers, but is not an E34: DIRIS A-10", "does NOT answer (timeout)".
 * Returns 1 when something answered at all (an exception and a foreign
 * device do), 0 otherwise.
 */
int	commission_answer_text(const struct meter *, char *buf, size_t len);
/* "illegal data address" for a Modbus exception code, or "unknown code". */
const char *commission_exception_name(int code);

/* "Err 2 = inverted connection of phase 2 (L2 <=> L2')" words, or NULL. */
const char *commission_err_text(int code);
const char *commission_err_remedy(int code);
const char *commission_state_word(enum cm_state);	/* "ok" "FAIL" "?" */
/* The one honest sentence about what the bus cannot tell. */
extern const char commission_not_readable[];

/* ---- comm settings ---- */

struct cm_setting {
	int		 baud;
	char		 parity;	/* 'N' 'E' 'O' */
	int		 stop_bits;
	int		 in_auto;	/* inside the AUTO-mode envelope */
};

#define CM_FINDER_MAX	17

struct cm_finder_plan {
	struct cm_setting s[CM_FINDER_MAX];
	int		 try_ms[CM_FINDER_MAX];	/* bound of one setting's tries */
	int		 n;
	int		 tries;		/* requests per setting */
	int		 timeout_ms;	/* answer timeout per request */
	int64_t		 total_ms;	/* bound of the whole search */
};

/* 1 when s is one the AUTO mode detects (leaflet). */
int	commission_setting_in_auto(const struct cm_setting *);
/* "19200 8N1" */
int	commission_setting_name(const struct cm_setting *, char *buf,
	    size_t len);

/*
 * Every setting the meter can be set to, the configured one (if a valid
 * E34 setting) first, then the AUTO envelope, then the MANU-only ones. Each
 * try is one FC03 read of the 4 "SOCO" words; its bound is timeout_ms plus
 * the request and answer on the wire plus the silences, and each setting
 * adds CM_FINDER_SWITCH_MS to reopen the line. Returns the number of
 * settings (plan->total_ms the bound of all of them).
 */
#define CM_FINDER_SWITCH_MS	50
int	commission_finder_plan(const struct bus_conf *configured,
	    int timeout_ms, int tries, struct cm_finder_plan *);

/*
 * What differs between the configured setting and one the meter answered
 * at: "baud 19200 -> 9600, parity none -> even (stop bits right)"; and a
 * hint when the configured one is outside the AUTO envelope. Returns the
 * length.
 */
int	commission_setting_diff(const struct bus_conf *configured,
	    const struct cm_setting *found, char *buf, size_t len);

#endif
