/*
 * unique-name.c: put an export in place without replacing any file (see
 * unique-name.h). What goes in the files is the writers' (export-csv.c,
 * the recorder); this only picks the name and makes it atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unique-name.h"

int
unique_name(const char *path, int n, char *buf, size_t len)
{
	const char	*slash = strrchr(path, '/');
	const char	*base = slash != NULL ? slash + 1 : path;
	const char	*dot = strrchr(base, '.');
	size_t		 stem;
	int		 r;

	if (n <= 1)
		r = snprintf(buf, len, "%s", path);
	else {
		if (dot == NULL || dot == base)
			dot = base + strlen(base);
		stem = (size_t)(dot - path);
		r = snprintf(buf, len, "%.*s-%d%s", (int)stem, path, n, dot);
	}
	return r < 0 || (size_t)r >= len ? -1 : 0;
}

int
unique_create(char *path, size_t len, int mode, struct err *e)
{
	char	cand[4200];
	int	n, fd;

	for (n = 1; n <= UNIQUE_NAME_MAX; n++) {
		if (unique_name(path, n, cand, sizeof cand) == -1 ||
		    strlen(cand) >= len)
			return err_set(e, "%s: name too long", path);
		fd = open(cand, O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
		    O_CLOEXEC, mode);
		if (fd != -1) {
			memcpy(path, cand, strlen(cand) + 1);
			return fd;
		}
		if (errno != EEXIST)
			return err_set(e, "%s: %s", cand, strerror(errno));
	}
	return err_set(e, "%s: %d files of that name exist already", path,
	    UNIQUE_NAME_MAX);
}

int
unique_publish(const char *tmp, char *path, size_t len, struct err *e)
{
	char	cand[4200];
	int	n, fd, saved;

	for (n = 1; n <= UNIQUE_NAME_MAX; n++) {
		if (unique_name(path, n, cand, sizeof cand) == -1 ||
		    strlen(cand) >= len)
			return err_set(e, "%s: name too long", path);
		if (link(tmp, cand) == 0) {
			unlink(tmp);
			memcpy(path, cand, strlen(cand) + 1);
			return 0;
		}
		if (errno == EEXIST)
			continue;
		if (errno != EPERM && errno != ENOSYS && errno != EOPNOTSUPP &&
		    errno != EMLINK)
			return err_set(e, "%s: %s", cand, strerror(errno));
		/* no hard links here: reserve the name, then rename onto it */
		fd = open(cand, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd == -1) {
			if (errno == EEXIST)
				continue;
			return err_set(e, "%s: %s", cand, strerror(errno));
		}
		close(fd);
		if (rename(tmp, cand) == -1) {
			saved = errno;
			unlink(cand);
			return err_set(e, "%s: %s", cand, strerror(saved));
		}
		memcpy(path, cand, strlen(cand) + 1);
		return 0;
	}
	return err_set(e, "%s: %d files of that name exist already", path,
	    UNIQUE_NAME_MAX);
}
