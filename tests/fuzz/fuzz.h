/*
 * fuzz.h: what the libFuzzer harnesses share. Each harness is one file,
 * tests/fuzz/fuzz-NAME.c, with its seed corpus in tests/fuzz/corpus/NAME/;
 * doc/fuzzing.md says how they are built and run.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/*
 * The loaders read a path, so the input goes into an in-memory file
 * (memfd) whose /proc/self/fd name is returned in path. Returns the fd to
 * close after the call, or -1 (then the input is skipped).
 */
int	fuzz_memfile(const uint8_t *data, size_t size, char *path,
	    size_t len);

/* Big-endian words from bytes, as Modbus sends them; returns words made. */
size_t	fuzz_words(const uint8_t *data, size_t size, uint16_t *w, size_t max);

#endif
