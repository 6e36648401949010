/*
 * fuzz-config.c: the configuration loader (config_load) on any bytes.
 * A file either loads or is refused with a message naming file:line; it
 * never crashes, reads out of bounds or leaks (config_free releases all).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "err.h"
#include "fuzz.h"

static struct config	cfg;	/* large (512 meters): not on the stack */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err	 e = { .msg = "" };
	char		 path[64];
	int		 fd, b;

	if ((fd = fuzz_memfile(data, size, path, sizeof path)) == -1)
		return 0;
	config_init(&cfg);
	if (config_load(&cfg, path, &e) == 0) {
		for (b = 0; b < cfg.nbuses; b++) {
			(void)bus_char_us(&cfg.buses[b]);
			(void)bus_parity_name(cfg.buses[b].parity);
		}
	} else if (e.msg[0] == '\0')
		__builtin_trap();		/* refused without a word */
	config_free(&cfg);
	close(fd);
	return 0;
}
