/*
 * atomic-file.c: whole files or none (see atomic-file.h). What goes in the
 * files is the writers' (CSV, report, config, load curve, Prometheus
 * textfile); this only makes the temporary file and gives it its name,
 * replacing, refusing or picking a free one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"

FILE *
atomic_tmp_open(const char *path, char *tmp, size_t len, mode_t mode)
{
	const char	*slash = strrchr(path, '/');
	size_t		 dirlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	mode_t		 mask;
	FILE		*f;
	int		 fd, n, saved;

	n = snprintf(tmp, len, "%.*s.%s.XXXXXX", (int)dirlen, path,
	    slash != NULL ? slash + 1 : path);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((fd = mkstemp(tmp)) == -1)
		return NULL;
	mask = umask(0);	/* mkstemp makes 0600: give the usual mode */
	umask(mask);
	(void)fchmod(fd, mode & ~mask);
	if ((f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
	}
	return f;
}

int
atomic_rename(const char *tmp, const char *path, enum atomic_how how)
{
	if (how == ATOMIC_REPLACE)
		return rename(tmp, path) == -1 ? -1 : 0;
	if (link(tmp, path) == -1)
		return -1;
	unlink(tmp);
	return 0;
}

/*
 * Give tmp the first free candidate name of path (unique_name), never
 * replacing a file; path (len bytes) gets the name used. 0, or -1 with
 * errno set.
 */
static int
atomic_rename_unique(const char *tmp, char *path, size_t len)
{
	char	cand[ATOMIC_PATH_MAX];
	int	n;

	for (n = 1; n <= UNIQUE_NAME_MAX; n++) {
		if (unique_name(path, n, cand, sizeof cand) == -1 ||
		    strlen(cand) >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (atomic_rename(tmp, cand, ATOMIC_NEW) == 0) {
			memcpy(path, cand, strlen(cand) + 1);
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/*
 * atomic_write_with and atomic_write_unique: fill, close, give the name
 * (out: the first free candidate of path, written back there).
 */
static int
atomic_write_as(const char *path, char *out, size_t len, mode_t mode,
    enum atomic_how how, atomic_fill_fn *fill, void *arg)
{
	char	 tmp[ATOMIC_PATH_MAX];
	FILE	*f;
	int	 rc, saved;

	if ((f = atomic_tmp_open(path, tmp, sizeof tmp, mode)) == NULL)
		return -1;
	errno = 0;
	rc = fill(f, arg);
	saved = errno;
	if ((fflush(f) != 0 || ferror(f)) && rc >= 0) {
		saved = errno;
		rc = -1;
	}
	if (fclose(f) != 0 && rc >= 0) {
		saved = errno;
		rc = -1;
	}
	if (rc >= 0 && (out != NULL ? atomic_rename_unique(tmp, out, len) :
	    atomic_rename(tmp, path, how)) == -1) {
		saved = errno;
		rc = -1;
	}
	if (rc < 0) {
		unlink(tmp);	/* nothing half-written is left behind */
		errno = saved != 0 ? saved : EIO;
	}
	return rc;
}

int
atomic_write_with(const char *path, mode_t mode, enum atomic_how how,
    atomic_fill_fn *fill, void *arg)
{
	return atomic_write_as(path, NULL, 0, mode, how, fill, arg);
}

int
atomic_write_unique(char *path, size_t len, mode_t mode, atomic_fill_fn *fill,
    void *arg)
{
	return atomic_write_as(path, path, len, mode, ATOMIC_NEW, fill, arg);
}

struct atomic_buf {
	const void	*buf;
	size_t		 len;
};

static int
atomic_buf_fill(FILE *f, void *arg)
{
	const struct atomic_buf	*b = arg;

	return fwrite(b->buf, 1, b->len, f) == b->len ? 0 : -1;
}

int
atomic_write(const char *path, mode_t mode, const void *buf, size_t len)
{
	struct atomic_buf	b = { buf, len };

	return atomic_write_with(path, mode, ATOMIC_REPLACE, atomic_buf_fill,
	    &b) < 0 ? -1 : 0;
}

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
	char	cand[ATOMIC_PATH_MAX];
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
	char	cand[ATOMIC_PATH_MAX];
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
