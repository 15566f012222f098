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

static const nntop_kernel_set *supported[3];
static int supported_count;

static void find_supported(void) {
  int n = 0;
#if defined(__x86_64__)
  int level = vector_level();
  if (level >= 2) supported[n++] = &nntop_kernels_avx512;
  if (level >= 1) supported[n++] = &nntop_kernels_avx2;
#endif
  supported[n++] = &nntop_kernels_baseline;
  supported_count = n;
}

static pthread_once_t found = PTHREAD_ONCE_INIT;

int nntop_kernel_set_count(void) {
  pthread_once(&found, find_supported);
  return supported_count;
}

const nntop_kernel_set *nntop_kernel_set_at(int index) {
  return index >= 0 && index < nntop_kernel_set_count() ? supported[index] : NULL;
}

const char *nntop_kernel_set_names(void) {
#if defined(__x86_64__)
  return "avx512, avx2, baseline";
#else
  return "baseline";
#endif
}

const char *nntop_kernel_request(void) { return getenv("NNTOP_KERNEL"); }
