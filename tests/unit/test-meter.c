#include "t.h"
static void
test_meter__placeholder(void)
{
	T_OK(1);
}
int
main(void)
{
	T_RUN(test_meter__placeholder);
	return t_done();
}
