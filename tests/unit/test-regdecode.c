#include "t.h"
static void
test_regdecode__placeholder(void)
{
	T_OK(1);
}
int
main(void)
{
	T_RUN(test_regdecode__placeholder);
	return t_done();
}
