/*
 * dynlib.c: dlopen() an exporter's library and resolve its functions
 * (dynlib.h says why). The handle is never closed: the functions stay in
 * use until the process ends, and libraries such as libmosquitto keep
 * threads of their own.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "dynlib.h"

static pthread_mutex_t	dynlib_lock = PTHREAD_MUTEX_INITIALIZER;

int
dynlib_load(const char *soname, const char *const *names, void **slots,
    size_t n, struct err *e)
{
	void	*h;
	size_t	 i;
	int	 rc = 0;

	pthread_mutex_lock(&dynlib_lock);
	if (n > 0 && slots[n - 1] != NULL)	/* loaded before */
		goto out;
	if ((h = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		rc = err_setc(e, EXIT_UNAVAILABLE, "cannot load %s: %s",
		    soname, dlerror());
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((slots[i] = dlsym(h, names[i])) == NULL) {
			memset(slots, 0, n * sizeof *slots);
			rc = err_setc(e, EXIT_UNAVAILABLE, "%s: no function %s",
			    soname, names[i]);
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&dynlib_lock);
	return rc;
}
