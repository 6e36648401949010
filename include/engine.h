/*
 * engine.h: the poll engine. Owns the buses (one worker thread each, owning
 * its modbus_t), the meters and the poll plan; schedules polls on a libev
 * loop and never blocks it. Results come back through a queue and ev_async
 * and are applied to the model on the loop thread.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "err.h"
#include "meter.h"
#include "stats.h"

struct ev_loop;
struct engine;

/* What the console shows per bus. */
struct bus_view {
	const struct bus_conf	*conf;
	struct link_stats	 stats;
	int			 connected;	/* device open / TCP connected */
	char			 last_error[128];	/* e.g. "open /dev/ttyUSB0: No such file" */
	uint32_t		 round_us;	/* measured time of one poll round of every meter */
	uint32_t		 wire_round_us;	/* wire-time bound of one round at the line speed */
	int			 wanted_ms;	/* smallest poll_ms of its meters */
	int			 achievable_ms;	/* refresh the bus can carry */
	int			 nmeters;
};

/* Called on the loop thread each time a meter completes a poll cycle. */
typedef void	engine_cycle_cb(void *arg, const struct meter *);

struct engine	*engine_new(struct ev_loop *, const struct config *, struct err *);
/*
 * engine_new with flags: ENGINE_NO_TRENDS keeps no sparkline rings (a run
 * without a screen: --export-csv, --headless), 4.7 KiB a meter less.
 */
#define ENGINE_NO_TRENDS	0x1
struct engine	*engine_new_flags(struct ev_loop *, const struct config *,
		    unsigned flags, struct err *);
/* Start the workers and the timers. Returns 0 or -1 (e set). */
int		 engine_start(struct engine *, struct err *);
/* Stop timers, ask workers to finish, join them. Idempotent. */
void		 engine_stop(struct engine *);
void		 engine_free(struct engine *);	/* NULL is fine */

void		 engine_on_cycle(struct engine *, engine_cycle_cb *, void *arg);

/*
 * A configuration reload: eng (new, not started) takes over from old (the
 * running engine) every bus whose link it can use as it is (bus_link_same:
 * same type and device and line settings, or same host and port; the one
 * of the same name first, else a renamed one): worker thread, open
 * connection, serial lock and TIOCEXCL, line statistics; a new timeout
 * applies from the next request. The meters on such a bus that keep their
 * address keep their state (values, statistics, identification, back-off).
 * A request in progress on a bus taken over finishes first (at most one
 * timeout; the cycle it cut short is dropped); queued ones go back to old
 * unrun. Then old is stopped, which closes the buses not taken (before eng
 * opens any); free it once nothing reads it. sum (len bytes, may be NULL)
 * says what became of each bus: "bus a kept (connection open), bus b
 * reopened (baud 9600 -> 19200), bus c opened, bus d closed; 2 meters kept
 * their state". Loop thread.
 */
void		 engine_take_over(struct engine *eng, struct engine *old,
		    char *sum, size_t len);

/*
 * Publish every completed cycle to a consumer (consumer.h), in the order
 * added, after the model applied it. The engine does not own state.
 * Returns 0, or -1 when ENGINE_MAX_CONSUMERS are already added.
 */
#define ENGINE_MAX_CONSUMERS	8
struct consumer_ops;
int		 engine_add_consumer(struct engine *, const struct consumer_ops *,
		    void *state);

int		 engine_nmeters(const struct engine *);
const struct meter *engine_meter(const struct engine *, int i);
int		 engine_nbuses(const struct engine *);
const struct bus_view *engine_bus(const struct engine *, int i);
const struct config *engine_config(const struct engine *);
/*
 * 1 when meter i's values may be shown or exported as current: the model's
 * rule (meter_fresh) with the period its bus really achieves and its bus's
 * timeout. Every consumer asks this; none judges staleness itself.
 */
int		 engine_meter_fresh(const struct engine *, int i, int64_t now_ms);

/*
 * Guarded writes (PRODUCT.md): refused unless cfg->writes is on and
 * `confirmed` is set by a screen that asked the operator; never unit 0; never
 * 0xE200..0xE224; only to a unit identified as a COUNTIS E34 on the current
 * connection. The same bus job reads the identification ("SOCO" and the
 * extended name) again right before the write frame, and sends no write
 * when the unit no longer identifies as an E34 (it is then foreign).
 * done(arg, rc, msg) runs on the loop thread when the bus answered (rc 0)
 * or failed or refused (rc -1, msg says why). Returns 0 when queued, -1
 * with e->msg when refused (nothing is sent).
 */
typedef void	engine_write_cb(void *arg, int rc, const char *msg);
int		 engine_write_tariff(struct engine *, int meter, int tariff,
		    int confirmed, engine_write_cb *, void *arg, struct err *);
/* Clock: day, month, year (full, e.g. 2026), hour, minute, second. */
int		 engine_write_clock(struct engine *, int meter, const int ymdhms[6],
		    int confirmed, engine_write_cb *, void *arg, struct err *);

/*
 * Generic transactions for other modules (load curve paging, diagnostics):
 * ops run one after another on the meter's bus worker, between regular polls;
 * results are written into ops (owned by the caller, valid until cb) and cb
 * runs on the loop thread. Writes through this path are limited to the
 * load-curve command register (0xF000); anything else is refused with -1.
 */
struct engine_op {
	int		 write;		/* 0 read (FC03), 1 write (FC16) */
	int		 addr;
	int		 count;		/* 1..125 */
	uint16_t	 words[125];	/* read: out; write: in */
	int		 outcome;	/* enum stats_outcome */
	int		 exc_code;
	uint32_t	 lat_us;
};
typedef void	engine_ops_cb(void *arg, struct engine_op *ops, int nops);
int		 engine_submit_ops(struct engine *, int meter,
		    struct engine_op *ops, int nops, engine_ops_cb *, void *arg,
		    struct err *);

/*
 * Lend bus b's line to another user (the commissioning finder or scan opens
 * the same device): on = 1 stops polling after the request in progress,
 * closes the line and then calls released(arg) on the loop thread; on = 0
 * gives it back and polling resumes (meters are identified again).
 * Returns 0, or -1 when b is out of range.
 */
int		 engine_hold_bus(struct engine *, int b, int on,
		    void (*released)(void *), void *arg);

/*
 * Identify meter i again at once (the operator asked, or a scan found an
 * E34 there): a foreign or offline meter is asked now rather than at its
 * back-off. Engine_hold_bus's release does it for every meter of the bus.
 * Returns 0, or -1 when i is out of range.
 */
int		 engine_reidentify(struct engine *, int meter);

/* Wire time (us) of one poll round of nmeters E34 at the bus's line speed. */
uint32_t	 engine_round_wire_us(const struct bus_conf *, int nmeters);

/* Print the poll plan of one E34 and its wire time at bus b's speed. */
void		 engine_print_plan(const struct bus_conf *, FILE *);

#endif
