/*
 * ui-marks.h: the short marks a meter's state carries on screen when its
 * live readings show something an operator must see although the meter
 * answers: the wiring errors the console infers (Err 1/2/3: a current
 * reversed; Err 7/8/9: a voltage swapped with neutral) and a failed live
 * check (T = T1+T2+T3+T4, no energy counter going backwards). Model in,
 * text out: no curses, so the unit tests call it on a bare struct meter.
 */
#ifndef UI_MARKS_H
#define UI_MARKS_H

#include <stddef.h>
#include <stdint.h>

#include "meter.h"

#define UI_MARK_WIRING	0x1	/* an inferred Err 1/2/3/7/8/9 */
#define UI_MARK_CHECK	0x2	/* T1..T4 sum or monotonic check failed */

/*
 * The marks of m from readings fresh at now_ms, into buf: "Err2",
 * "Err1,7", "CHECK", "Err2 CHECK", or "" when there is none (and when the
 * readings are too old to say). Returns the UI_MARK_* bits set.
 */
int	ui_marks(const struct meter *, int64_t now_ms, char *buf, size_t len);

#endif
