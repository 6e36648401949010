/*
 * test-config-write.c: found meters go into a new file that config_load
 * accepts; an existing file is refused unless overwrite is confirmed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config-write.h"
#include "t.h"

static char	bname[] = "site-bus", dev[] = "/dev/ttyUSB0";

static void
test_config_write__new_file_loads(void)
{
	struct bus_conf		b = { .name = bname, .type = BUS_RTU,
				    .device = dev, .baud = 9600, .parity = 'E',
				    .stop_bits = 1, .timeout_ms = 300 };
	struct cw_found		f[2] = { { 5, "COUNTIS E34 s/n 1; sw 1.00" },
				    { 12, NULL } };
	static struct config	cfg;
	struct err		e = { "", 0 };
	char			dir[] = "/tmp/test-cw.XXXXXX", path[128];

	T_OK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/found.ini", dir);
	T_EQ_INT(config_write_found(path, &b, f, 2, 2000, 0, &e), 2);
	config_init(&cfg);
	T_EQ_INT(config_load(&cfg, path, &e), 0);
	T_EQ_STR(e.msg, "");
	T_EQ_INT(cfg.nbuses, 1);
	T_EQ_INT(cfg.nmeters, 2);
	if (cfg.nbuses == 1 && cfg.nmeters == 2) {
		T_EQ_STR(cfg.buses[0].name, "site-bus");
		T_EQ_INT(cfg.buses[0].baud, 9600);
		T_EQ_INT(cfg.buses[0].parity, 'E');
		T_EQ_INT(cfg.meters[1].address, 12);
		T_EQ_INT(cfg.meters[0].poll_ms, 2000);
		T_EQ_STR(cfg.meters[0].name, "m5");
	}
	config_free(&cfg);
	/* a second write is refused and leaves the file alone */
	f[0].address = 7;
	T_EQ_INT(config_write_found(path, &b, f, 1, 0, 0, &e), -1);
	T_EQ_INT(e.code, CW_EXISTS);
	T_CONTAINS(e.msg, "found.ini exists: confirm to overwrite");
	config_init(&cfg);
	T_EQ_INT(config_load(&cfg, path, &e), 0);
	T_EQ_INT(cfg.nmeters, 2);
	config_free(&cfg);
	/* confirmed: replaced */
	T_EQ_INT(config_write_found(path, &b, f, 1, 0, 1, &e), 1);
	config_init(&cfg);
	T_EQ_INT(config_load(&cfg, path, &e), 0);
	T_EQ_INT(cfg.nmeters, 1);
	config_free(&cfg);
	unlink(path);
	T_EQ_INT(rmdir(dir), 0);	/* no temporary file left */
	/* bad address, unwritable directory */
	f[0].address = 0;
	T_EQ_INT(config_write_found(path, &b, f, 1, 0, 0, &e), -1);
	T_CONTAINS(e.msg, "address 0 is not 1..247");
	f[0].address = 3;
	T_EQ_INT(config_write_found(path, &b, f, 1, 0, 0, &e), -1);
	T_CONTAINS(e.msg, "cannot write /tmp/test-cw.");
}

int
main(void)
{
	T_RUN(test_config_write__new_file_loads);
	return t_done();
}
