// The terminal must come back on every exit path, crashes included. A Swift
// trap skips atexit handlers, so this small handler does it (htop's CRT.c).
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include "terminal_guard.h"

#include <ncursesw/curses.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static volatile sig_atomic_t have_saved = 0;
static volatile sig_atomic_t restoring = 0;
/// The terminal's `clear` sequence when it has no alternate screen, else empty.
static char clear_on_exit[64];

void nntop_guard_note_screen(void) {
  const char *smcup = tigetstr("smcup");
  const char *clear = tigetstr("clear");
  int has_alternate = smcup != NULL && smcup != (const char *)-1 && smcup[0] != 0;
  if (!has_alternate && clear != NULL && clear != (const char *)-1 && strlen(clear) < sizeof clear_on_exit) {
    strcpy(clear_on_exit, clear);
  } else if (!has_alternate) {
    strcpy(clear_on_exit, "\033[H\033[2J");
  }
}

void nntop_guard_show_cursor(void) {
  static const char show[] = "\033[?25h";
  ssize_t ignored = write(STDOUT_FILENO, show, sizeof show - 1);
  (void)ignored;
}

void nntop_guard_save_terminal(void) {
  if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) have_saved = 1;
}

void nntop_guard_restore(void) {
  if (restoring) return;
  restoring = 1;
  if (!isendwin()) endwin();
  if (clear_on_exit[0]) {
    // No alternate screen to leave: the last frame is wiped instead.
    ssize_t ignored = write(STDOUT_FILENO, clear_on_exit, strlen(clear_on_exit));
    (void)ignored;
  }
  // Leave the alternate screen, show the cursor, reset attributes.
  static const char reset[] = "\033[?1049l\033[?25h\033[0m";
  ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
  (void)ignored;
  if (have_saved) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

static void on_crash(int sig) {
  nntop_guard_restore();
  // SA_RESETHAND made the action the default on entry: raised again, the
  // signal ends the process once this handler returns, as it would have.
  raise(sig);
}

void nntop_guard_install(void) {
  const int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS};
  for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_crash;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(signals[i], &action, NULL);
  }
}
