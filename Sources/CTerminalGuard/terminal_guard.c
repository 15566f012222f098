#include "terminal_guard.h"
void nntop_guard_placeholder(void) {}
