/*
 * t.h: a TAP unit-test harness in one header. Each test function is one TAP
 * case; a failed check prints file:line, the expression and both values as
 * TAP diagnostics and marks the case failed.
 *
 *	static void test_regdecode__u32(void) { T_EQ_INT(x, 5); }
 *	int main(void) { T_RUN(test_regdecode__u32); return t_done(); }
 */
#ifndef T_H
#define T_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int	t_case_failed __attribute__((unused));
static int	t_ncases __attribute__((unused));
static int	t_nfailed __attribute__((unused));

#define T_FAIL_(fmt, ...) do {						\
	printf("# %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__);	\
	t_case_failed = 1;						\
} while (0)

#define T_OK(expr) do {							\
	if (!(expr))							\
		T_FAIL_("check failed: %s", #expr);			\
} while (0)

#define T_EQ_INT(a, b) do {						\
	long long t_a_ = (long long)(a), t_b_ = (long long)(b);	\
	if (t_a_ != t_b_)						\
		T_FAIL_("%s == %s: got %lld, want %lld", #a, #b, t_a_, t_b_); \
} while (0)

#define T_EQ_STR(a, b) do {						\
	const char *t_a_ = (a), *t_b_ = (b);				\
	if (t_a_ == NULL || t_b_ == NULL || strcmp(t_a_, t_b_) != 0)	\
		T_FAIL_("%s == %s: got \"%s\", want \"%s\"", #a, #b,	\
		    t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)");	\
} while (0)

#define T_CONTAINS(hay, needle) do {					\
	const char *t_h_ = (hay), *t_n_ = (needle);			\
	if (t_h_ == NULL || strstr(t_h_, t_n_) == NULL)			\
		T_FAIL_("%s contains \"%s\": got \"%s\"", #hay, t_n_,	\
		    t_h_ ? t_h_ : "(null)");				\
} while (0)

#define T_RUN(fn) do {							\
	t_case_failed = 0;						\
	fn();								\
	t_ncases++;							\
	if (t_case_failed)						\
		t_nfailed++;						\
	printf("%s %d - %s\n", t_case_failed ? "not ok" : "ok",	\
	    t_ncases, #fn);						\
	fflush(stdout);							\
} while (0)

static inline int
t_done(void)
{
	printf("1..%d\n", t_ncases);
	return t_nfailed ? 1 : 0;
}

#endif
