/*
 * unique-name.h: never overwrite an export. The console names its files
 * after the second they were made (snapshot-20260301T101500Z.csv); two in
 * one second would share a name. These put a file in place under its
 * wanted name, or under the first free one of NAME-2.EXT, NAME-3.EXT, ...,
 * and never replace a file that exists.
 */
#ifndef UNIQUE_NAME_H
#define UNIQUE_NAME_H

#include <stddef.h>

#include "err.h"

#define UNIQUE_NAME_MAX	999	/* suffixes tried before giving up */

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
