#ifndef NNTOP_TERMINAL_GUARD_H
#define NNTOP_TERMINAL_GUARD_H

/// Saves the terminal's settings (call before curses starts).
void nntop_guard_save_terminal(void);

/// Installs handlers for crashing signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
/// SIGABRT, SIGTRAP, SIGSYS) that restore the terminal — curses ended, the
/// alternate screen left, the cursor shown, the saved settings back — and
/// then re-raise the signal so the crash still happens as it would have.
void nntop_guard_install(void);

/// Notes how to leave the screen clean (call after curses starts): a
/// terminal without an alternate screen (vt100) is cleared on exit, so the
/// last frame does not stay behind.
void nntop_guard_note_screen(void);

/// Shows the cursor (after endwin, before the process stops on Ctrl-Z).
void nntop_guard_show_cursor(void);

/// Restores the terminal the same way, outside a crash.
void nntop_guard_restore(void);

#endif
