/*
 * bus-rtu.c: a Modbus RTU line on a serial device (RS485 adapter, or a
 * pseudo-terminal standing in for one): the context, the CRC, and taking
 * the device for this process alone. The transactions and the silent
 * interval are bus.c's.
 *
 * Two processes polling one RS485 line corrupt each other's frames, so the
 * device is locked as Debian's serial tools (minicom, the lockdev
 * convention) do: /run/lock/LCK..NAME holding the owner's pid as ten
 * characters and a newline, made atomically with link(2). TIOCEXCL is set
 * as well, but root opens through it, hence the lock file.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <modbus.h>

#include "bus.h"

static const char *const bus_lock_dirs[] = { "/run/lock", "/var/lock" };

/* A libmodbus RTU context for conf's device and line settings (not open). */
struct _modbus *
bus_rtu_new(const struct bus_conf *conf, struct err *e)
{
	modbus_t	*ctx;
	char		 parity = conf->parity ? conf->parity : 'N';

	if (conf->device == NULL || conf->device[0] == '\0')
		return err_set(e, "bus %s: no device", conf->name), NULL;
	ctx = modbus_new_rtu(conf->device, conf->baud, parity, 8,
	    conf->stop_bits ? conf->stop_bits : 1);
	if (ctx == NULL)
		err_set(e, "open %s: %s", conf->device, strerror(errno));
	return ctx;
}

uint16_t
bus_crc16(const uint8_t *p, int n)
{
	uint16_t	crc = 0xFFFF;
	int		i, b;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc & 1) ? (uint16_t)(crc >> 1 ^ 0xA001) :
			    (uint16_t)(crc >> 1);
	}
	return crc;
}

/* The lock's name for a device: /dev/ttyUSB0 -> LCK..ttyUSB0, /dev/pts/3
 * -> LCK..pts_3; a symbolic link is followed to the device first. */
static void
bus_lock_name(const char *device, char *name, size_t len)
{
	char	 real[PATH_MAX];
	char	*p;

	if (realpath(device, real) == NULL)
		snprintf(real, sizeof real, "%s", device);
	p = strncmp(real, "/dev/", 5) == 0 ? real + 5 : real;
	if (p != real + 5 && strrchr(p, '/') != NULL)
		p = strrchr(p, '/') + 1;
	snprintf(name, len, "LCK..%.60s", p);
	for (p = name; *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
}

/* The pid in a lock file, or 0 when there is none readable. */
static long
bus_lock_pid(const char *path)
{
	char	 buf[32];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* A process's name from /proc, or "?". */
static void
bus_proc_name(long pid, char *name, size_t len)
{
	char	 path[64];
	FILE	*fp;

	snprintf(name, len, "?");
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	if (fgets(name, (int)len, fp) == NULL)
		snprintf(name, len, "?");
	name[strcspn(name, "\n")] = '\0';
	fclose(fp);
}

/* Write our pid to a fresh file and link it to path. 0, or -1 (errno). */
static int
bus_lock_make(const char *dir, const char *path)
{
	char	tmp[128], line[16];
	int	fd, rc, saved;

	snprintf(tmp, sizeof tmp, "%s/LTMP.%ld", dir, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return -1;
	snprintf(line, sizeof line, "%10ld\n", (long)getpid());
	rc = write(fd, line, strlen(line)) == (ssize_t)strlen(line) ? 0 : -1;
	saved = errno;
	close(fd);
	if (rc == 0)
		rc = link(tmp, path);
	saved = errno;
	unlink(tmp);
	errno = saved;
	return rc;
}

/* Take the device's lock (see bus.h). */
int
bus_rtu_lock(const char *device, char *path, size_t len, struct err *e)
{
	char		 name[80], comm[32];
	const char	*dir = NULL;
	long		 pid;
	size_t		 i;
	int		 tries;

	path[0] = '\0';
	for (i = 0; i < sizeof bus_lock_dirs / sizeof bus_lock_dirs[0]; i++)
		if (access(bus_lock_dirs[i], W_OK | X_OK) == 0) {
			dir = bus_lock_dirs[i];
			break;
		}
	if (dir == NULL)	/* nowhere to lock: TIOCEXCL alone */
		return 0;
	bus_lock_name(device, name, sizeof name);
	for (tries = 0; tries < 3; tries++) {
		snprintf(path, len, "%s/%s", dir, name);
		if (bus_lock_make(dir, path) == 0)
			return 0;
		if (errno != EEXIST) {	/* cannot lock here: go on without */
			path[0] = '\0';
			return 0;
		}
		pid = bus_lock_pid(path);
		if (pid == (long)getpid()) {	/* ours already (a leftover) */
			path[0] = '\0';
			return 0;
		}
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
			bus_proc_name(pid, comm, sizeof comm);
			path[0] = '\0';
			return err_set(e, "%s is in use by process %ld (%s), "
			    "lock %s/%s", device, pid, comm, dir, name);
		}
		unlink(path);	/* stale: its process is gone */
	}
	path[0] = '\0';
	return err_set(e, "%s: cannot take the lock %s/%s", device, dir, name);
}

void
bus_rtu_unlock(char *path)
{
	if (path[0] == '\0')
		return;
	if (bus_lock_pid(path) == (long)getpid())
		unlink(path);
	path[0] = '\0';
}

void
bus_rtu_excl(int fd)
{
	if (fd != -1)
		(void)ioctl(fd, TIOCEXCL);
}

/*
 * TIOCEXCL stays on the tty until its last close, and a pty's other side
 * (countis-sim, a test peer) keeps it open: clear it before closing, or
 * our own reopen would be refused (EBUSY) to a user who is not root.
 */
void
bus_rtu_excl_end(int fd)
{
	if (fd != -1)
		(void)ioctl(fd, TIOCNXCL);
}
