#include "t.h"
static void
test_stats__placeholder(void)
{
	T_OK(1);
}
int
main(void)
{
	T_RUN(test_stats__placeholder);
	return t_done();
}
