/*
 * atomic-file.h: put a file in place whole or not at all.
 *
 * A writer fills a temporary file beside the final name (same directory,
 * hence the same file system), then gives it that name in one step:
 * rename(2), which replaces a file of that name, or link(2), which never
 * does. A reader (a person, node_exporter, a spreadsheet) sees the old file
 * or the new one, never half of one. Exports also never overwrite: the
 * console names its files after the second they were made, so two in one
 * second take NAME-2.EXT, NAME-3.EXT, ... (the unique_* functions).
 */
#ifndef ATOMIC_FILE_H
#define ATOMIC_FILE_H

#include <stdio.h>
#include <sys/types.h>

#include "err.h"

#define ATOMIC_PATH_MAX	4200	/* longest final or temporary name */
#define UNIQUE_NAME_MAX	999	/* suffixes tried before giving up */

enum atomic_how {
	ATOMIC_REPLACE,		/* rename onto the name */
	ATOMIC_NEW		/* link: EEXIST rather than replace a file */
};

/*
 * Make the temporary file for path, "DIR/.NAME.XXXXXX", with the mode
 * open(2) would give (umask applies), and return a stream writing to it.
 * tmp (len bytes) receives its name. NULL with errno set (ENAMETOOLONG
 * when the name does not fit).
 */
FILE	*atomic_tmp_open(const char *path, char *tmp, size_t len, mode_t mode);

/*
 * Give the finished (closed) temporary file tmp the name path, the way how
 * says. Returns 0, or -1 with errno set; tmp stays on failure, so the
 * caller decides whether to keep it or unlink it.
 */
int	atomic_rename(const char *tmp, const char *path, enum atomic_how how);

/*
 * All of it for a writer that fills a stream: fill(f, arg) returns >= 0 on
 * success (passed back) or -1. On any failure -1 is returned with errno set
 * (EIO when the writer set none) and no temporary file is left.
 */
typedef int	atomic_fill_fn(FILE *f, void *arg);
int	atomic_write_with(const char *path, mode_t mode, enum atomic_how how,
	    atomic_fill_fn *fill, void *arg);

/*
 * The same, under path or the first free candidate (path-2.ext, ...:
 * unique_name), never replacing a file: an export. path (len bytes) gets
 * the name used.
 */
int	atomic_write_unique(char *path, size_t len, mode_t mode,
	    atomic_fill_fn *fill, void *arg);

/* The same for len bytes of buf. */
int	atomic_write(const char *path, mode_t mode, const void *buf,
	    size_t len);

/*
 * Write into buf the n-th candidate for path: n 1 is path itself, n 2 is
 * "dir/name-2.ext" (the suffix goes before the last '.' of the file name,
 * or at the end when it has none). Returns 0, or -1 when buf is too short.
 */
int	unique_name(const char *path, int n, char *buf, size_t len);

/*
 * Create a new file for appending under path or the first free candidate
 * (open O_CREAT | O_EXCL). path (len bytes) is updated to the name used.
 * Returns the descriptor, or -1 with e set naming the path.
 */
int	unique_create(char *path, size_t len, int mode, struct err *e);

/*
 * Give the finished temporary file tmp its final name: path or the first
 * free candidate, by link() (which fails on an existing name, so a file
 * made meanwhile is never replaced), then unlink tmp. Where the file
 * system has no hard links, a name is reserved with O_EXCL and tmp renamed
 * onto it. path is updated. Returns 0, or -1 with e set (tmp is kept).
 */
int	unique_publish(const char *tmp, char *path, size_t len, struct err *e);

#endif
