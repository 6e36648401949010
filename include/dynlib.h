/*
 * dynlib.h: load an optional library when the configuration asks for it.
 *
 * The exporters' libraries (libmicrohttpd, libmosquitto) pull in TLS stacks
 * (GnuTLS, OpenSSL) whose relocations and constructors cost about 4 MiB of
 * resident memory in every process that links them, used or not. The
 * console and --export-csv run on hundreds of meters within a memory
 * budget, so those libraries are opened with dlopen() only by an exporter
 * that is configured, and their functions reached through a table.
 */
#ifndef DYNLIB_H
#define DYNLIB_H

#include <stddef.h>

#include "err.h"

/*
 * Open soname (once per process; later calls return at once) and resolve
 * names[0..n) into slots[0..n). Returns 0, or -1 with e naming the library
 * or the missing symbol (exit code EXIT_UNAVAILABLE: the package that ships
 * it is not installed).
 */
int	dynlib_load(const char *soname, const char *const *names, void **slots,
	    size_t n, struct err *e);

#endif
