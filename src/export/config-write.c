/*
 * config-write.c: turn a bus scan's findings into a new configuration file.
 * Parsing and checking configurations is config.c's; this file only writes
 * one, and never over an existing file without the operator's word.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic-file.h"
#include "config-write.h"

/* A value safe on one ini line: no newline, no ';' comment, bounded. */
static void
cw_clean(const char *in, char *out, size_t len)
{
	size_t	i;

	for (i = 0; in != NULL && in[i] != '\0' && i + 1 < len; i++)
		out[i] = (in[i] == '\n' || in[i] == '\r' || in[i] == ';' ||
		    in[i] == '#' || in[i] == '[' || in[i] == ']') ? ' ' : in[i];
	out[i] = '\0';
}

static void
cw_write_bus(FILE *f, const struct bus_conf *b)
{
	char	name[64];

	cw_clean(b->name != NULL ? b->name : "scan", name, sizeof name);
	fprintf(f, "[bus %s]\n", name);
	if (bus_is_net(b)) {
		fprintf(f, "type = %s\nhost = %s\nport = %d\n",
		    bus_type_name(b->type), b->host != NULL ? b->host :
		    "127.0.0.1", b->port);
		if (b->type == BUS_RTU_TCP)	/* the converter's line */
			fprintf(f, "baud = %d\nparity = %s\nstop_bits = %d\n",
			    b->baud, bus_parity_name(b->parity), b->stop_bits);
	} else {
		fprintf(f, "type = rtu\ndevice = %s\nbaud = %d\nparity = %s\n"
		    "stop_bits = %d\n", b->device != NULL ? b->device : "",
		    b->baud, bus_parity_name(b->parity), b->stop_bits);
	}
	if (b->timeout_ms > 0)
		fprintf(f, "timeout_ms = %d\n", b->timeout_ms);
	fputc('\n', f);
}

static int
cw_write(FILE *f, const struct bus_conf *b, const struct cw_found *found,
    int n, int poll_ms)
{
	char	bus[64], ident[120];
	int	i;

	cw_clean(b->name != NULL ? b->name : "scan", bus, sizeof bus);
	fprintf(f, "; countis-tui.ini written by countis-tui from a bus scan.\n"
	    "; Check each meter's label before use.\n\n");
	cw_write_bus(f, b);
	for (i = 0; i < n; i++) {
		fprintf(f, "[meter m%d]\n", found[i].address);
		if (found[i].ident != NULL && found[i].ident[0] != '\0') {
			cw_clean(found[i].ident, ident, sizeof ident);
			fprintf(f, "; %s\n", ident);
		}
		fprintf(f, "bus = %s\naddress = %d\npoll_ms = %d\n"
		    "label = Meter %d\n\n", bus, found[i].address, poll_ms,
		    found[i].address);
	}
	return fflush(f) != 0 || ferror(f) ? -1 : 0;
}

struct cw_file {
	const struct bus_conf	*b;
	const struct cw_found	*found;
	int			 n, poll_ms;
};

static int
cw_fill(FILE *f, void *arg)
{
	const struct cw_file	*w = arg;

	return cw_write(f, w->b, w->found, w->n, w->poll_ms);
}

int
config_write_found(const char *path, const struct bus_conf *b,
    const struct cw_found *found, int n, int poll_ms, int overwrite,
    struct err *e)
{
	struct cw_file	w = { b, found, n, poll_ms == 0 ? 1000 : poll_ms };
	int		i;

	for (i = 0; i < n; i++)
		if (found[i].address < 1 || found[i].address > 247)
			return err_set(e, "%s: address %d is not 1..247", path,
			    found[i].address);
	if (!overwrite && access(path, F_OK) == 0)
		return err_setc(e, CW_EXISTS, "%s exists: confirm to overwrite, "
		    "or choose another name", path);
	if (strlen(path) + 16 >= ATOMIC_PATH_MAX)
		return err_set(e, "%s: path too long", path);
	/* ATOMIC_NEW links: it fails if path appeared meanwhile. */
	if (atomic_write_with(path, 0644, overwrite ? ATOMIC_REPLACE :
	    ATOMIC_NEW, cw_fill, &w) < 0) {
		if (errno == EEXIST)
			return err_setc(e, CW_EXISTS, "%s exists: confirm to "
			    "overwrite, or choose another name", path);
		return err_set(e, "cannot write %s: %s", path, strerror(errno));
	}
	return n;
}
