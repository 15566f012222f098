// One core's peak fp32 multiply-add rate: twelve independent chains of
// fused multiply-adds on 256-bit (AVX2 + FMA) and, where the CPU has it,
// 512-bit (AVX-512F) vectors, so nothing waits on a result. What no
// product, nntop's or a peer's, can beat on this core: issue 13's mnist
// goal is weighed against it in BENCHMARKS.md.
//
// Usage (any x86-64 with AVX2 and FMA; the 512-bit line only where the CPU
// has AVX-512F):
//   clang -O2 Benchmarks/fma-peak.c -o /tmp/fma-peak && /tmp/fma-peak
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

enum { CHAINS = 12 };
static const long STEPS = 200000000;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

__attribute__((target("avx2,fma"))) static void avx2(void) {
  __m256 x[CHAINS], m = _mm256_set1_ps(1.0000001f), c = _mm256_set1_ps(1e-7f);
  for (int i = 0; i < CHAINS; i++) x[i] = _mm256_set1_ps((float)i);
  double t0 = now();
  for (long n = 0; n < STEPS; n++)
    for (int i = 0; i < CHAINS; i++) x[i] = _mm256_fmadd_ps(x[i], m, c);
  double s = now() - t0;
  float sink = 0, lanes[8];
  for (int i = 0; i < CHAINS; i++) { _mm256_storeu_ps(lanes, x[i]); sink += lanes[0]; }
  printf("256-bit FMA: %.1f GFLOP/s (%g)\n", STEPS * CHAINS * 16.0 / s / 1e9, sink);
}

__attribute__((target("avx512f"))) static void avx512(void) {
  __m512 x[CHAINS], m = _mm512_set1_ps(1.0000001f), c = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < CHAINS; i++) x[i] = _mm512_set1_ps((float)i);
  double t0 = now();
  for (long n = 0; n < STEPS; n++)
    for (int i = 0; i < CHAINS; i++) x[i] = _mm512_fmadd_ps(x[i], m, c);
  double s = now() - t0;
  float sink = 0;
  for (int i = 0; i < CHAINS; i++) sink += _mm512_reduce_add_ps(x[i]);
  printf("512-bit FMA: %.1f GFLOP/s (%g)\n", STEPS * CHAINS * 32.0 / s / 1e9, sink);
}

int main(void) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) {
    fprintf(stderr, "fma-peak: this CPU has no AVX2 and FMA\n");
    return 1;
  }
  avx2();
  if (__builtin_cpu_supports("avx512f")) avx512();
  return 0;
}
