/*
 * config-write.h: write the meters a bus scan found into a NEW
 * countis-tui.ini, one [bus] section and one [meter] section per unit, in a
 * form --check-config accepts. An existing file is never overwritten unless
 * the operator confirmed it on screen (overwrite = 1); the file appears
 * whole or not at all (temporary file, then link or rename).
 */
#ifndef CONFIG_WRITE_H
#define CONFIG_WRITE_H

#include "conf.h"
#include "err.h"

struct cw_found {
	int		 address;	/* 1..247 */
	const char	*ident;		/* "COUNTIS E34 s/n ... sw 1.00" or NULL */
};

/*
 * Write bus (its settings; name used for the section, "scan" if NULL) and
 * the n found units to path. Meter sections are named "m<address>", with
 * poll_ms each (0: 1000). Returns n, or -1 with e->msg: "PATH exists:
 * confirm to overwrite ..." with e->code CW_EXISTS, or the write error
 * naming the file (nothing is left behind).
 */
#define CW_EXISTS	73		/* e->code when path exists */
int	config_write_found(const char *path, const struct bus_conf *bus,
	    const struct cw_found *found, int n, int poll_ms, int overwrite,
	    struct err *e);

#endif
