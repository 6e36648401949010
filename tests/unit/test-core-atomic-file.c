/*
 * test-core-atomic-file.c: whole files or none. A replaced file is the old
 * one or the new one, a failed writer leaves nothing, ATOMIC_NEW never
 * replaces, the unique names count up, and the temporary file hides beside
 * its target with the mode the umask allows.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic-file.h"
#include "t.h"

static char	dir[] = "/tmp/test-core-atomic.XXXXXX";

/* Entries of dir, "." and ".." aside. */
static int
dir_count(void)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

static void
slurp(const char *path, char *buf, size_t len)
{
	FILE	*f = fopen(path, "r");
	size_t	 n = 0;

	if (f != NULL) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

static int
fill_hello(FILE *f, UNUSED void *arg)
{
	return fputs("hello\n", f) == EOF ? -1 : 6;
}

static int
fill_fail(FILE *f, UNUSED void *arg)
{
	fputs("half", f);
	errno = ENOSPC;
	return -1;
}

static void
test_atomic__replace(void)
{
	char	path[200], buf[64];

	snprintf(path, sizeof path, "%s/a.txt", dir);
	T_EQ_INT(atomic_write(path, 0666, "one\n", 4), 0);
	slurp(path, buf, sizeof buf);
	T_EQ_STR(buf, "one\n");
	T_EQ_INT(atomic_write_with(path, 0666, ATOMIC_REPLACE, fill_hello,
	    NULL), 6);
	slurp(path, buf, sizeof buf);
	T_EQ_STR(buf, "hello\n");
	T_EQ_INT(dir_count(), 1);			/* no temporary left */
	unlink(path);
}

static void
test_atomic__failed_writer_leaves_nothing(void)
{
	char	path[200], buf[64];

	snprintf(path, sizeof path, "%s/b.txt", dir);
	T_EQ_INT(atomic_write_with(path, 0666, ATOMIC_REPLACE, fill_fail,
	    NULL), -1);
	T_EQ_INT(errno, ENOSPC);
	T_EQ_INT(dir_count(), 0);
	/* and an existing file keeps its old content */
	T_EQ_INT(atomic_write(path, 0666, "old", 3), 0);
	T_EQ_INT(atomic_write_with(path, 0666, ATOMIC_REPLACE, fill_fail,
	    NULL), -1);
	slurp(path, buf, sizeof buf);
	T_EQ_STR(buf, "old");
	T_EQ_INT(dir_count(), 1);
	unlink(path);
	snprintf(path, sizeof path, "%s/no/such/dir/c.txt", dir);
	T_EQ_INT(atomic_write(path, 0666, "x", 1), -1);
	T_EQ_INT(errno, ENOENT);
}

static void
test_atomic__new_never_replaces(void)
{
	char	path[200], buf[64];

	snprintf(path, sizeof path, "%s/c.ini", dir);
	T_EQ_INT(atomic_write_with(path, 0644, ATOMIC_NEW, fill_hello, NULL),
	    6);
	T_EQ_INT(atomic_write_with(path, 0644, ATOMIC_NEW, fill_fail, NULL),
	    -1);
	T_EQ_INT(atomic_write(path, 0644, "x", 1), 0);	/* REPLACE may */
	T_EQ_INT(atomic_write_with(path, 0644, ATOMIC_NEW, fill_hello, NULL),
	    -1);
	T_EQ_INT(errno, EEXIST);
	slurp(path, buf, sizeof buf);
	T_EQ_STR(buf, "x");
	T_EQ_INT(dir_count(), 1);
	unlink(path);
}

/* Issue 13 item 16: an export never replaces one made in the same second. */
static void
test_atomic__write_unique(void)
{
	char	path[200], first[200], buf[64];

	snprintf(first, sizeof first, "%s/report-x.csv", dir);
	snprintf(path, sizeof path, "%s", first);
	T_EQ_INT(atomic_write_unique(path, sizeof path, 0644, fill_hello,
	    NULL), 6);
	T_EQ_STR(path, first);
	snprintf(path, sizeof path, "%s", first);
	T_EQ_INT(atomic_write(path, 0644, "x", 1), 0);
	T_EQ_INT(atomic_write_unique(path, sizeof path, 0644, fill_hello,
	    NULL), 6);
	snprintf(buf, sizeof buf, "%s", path + strlen(dir));
	T_EQ_STR(buf, "/report-x-2.csv");
	slurp(first, buf, sizeof buf);
	T_EQ_STR(buf, "x");		/* the first one is kept */
	slurp(path, buf, sizeof buf);
	T_EQ_STR(buf, "hello\n");
	snprintf(path, sizeof path, "%s", first);
	T_EQ_INT(atomic_write_unique(path, sizeof path, 0644, fill_fail,
	    NULL), -1);
	T_EQ_INT(dir_count(), 2);	/* a failed writer leaves nothing */
	unlink(first);
	snprintf(path, sizeof path, "%s/report-x-2.csv", dir);
	unlink(path);
}

static void
test_atomic__tmp_beside_and_mode(void)
{
	char		 path[200], tmp[ATOMIC_PATH_MAX], want[220];
	struct stat	 st;
	mode_t		 old = umask(022);
	FILE		*f;

	snprintf(path, sizeof path, "%s/d.prom", dir);
	snprintf(want, sizeof want, "%s/.d.prom.", dir);
	T_OK((f = atomic_tmp_open(path, tmp, sizeof tmp, 0666)) != NULL);
	T_OK(strncmp(tmp, want, strlen(want)) == 0);
	T_EQ_INT(strlen(tmp), strlen(want) + 6);
	fputs("m 1\n", f);
	T_EQ_INT(fclose(f), 0);
	T_EQ_INT(stat(tmp, &st), 0);
	T_EQ_INT(st.st_mode & 0777, 0644);
	T_EQ_INT(atomic_rename(tmp, path, ATOMIC_REPLACE), 0);
	T_EQ_INT(stat(path, &st), 0);
	T_EQ_INT(st.st_mode & 0777, 0644);
	unlink(path);
	T_OK(atomic_tmp_open(path, tmp, 10, 0666) == NULL);
	T_EQ_INT(errno, ENAMETOOLONG);
	umask(old);
}

static void
test_atomic__unique_names(void)
{
	char		path[ATOMIC_PATH_MAX], tmp[ATOMIC_PATH_MAX];
	struct err	e;
	FILE		*f;
	int		fd;

	T_EQ_INT(unique_name("/x/snap.csv", 1, path, sizeof path), 0);
	T_EQ_STR(path, "/x/snap.csv");
	T_EQ_INT(unique_name("/x/snap.csv", 2, path, sizeof path), 0);
	T_EQ_STR(path, "/x/snap-2.csv");
	T_EQ_INT(unique_name("/x.d/snap", 3, path, sizeof path), 0);
	T_EQ_STR(path, "/x.d/snap-3");
	T_EQ_INT(unique_name("/x/snap.csv", 2, path, 5), -1);

	snprintf(path, sizeof path, "%s/e.csv", dir);
	T_OK((fd = unique_create(path, sizeof path, 0666, &e)) >= 0);
	close(fd);
	T_OK((fd = unique_create(path, sizeof path, 0666, &e)) >= 0);
	close(fd);
	T_CONTAINS(path, "/e-2.csv");
	snprintf(path, sizeof path, "%s/e.csv", dir);
	T_OK((f = atomic_tmp_open(path, tmp, sizeof tmp, 0666)) != NULL);
	fclose(f);
	T_EQ_INT(unique_publish(tmp, path, sizeof path, &e), 0);
	T_CONTAINS(path, "/e-3.csv");
	T_EQ_INT(access(tmp, F_OK), -1);		/* tmp is gone */
	T_EQ_INT(dir_count(), 3);
	unlink(path);
	snprintf(path, sizeof path, "%s/e-2.csv", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/e.csv", dir);
	unlink(path);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	T_RUN(test_atomic__replace);
	T_RUN(test_atomic__failed_writer_leaves_nothing);
	T_RUN(test_atomic__new_never_replaces);
	T_RUN(test_atomic__write_unique);
	T_RUN(test_atomic__tmp_beside_and_mode);
	T_RUN(test_atomic__unique_names);
	T_EQ_INT(rmdir(dir), 0);
	return t_done();
}
