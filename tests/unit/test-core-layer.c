/*
 * test-core-layer.c: linked with every member of libcountis-core.a (see
 * mk/core.am), so it only builds when src/core and src/model call nothing
 * above them: no bus, engine, export, ui or app symbol, no libmodbus,
 * curses, libev or inih. Running it just says so.
 */
#include <stdio.h>

int
main(void)
{
	printf("1..1\nok 1 - core and model link alone\n");
	return 0;
}
