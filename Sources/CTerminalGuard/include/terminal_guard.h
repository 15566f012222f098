#ifndef NNTOP_TERMINAL_GUARD_H
#define NNTOP_TERMINAL_GUARD_H
void nntop_guard_placeholder(void);
#endif
