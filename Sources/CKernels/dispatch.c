// Which kernel sets this CPU runs: cpuid for the instructions, xgetbv for
// whether the operating system saves the wide registers on a context switch.

#include <pthread.h>
#include <stdlib.h>
#include "kernels.h"

extern const nntop_kernel_set nntop_kernels_baseline;

#if defined(__x86_64__)
#include <cpuid.h>

extern const nntop_kernel_set nntop_kernels_avx2;
extern const nntop_kernel_set nntop_kernels_avx512;

/// XCR0: the register state the OS enables (bits 1–2 SSE/AVX, 5–7 AVX-512).
static unsigned long long enabled_state(void) {
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((unsigned long long)edx << 32) | eax;
}

/// 2: AVX-512 (F, DQ, BW, VL) and AVX2 + FMA; 1: AVX2 + FMA; 0: neither.
static int vector_level(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!(fma && osxsave && avx)) return 0;
  unsigned long long xcr0 = enabled_state();
  if ((xcr0 & 0x6) != 0x6) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  if (!((b >> 5) & 1)) return 0;  // AVX2
  int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);
  return avx512 && (xcr0 & 0xE6) == 0xE6 ? 2 : 1;
}
#endif

/// Every set this binary holds, widest first, with the vector level it needs.
static const struct {
  const nntop_kernel_set *set;
  int level;
} built[] = {
#if defined(__x86_64__)
  {&nntop_kernels_avx512, 2},
  {&nntop_kernels_avx2, 1},
#endif
  {&nntop_kernels_baseline, 0},
};
static const int built_count = sizeof built / sizeof built[0];

static const nntop_kernel_set *supported[sizeof built / sizeof built[0]];
static int supported_count;

static void find_supported(void) {
#if defined(__x86_64__)
  int level = vector_level();
#else
  int level = 0;
#endif
  for (int i = 0; i < built_count; i++)
    if (built[i].level <= level) supported[supported_count++] = built[i].set;
}

static pthread_once_t found = PTHREAD_ONCE_INIT;

int nntop_kernel_set_count(void) {
  pthread_once(&found, find_supported);
  return supported_count;
}

const nntop_kernel_set *nntop_kernel_set_at(int index) {
  return index >= 0 && index < nntop_kernel_set_count() ? supported[index] : NULL;
}

int nntop_kernel_set_built_count(void) { return built_count; }

const nntop_kernel_set *nntop_kernel_set_built_at(int index) {
  return index >= 0 && index < built_count ? built[index].set : NULL;
}

const char *nntop_kernel_request(void) { return getenv("NNTOP_KERNEL"); }

unsigned nntop_flush_subnormals(void) {
#if defined(__x86_64__)
  unsigned before, csr;
  __asm__ volatile("stmxcsr %0" : "=m"(before));
  csr = before | 0x8040u;  // FTZ (bit 15): results; DAZ (bit 6): inputs
  __asm__ volatile("ldmxcsr %0" : : "m"(csr));
  return before;
#else
  return 0;
#endif
}

void nntop_restore_float_mode(unsigned mode) {
#if defined(__x86_64__)
  __asm__ volatile("ldmxcsr %0" : : "m"(mode));
#else
  (void)mode;
#endif
}
