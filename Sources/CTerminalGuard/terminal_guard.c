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

void nntop_guard_save_terminal(void) {
  if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) have_saved = 1;
}

void nntop_guard_restore(void) {
  if (restoring) return;
  restoring = 1;
  if (!isendwin()) endwin();
  // Leave the alternate screen, show the cursor, reset attributes.
  static const char reset[] = "\033[?1049l\033[?25h\033[0m";
  ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
  (void)ignored;
  if (have_saved) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

static void on_crash(int sig) {
  nntop_guard_restore();
  signal(sig, SIG_DFL);
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
