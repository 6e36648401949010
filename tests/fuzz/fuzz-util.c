/*
 * fuzz-util.c: helpers shared by the libFuzzer harnesses (fuzz.h).
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

int
fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t len)
{
	size_t	off = 0;
	ssize_t	n;
	int	fd;

	if ((fd = memfd_create("fuzz-input", MFD_CLOEXEC)) == -1)
		return -1;
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

size_t
fuzz_words(const uint8_t *data, size_t size, uint16_t *w, size_t max)
{
	size_t	i;

	for (i = 0; i < max && 2 * i + 1 < size; i++)
		w[i] = (uint16_t)(data[2 * i] << 8 | data[2 * i + 1]);
	return i;
}
