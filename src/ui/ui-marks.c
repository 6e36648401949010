/*
 * ui-marks.c: the marks a meter's state word carries (see ui-marks.h).
 * The wiring diagnosis and the live checks are the model's (meter.c); this
 * only turns them into the few characters the Fleet and Bus rows have room
 * for, the same words the Meter screen explains at length.
 */
#include <stdio.h>
#include <string.h>

#include "ui-marks.h"

int
ui_marks(const struct meter *m, int64_t now_ms, char *buf, size_t len)
{
	struct wiring_diag	d;
	size_t			off = 0;
	int			i, marks = 0, n = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (m == NULL)
		return 0;
	meter_wiring(m, now_ms, &d);
	for (i = 0; d.known && i < d.nerr && off < len; i++) {
		if (d.err_codes[i] == 0)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%d",
		    n++ == 0 ? "Err" : ",", d.err_codes[i]);
		marks |= UI_MARK_WIRING;
	}
	if ((!meter_tariffs_consistent(m) || !meter_energy_monotonic(m) ||
	    !meter_values_plausible(m)) && off < len) {
		snprintf(buf + off, len - off, "%sCHECK", off > 0 ? " " : "");
		marks |= UI_MARK_CHECK;
	}
	return marks;
}
