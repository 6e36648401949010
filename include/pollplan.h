/*
 * pollplan.h: the poll plan of a COUNTIS E34 and the engine's scheduling knobs.
 *
 * The plan is built from the register map (regmap_e34_*): the registers a
 * set wants are sorted by address and merged into FC03 requests of at most
 * POLL_MAX_WORDS, each spanning only registers an E34 defines (never a
 * reserved word or a gap). Wire times follow the line settings: a request
 * frame is 8 characters, its answer 5 + 2n, and each frame is followed by
 * the 3.5-character silent interval (1750 us above 19200 baud).
 *
 * Tables are static const; a plan is plain data the caller owns.
 */
#ifndef POLLPLAN_H
#define POLLPLAN_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "err.h"
#include "regmap.h"

#define POLL_MAX_WORDS	125	/* FC03 limit, and the E34 family's 128 */
#define POLL_MAX_REQS	24	/* requests in one set */
#define POLL_MAX_IDS	48	/* register rows covered by one request */
#define POLL_BRIDGE_MAX	8	/* defined words read to save a request */

/* One FC03 request and the register rows it covers entirely. */
struct poll_req {
	int		 addr;
	int		 count;
	int		 nids;
	enum reg_id	 ids[POLL_MAX_IDS];
};

struct poll_set {
	const char	*name;
	int		 nreq;
	int		 words;		/* sum of counts */
	struct poll_req	 req[POLL_MAX_REQS];
};

/* Which sets a cycle reads, and the identification steps. */
struct poll_plan {
	struct poll_set	 fast;		/* every poll: the CSV and Measurements */
	struct poll_set	 slow;		/* at start, then every slow_every_ms */
	struct poll_set	 info;		/* identification details, once per ident */
	struct poll_set	 magic;		/* "SOCO" at REG_SOCO_MAGIC: probe, ident 1 */
	struct poll_set	 name;		/* REG_EXTENDED_NAME: ident 2 */
	int		 slow_every_ms;	/* wanted spacing of slow reads */
};

/*
 * Build set s from nids register ids: rows sorted by address, contiguous
 * defined rows merged (gaps of up to `bridge` defined words are read too
 * when that saves a request), requests capped at POLL_MAX_WORDS. Returns 0,
 * or -1 when a row is unknown, not readable on an E34, or the set overflows.
 */
int		 poll_set_build(struct poll_set *s, const char *name,
		    const enum reg_id *ids, int nids, int bridge, struct err *e);
/* The E34 plan (fast, slow, info, magic, name) from the built-in register lists. */
int		 poll_plan_init(struct poll_plan *p, struct err *e);

/* Silent interval (3.5 characters; 1750 us above 19200 baud) of the RS485
 * line, behind a gateway too (rtu-tcp); 0 for Modbus TCP. */
uint32_t	 poll_t35_us(const struct bus_conf *b);
/* Wire time of one FC03 request of count words and its answer, silences included. */
uint32_t	 poll_req_wire_us(const struct bus_conf *b, int count);
uint32_t	 poll_set_wire_us(const struct bus_conf *b, const struct poll_set *s);
/* Print one set, a request per line: address, count, names, wire time. */
void		 poll_set_print(const struct bus_conf *b, const struct poll_set *s,
		    FILE *fp);

/* Identification (PRODUCT.md): 1 when the magic words read "SOCO". */
int		 poll_ident_magic_ok(const uint16_t *words, int count);
/*
 * 1 when the extended name words (REG_EXTENDED_NAME), decoded as
 * reg_decode decodes that register (trimmed), start with "countis e34" in
 * any case. The decoded name is copied to out. The model's identification
 * (meter_ident_decide, meter.h) and the scan use this one rule.
 */
int		 poll_ident_name_ok(const uint16_t *words, int count, char *out,
		    size_t outlen);

/*
 * Scheduling knobs of the engine (engine.c), for the headless modes.
 * Batch: every meter is polled exactly `cycles` times at its poll_ms (no
 * offline back-off: a dead meter's cycle records a timeout each time), the
 * slow set only when with_slow. Call before engine_start.
 */
struct engine;
void		 engine_set_batch(struct engine *, int cycles, int with_slow);
/* 1 when every meter has completed its batch cycles. */
int		 engine_batch_done(const struct engine *);
/* Cycles whose timer fired while the previous job was still queued. */
uint64_t	 engine_meter_overruns(const struct engine *, int meter);
/* 1 when bus `bus` was opened (connected) at least once since start. */
int		 engine_bus_ever_open(const struct engine *, int bus);
/*
 * Complete cycles of bus `bus` that did not identify (every request
 * answered): how many, the worker time they took, and their wire-time
 * bound, all summed since start (bench/ and -v).
 */
void		 engine_bus_cycle_time(const struct engine *, int bus,
		    uint64_t *cycles, uint64_t *run_us, uint64_t *wire_us);
/* The plan the engine polls with (built once by engine_new). */
const struct poll_plan *engine_plan(const struct engine *);

#endif
