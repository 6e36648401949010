/* tests/unit/test-widget.c: placeholder, filled in below. */
#include "t.h"
int main(void) { return t_done(); }
