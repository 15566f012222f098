// The five large matrix products of one `mnist` training step (784-256-128-10,
// batch 128), each repeated for a second with its operands in cache, through
// one kernel set's blocked product on one thread: how close the products
// alone come to the core's peak (Benchmarks/fma-peak.c), against the whole
// step's rate that `nntop bench --workload mnist` prints. The two ∂J/∂W
// products, whose A is ReLU's ∂J/∂Z, are timed again with half of A zero
// (random, as ReLU leaves it) through `gemm_sparse_a`, which the step uses
// for them; their GFLOP/s count the dense product's FLOPs. COLD=1 first
// sweeps 8 MB through the cache before every call.
//
//   cd Sources/CKernels && for s in avx2 avx512; do clang -O3 -c -Iinclude kernels_$s.c -o /tmp/$s.o; done
//   clang -O2 -ISources/CKernels/include Benchmarks/mnist-products.c /tmp/avx2.o /tmp/avx512.o -o /tmp/mnist-products
//   /tmp/mnist-products avx512; /tmp/mnist-products avx2
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kernels.h"

extern const nntop_kernel_set nntop_kernels_avx2, nntop_kernels_avx512;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int ascending(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

/// One product as the step issues it (row-major, `trans_*` as stored);
/// `relu`: A is ReLU's ∂J/∂Z.
typedef struct {
  const char *name;
  int trans_a, trans_b;
  long m, n, k, lda, ldb;
  float beta;
  int relu;
} product;

/// Seconds a call of the product takes, the median of a second's calls.
static double median_call(const nntop_kernel_set *set, const nntop_gemm *g, int sparse, float *pack, float *scratch,
                          int *lists, int cold) {
  static double times[1 << 16];
  static float sweep[(8 << 20) / 4];
  long tiles = (g->m + set->rows - 1) / set->rows, panels = (g->n + set->columns - 1) / set->columns;
  int calls = 0;
  for (double start = now(); now() - start < 1 && calls < (1 << 16);) {
    if (cold)
      for (size_t q = 0; q < sizeof sweep / sizeof sweep[0]; q += 16) sweep[q] += 1;
    double t = now();
    if (sparse) {
      set->gemm_sparse_a(g, 0, tiles, 0, panels, pack, scratch, lists);
    } else {
      set->gemm_blocks(g, 0, tiles, 0, panels, pack, scratch);
    }
    times[calls++] = now() - t;
  }
  qsort(times, calls, sizeof times[0], ascending);
  return times[calls / 2];
}

int main(int argc, char **argv) {
  if (argc != 2 || (strcmp(argv[1], "avx2") && strcmp(argv[1], "avx512"))) {
    fprintf(stderr, "usage: mnist-products avx512|avx2\n");
    return 2;
  }
  const nntop_kernel_set *set = strcmp(argv[1], "avx512") ? &nntop_kernels_avx2 : &nntop_kernels_avx512;
  const product products[] = {
      {"Z1 = W1·X        256×128×784", 0, 0, 256, 128, 784, 784, 128, 0},
      {"Z2 = W2·A1       128×128×256", 0, 0, 128, 128, 256, 256, 128, 0},
      {"W1 −= η·dZ1·Xᵀ   256×784×128", 0, 1, 256, 784, 128, 128, 128, 1, 1},
      {"W2 −= η·dZ2·A1ᵀ  128×256×128", 0, 1, 128, 256, 128, 128, 128, 1, 1},
      {"dA1 = W2ᵀ·dZ2    256×128×128", 1, 0, 256, 128, 128, 256, 128, 0},
  };
  const long floats = 1 << 20;
  float *a = malloc(floats * 4), *relu = malloc(floats * 4), *b = malloc(floats * 4), *c = malloc(floats * 4);
  float *pack = aligned_alloc(64, floats * 4), *scratch = aligned_alloc(64, 1 << 16);
  int *lists = malloc(floats * 4);
  unsigned seed = 1;
  for (long i = 0; i < floats; i++) {
    a[i] = (i % 7) * 0.01f, b[i] = (i % 5) * 0.01f, c[i] = 0;
    seed = seed * 1103515245u + 12345u;
    relu[i] = seed >> 31 ? 0.01f + (i % 7) * 0.01f : 0;
  }
  int cold = getenv("COLD") != NULL;
  double total = 0, flops = 0;
  for (size_t j = 0; j < sizeof products / sizeof products[0]; j++) {
    const product *p = &products[j];
    nntop_gemm g = {p->trans_a, p->trans_b, p->m, p->n, p->k, 1, p->beta, a, p->lda, b, p->ldb, c, p->n};
    double f = 2.0 * p->m * p->n * p->k, t = median_call(set, &g, 0, pack, scratch, lists, cold);
    printf("%-30s %s  %6.1f GFLOP/s  (%.1f µs)\n", p->name, set->name, f / t * 1e-9, t * 1e6);
    if (p->relu) {
      g.a = relu;
      double dense = median_call(set, &g, 0, pack, scratch, lists, cold);
      t = median_call(set, &g, 1, pack, scratch, lists, cold);
      printf("  A half zeros: blocked %.1f µs, skipping zeros %.1f µs (%.2f×), %.1f dense GFLOP/s\n", dense * 1e6,
             t * 1e6, dense / t, f / t * 1e-9);
    }
    total += t;
    flops += f;
  }
  printf("all five, as the step runs them: %.1f µs, %.1f dense GFLOP/s\n", total * 1e6, flops / total * 1e-9);
  return 0;
}
