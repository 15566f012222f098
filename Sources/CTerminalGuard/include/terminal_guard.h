#ifndef NNTOP_TERMINAL_GUARD_H
#define NNTOP_TERMINAL_GUARD_H

/// Saves the terminal's settings (call before curses starts).
void nntop_guard_save_terminal(void);

/// Installs handlers for crashing signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
/// SIGABRT, SIGTRAP, SIGSYS) that restore the terminal — curses ended, the
/// alternate screen left, the cursor shown, the saved settings back — and
/// then re-raise the signal so the crash still happens as it would have.
void nntop_guard_install(void);

/// Restores the terminal the same way, outside a crash.
void nntop_guard_restore(void);

#endif
