// Static-inline wrappers for the ncurses macros and globals Swift cannot see.
#ifndef NNTOP_CNCURSES_SHIM_H
#define NNTOP_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *nntop_stdscr(void) { return stdscr; }
static inline int nntop_lines(void) { return LINES; }
static inline int nntop_cols(void) { return COLS; }
static inline int nntop_colors(void) { return COLORS; }
static inline int nntop_color_pairs(void) { return COLOR_PAIRS; }
static inline int nntop_err(void) { return ERR; }
static inline int nntop_key_resize(void) { return KEY_RESIZE; }
static inline int nntop_key_backspace(void) { return KEY_BACKSPACE; }
static inline int nntop_key_enter(void) { return KEY_ENTER; }
static inline int nntop_key_up(void) { return KEY_UP; }
static inline int nntop_key_down(void) { return KEY_DOWN; }
static inline int nntop_key_left(void) { return KEY_LEFT; }
static inline int nntop_key_right(void) { return KEY_RIGHT; }
static inline int nntop_key_home(void) { return KEY_HOME; }
static inline int nntop_key_end(void) { return KEY_END; }
static inline int nntop_key_btab(void) { return KEY_BTAB; }
static inline int nntop_key_dc(void) { return KEY_DC; }
static inline attr_t nntop_a_normal(void) { return A_NORMAL; }
static inline attr_t nntop_a_bold(void) { return A_BOLD; }
static inline attr_t nntop_a_dim(void) { return A_DIM; }
static inline attr_t nntop_a_reverse(void) { return A_REVERSE; }
static inline attr_t nntop_a_underline(void) { return A_UNDERLINE; }
static inline int nntop_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int nntop_getmaxx(WINDOW *w) { return getmaxx(w); }
/// Writes one wide-character string with attributes and a colour pair (pairs above 255 work).
static inline int nntop_put(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
  cchar_t c;
  int n = 0;
  for (const wchar_t *p = text; *p; p++) {
    wchar_t wc[2] = {*p, 0};
    setcchar(&c, wc, attrs, pair, NULL);
    if (mvadd_wch(y, x + n, &c) == ERR && !(y == LINES - 1 && x + n == COLS - 1)) return ERR;
    n++;
  }
  return OK;
}
/// Starts curses on stdout/stdin without exiting on failure (NULL then).
static inline SCREEN *nntop_newterm(void) { return newterm(NULL, stdout, stdin); }

/// Whether the terminal can put the cursor anywhere (`cup`): a "dumb"
/// terminal cannot, and curses draws nothing on it.
static inline int nntop_can_address_cursor(void) {
  const char *cup = tigetstr("cup");
  return cup != NULL && cup != (const char *)-1;
}

/// Whether the current locale's codeset is UTF-8.
static inline int nntop_codeset_is_utf8(void) {
  const char *cs = nl_langinfo(CODESET);
  return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

#endif
