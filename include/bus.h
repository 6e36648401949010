/*
 * bus.h: one Modbus line (an RS485 device via RTU, or a TCP connection) and
 * the worker thread that drives it.
 *
 * libmodbus lives behind this header and nowhere else above it. Two layers:
 *
 *  - struct bus_link: the blocking transport, used only by the thread that
 *    owns it (a bus worker, or a scan worker). It opens the device or the
 *    connection (bus-rtu.c, bus-tcp.c; RTU over TCP, bus-rtu-tcp.c, is
 *    the RTU framing on a TCP socket), runs one transaction at a time,
 *    respects the 3.5-character silent interval between frames, measures
 *    latency and line time, and classifies the outcome. libmodbus opens
 *    and closes the line; the frames themselves are built, sent, read and
 *    matched here (unit, function, byte count, and on TCP the transaction
 *    id), against one absolute deadline per request, so that a late,
 *    duplicated, stray or trickled answer is never taken for another.
 *
 *  - struct bus: a worker thread owning a bus_link, a job queue fed by the
 *    loop thread, and a result queue handed back through an ev_async. The
 *    loop never waits on a bus.
 *
 * Every Modbus write goes through bus_write_check() (the guard), and the
 * transport refuses a write job the guard has not passed.
 */
#ifndef BUS_H
#define BUS_H

#include <pthread.h>
#include <stdint.h>
#include <sys/queue.h>

#include <ev.h>

#include "conf.h"
#include "err.h"
#include "stats.h"

struct _modbus;

#define BUS_MAX_WORDS	125
#define BUS_JOB_MAX	24	/* transactions in one job */

/* The blocking transport; owned by one thread at a time. */
#define BUS_RX_MAX	300	/* a TCP ADU is at most 260 bytes */
#define BUS_TCP_SILENT_MAX	3	/* timeouts in a row: new connection */

struct bus_link {
	const struct bus_conf	*conf;
	struct _modbus		*ctx;		/* NULL when closed */
	int			 timeout_ms;	/* response timeout in use */
	uint32_t		 t35_us;	/* silent interval, 0 on TCP */
	int64_t			 line_free_us;	/* monotonic us the line is quiet */
	char			 last_error[256];
	uint16_t		 tid;		/* TCP: last transaction id sent */
	uint8_t			 rx[BUS_RX_MAX];	/* TCP: bytes of frames */
	int			 rx_n;		/* not yet taken from rx; RTU:
						 * bytes came after the answer */
	/*
	 * TCP: after this many timeouts in a row (any unit) the connection
	 * is dropped and made anew: a gateway that keeps the socket but no
	 * longer answers. 0: never (a scan, where silence is the norm).
	 */
	int			 silent_max;
	int			 silent_n;	/* timeouts in a row */
	uint8_t			 silent_unit[BUS_TCP_SILENT_MAX]; /* whose */
	int			 dropped_silent; /* closed for silence */
	int			 answered;	/* an answer on this connection */
	/*
	 * TCP and RTU over TCP: when a connection that never answered
	 * fails, ask the port in the other framing and name what it speaks
	 * in last_error (a wrong type). spoken: that framing once known.
	 */
	int			 name_kind;
	int			 spoken_other;	/* the other framing answered */
	char			 lock_path[96];	/* RTU: our lock file, or "" */
};

/* One transaction and its outcome. */
struct bus_xfer {
	int		 write;		/* 0: FC03; 1: FC06 (count 1) or FC16 */
	int		 fc16;		/* for a 1-word write: FC16 rather than FC06 */
	int		 addr;
	int		 count;		/* 1..BUS_MAX_WORDS */
	uint16_t	*words;		/* count words, the submitter's
					 * storage: read: out; write: in */
	int		 ran;		/* 0: skipped (cycle stopped before it) */
	enum stats_outcome outcome;
	int		 exc_code;	/* Modbus exception code */
	int		 err_no;	/* errno of a failure */
	uint32_t	 lat_us;	/* request sent to answer received */
	uint32_t	 busy_us;	/* line held, silent interval included */
	int64_t		 done_ms;	/* monotonic ms the answer arrived */
	int64_t		 done_wall_ms;
	const void	*tag;		/* the submitter's (e.g. its poll_req) */
	int		 other_unit;	/* an answer from this unit came
					 * instead (late after its timeout) */
	int		 rx_started;	/* some answer arrived */
	int		 strays;	/* frames discarded: not this
					 * request's answer (late, duplicate,
					 * other unit, wrong transaction) */
};

void	bus_link_init(struct bus_link *, const struct bus_conf *, int timeout_ms);
/* Open the device or connect. Returns 0, or -1 with last_error and e set. */
int	bus_link_open(struct bus_link *, struct err *);
void	bus_link_close(struct bus_link *);
/* Open the line per conf->type (bus-rtu.c, bus-tcp.c). */
struct _modbus *bus_rtu_new(const struct bus_conf *, struct err *);
struct _modbus *bus_tcp_new(const struct bus_conf *, struct err *);
/*
 * Take the serial device for this process alone: a UUCP lock file
 * (LCK..name in /run/lock, the pid inside, as Debian's serial tools do; a
 * stale one, whose process is gone, is taken over). Fills path (the lock
 * to remove, "" when none could be made where locks live). Returns 0, or
 * -1 with e naming the process that holds the device.
 */
int	bus_rtu_lock(const char *device, char *path, size_t len, struct err *);
void	bus_rtu_unlock(char *path);
/* Then TIOCEXCL on the open fd: no further open(2) but root's; cleared
 * again (TIOCNXCL) before the fd is closed. */
void	bus_rtu_excl(int fd);
void	bus_rtu_excl_end(int fd);
/* "Modbus RTU", "Modbus TCP" or "RTU over TCP". */
const char *bus_kind_name(enum bus_type);
/* The other framing of a TCP port: BUS_TCP <-> BUS_RTU_TCP. */
enum bus_type bus_kind_other(enum bus_type);
/*
 * Does conf's host:port speak framing `type` (BUS_TCP or BUS_RTU_TCP)?
 * One identification read of unit on a connection of its own, timeout_ms
 * (plus the far line's wire time). Returns 1 when a frame of that framing
 * came back (an answer, any exception, another unit's answer), 0 when
 * none did (silence, the peer closed, bytes of another framing), -1 when
 * the port cannot be reached.
 */
int	bus_net_probe(const struct bus_conf *conf, enum bus_type type, int unit,
	    int timeout_ms);
/*
 * The link failed before anything answered on it: when the other framing
 * answers unit, say in last_error that the port speaks it (the bus's type
 * is wrong). The link is closed; called by bus_link_xfer.
 */
void	bus_link_name_kind(struct bus_link *, int unit);
/* Resolve host before connecting: "cannot resolve host ..." on failure. */
int	bus_tcp_resolve(const struct bus_conf *, struct err *);
/* CRC-16/MODBUS of n bytes. */
uint16_t bus_crc16(const uint8_t *, int n);
/*
 * Run one transaction with unit `unit`. Fills outcome, lat_us, busy_us,
 * strays. Returns 0, or -1 when the link failed (device gone, connection
 * lost, a TCP stream out of frame, or silent_max timeouts in a row): the
 * link is closed and must be reopened.
 */
int	bus_link_xfer(struct bus_link *, int unit, struct bus_xfer *);
/* Change the response timeout (scan). */
void	bus_link_set_timeout(struct bus_link *, int timeout_ms);

/*
 * The write guard (PRODUCT.md "Talking to the meter"). Operator writes need
 * writes = on and an operator confirmation; load-curve pointer commands go
 * to REG_LC_COMMAND only and need neither. Always: never unit 0, never
 * REG_ACTION..REG_RESET_TARIFF_COUNTERS, only words the map marks writable.
 */
enum bus_write_kind { BUS_WRITE_OPERATOR, BUS_WRITE_LC_POINTER };
int	bus_write_check(enum bus_write_kind, int writes_on, int confirmed,
	    int unit, int addr, int count, struct err *e);

/* A job: transactions run back to back on one unit. */
enum bus_job_kind { JOB_CYCLE, JOB_PROBE, JOB_WRITE, JOB_OPS };

struct bus_job {
	TAILQ_ENTRY(bus_job)	 entry;
	enum bus_job_kind	 kind;
	int			 meter;		/* index in the engine */
	int			 unit;
	int			 identify;	/* x[0] magic, x[1] name come first */
	/*
	 * The submitter's rule, run by the worker after x[i] (its thread):
	 * 0 stops the job there (e.g. an identification that says "not an
	 * E34" before a write). NULL: run every transaction.
	 */
	int			(*gate)(const struct bus_job *, int i);
	int			 with_info;	/* the identification details set */
	int			 with_slow;	/* the slow set */
	int			 guarded;	/* set by bus_job_guard() only */
	int			 nx;
	struct bus_xfer		 x[BUS_JOB_MAX];
	/* results */
	int			 link_failed;	/* device gone or not open */
	unsigned		 conn_gen;	/* connection the job ran on */
	int64_t			 start_ms, start_wall_ms;
	int64_t			 end_ms, end_wall_ms;
	uint32_t		 run_us;	/* worker time for the job */
	void			*ctx;		/* the submitter's */
};

/*
 * Pass every write of job j (unit and xfers filled in) through
 * bus_write_check and mark the job guarded; the worker runs the writes of a
 * guarded job only. Returns 0, or -1 with e set (the job is not guarded).
 */
int	bus_job_guard(struct bus_job *j, enum bus_write_kind, int writes_on,
	    int confirmed, struct err *e);

typedef void	bus_result_fn(void *arg, struct bus_job *);

struct bus {
	struct bus_link		 link;		/* worker thread only */
	pthread_t		 thread;
	int			 started;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	TAILQ_HEAD(, bus_job)	 todo;		/* under mu */
	TAILQ_HEAD(, bus_job)	 done;		/* under mu */
	int			 stopping;	/* under mu */
	int			 queued;	/* jobs in todo, under mu */
	/* a hand-over (bus_pause, bus_hand_over): the worker runs no job */
	int			 pausing;	/* under mu */
	int			 running;	/* under mu: in a job or closing */
	pthread_cond_t		 idle_cv;	/* running went to 0 */
	/* connection state, written by the worker under mu */
	int			 connected;
	char			 conn_error[128];
	unsigned		 conn_gen;	/* bumped at every (re)open */
	int			 reopen_ms;	/* current back-off */
	int			 silent_ms;	/* back-off of silent reconnects */
	int64_t			 next_open_ms;
	/* held for another user of the line (commissioning finder, scan) */
	int			 held;		/* under mu: asked by the loop */
	int			 released;	/* under mu: worker closed the line */
	void			(*released_fn)(void *);	/* loop side */
	void			*released_arg;
	/* loop side */
	struct ev_loop		*loop;
	ev_async		 wake;
	bus_result_fn		*result_fn;
	void			*result_arg;
};

/* Set up (no thread yet). result_fn runs on the loop thread per finished job. */
int	bus_init(struct bus *, struct ev_loop *, const struct bus_conf *,
	    bus_result_fn *, void *arg, struct err *);
int	bus_start(struct bus *, struct err *);
/*
 * Hold the line (on = 1): after the job in progress the worker closes the
 * device or connection and runs nothing until released (on = 0), when it
 * reopens the line with its own settings. fn(arg) runs on the loop thread
 * once the line is closed. Jobs queued meanwhile wait.
 */
void	bus_hold(struct bus *, int on, void (*fn)(void *), void *arg);
/* Queue a job (ownership moves to the bus until result_fn gets it back). */
void	bus_submit(struct bus *, struct bus_job *);
/* Stop the worker after the job in progress; jobs still queued come back
 * through result_fn with nothing run. Idempotent. */
void	bus_stop(struct bus *);
/* Ask the worker to stop without waiting for it (bus_stop joins it): a
 * caller with many buses asks them all first, then waits for each. */
void	bus_quit(struct bus *);
/* bus_stop, then close the line and free what bus_init made. */
void	bus_release(struct bus *);

/*
 * Hand a running bus to another owner (a configuration reload), keeping its
 * worker thread, its open connection and, on a serial line, its lock file
 * and TIOCEXCL. bus_pause asks the worker to run nothing more: the job in
 * progress stops after its current transaction (at most one request's
 * timeout, or one connect). bus_hand_over then waits for that, hands every
 * job still queued or finished back to the present owner's result_fn (the
 * queued ones not run, the cut one with its later transactions not run),
 * and points the bus at conf and the new owner's fn(arg); a new timeout_ms
 * (and a new name) applies from the next request. Only for conf of the
 * same link (bus_link_same). Loop thread; bus_hand_over without bus_pause
 * first pauses by itself.
 */
void	bus_pause(struct bus *);
void	bus_hand_over(struct bus *, const struct bus_conf *conf,
	    bus_result_fn *fn, void *arg);
/* 1 when the worker runs and the line is not lent (bus_hold): a bus that
 * bus_hand_over may take. */
int	bus_running(struct bus *);
/*
 * 1 when a link opened with a's settings is the one b asks for: the same
 * type and device, baud, parity and stop bits (rtu), or host and port (tcp,
 * rtu-tcp). The rest is applied to an open link from the next request: the
 * name, timeout_ms, and rtu-tcp's baud, parity and stop bits (the far
 * line's, which only set the wire time a request waits for).
 */
int	bus_link_same(const struct bus_conf *a, const struct bus_conf *b);
/*
 * What differs from a to b, name left out: "baud 9600 -> 19200, timeout
 * 200 -> 300 ms" into buf (len bytes, cut if need be); "" when nothing.
 */
void	bus_conf_changes(const struct bus_conf *a, const struct bus_conf *b,
	    char *buf, size_t len);
/* Snapshot of the connection state (loop thread). */
void	bus_conn_state(struct bus *, int *connected, char *err, size_t len,
	    unsigned *gen);

#endif
