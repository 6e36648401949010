/*
 * paths.c: where countis-tui finds its data, themes and countis-sim.
 *
 * Run from the build tree (the executable lives under ABS_TOP_BUILDDIR, as
 * in `make check` or build/countis-tui --demo), it uses the source tree's
 * data/ and themes/ and the freshly built countis-sim; installed, it uses
 * PKGDATADIR and BINDIR. COUNTIS_TUI_DATADIR, COUNTIS_TUI_THEMES and
 * COUNTIS_SIM override either (tests). All strings returned are literals or
 * the environment's: nothing to free, nothing cached.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Is the running executable inside the build tree? */
static int
paths_in_build_tree(void)
{
	char	exe[PATH_MAX], top[PATH_MAX];
	ssize_t	n;
	size_t	tlen;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	if (realpath(ABS_TOP_BUILDDIR, top) == NULL)
		return 0;
	tlen = strlen(top);
	return strncmp(exe, top, tlen) == 0 && exe[tlen] == '/';
}

/* A non-empty environment value, or NULL. */
static const char *
paths_env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

const char *
paths_data_dir(void)
{
	const char	*v;

	if ((v = paths_env("COUNTIS_TUI_DATADIR")) != NULL)
		return v;
	return paths_in_build_tree() ? ABS_TOP_SRCDIR "/data" : PKGDATADIR;
}

const char *
paths_themes_dir(void)
{
	const char	*v;

	if ((v = paths_env("COUNTIS_TUI_THEMES")) != NULL)
		return v;
	return paths_in_build_tree() ? ABS_TOP_SRCDIR "/themes" :
	    PKGDATADIR "/themes";
}

const char *
paths_sim_binary(void)
{
	const char	*v;

	if ((v = paths_env("COUNTIS_SIM")) != NULL)
		return v;
	return paths_in_build_tree() ? ABS_TOP_BUILDDIR "/countis-sim" :
	    BINDIR "/countis-sim";
}
