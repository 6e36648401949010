/*
 * fuzz-theme.c: the theme loader (theme_load) on any bytes. Styles are
 * only parsed here; theme_apply needs curses and takes no input.
 */
#include <stdio.h>
#include <unistd.h>

#include "err.h"
#include "fuzz.h"
#include "theme.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme	 t;
	struct err	 e = { .msg = "" };
	char		 path[64];
	int		 fd, el;

	if ((fd = fuzz_memfile(data, size, path, sizeof path)) == -1)
		return 0;
	theme_init(&t);
	if (theme_load(&t, path, &e) == 0) {
		for (el = 0; el < TH__COUNT; el++)
			if (theme_elem_name(el) == NULL)
				__builtin_trap();
	} else if (e.msg[0] == '\0')
		__builtin_trap();
	close(fd);
	return 0;
}
