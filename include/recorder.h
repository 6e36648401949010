/*
 * recorder.h: a CSV recording, a consumer of the engine (consumer.h).
 *
 * While recording, every poll cycle of every meter the engine publishes
 * becomes one row, written by export-csv.c's CSV_APPEND writer (the same
 * rows as --export-csv: an offline meter's cycle gives `timeout` and empty
 * values, a foreign one `not-e34`), each synced before the next. The file is
 * always a new one (csv_open_new: a suffix rather than an overwrite).
 *
 * No row is lost quietly: when a write fails (disk full, directory gone)
 * the recording is "held": rows queue in memory (up to RECORDER_QUEUE_MAX)
 * and are written, in order, once the file takes them again (a timer tries
 * every second); a partial row the failure left is cut off first. Rows
 * dropped from a full queue are counted. What happens is told through
 * note(arg, text) (the console's status line).
 */
#ifndef RECORDER_H
#define RECORDER_H

#include <stddef.h>

#include "conf.h"
#include "consumer.h"
#include "err.h"

#define RECORDER_QUEUE_MAX	50000	/* rows held in memory */

struct ev_loop;
struct recorder;

typedef void	recorder_note_fn(void *arg, const char *text);

/* Not recording yet. NULL without memory. */
struct recorder	*recorder_new(struct ev_loop *, const struct config *,
		    recorder_note_fn *, void *arg);
/* Stop (writing what it can) and free. NULL is fine. */
void		 recorder_free(struct recorder *);

/* Start into path or a free name beside it (recorder_path says which).
 * 0, or -1 with e set (nothing is recording then). */
int		 recorder_start(struct recorder *, const char *path,
		    struct err *);
/* Stop; rows still held are tried once more, the rest counted lost. */
void		 recorder_stop(struct recorder *);
/* Write rows held after a failure (the recorder's timer calls it). */
void		 recorder_retry(struct recorder *);

int		 recorder_active(const struct recorder *);
int		 recorder_held(const struct recorder *);
unsigned long	 recorder_rows(const struct recorder *);	/* on disk */
unsigned long	 recorder_dropped(const struct recorder *);
size_t		 recorder_queued(const struct recorder *);
const char	*recorder_path(const struct recorder *);
const char	*recorder_error(const struct recorder *);	/* why held */

/* Add it to the engine with engine_add_consumer(eng, &recorder_consumer, r). */
extern const struct consumer_ops recorder_consumer;

#endif
