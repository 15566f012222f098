// AVX2 + FMA: 8 lanes, a 6 × 16 tile (12 accumulators of 16 ymm registers).
#if defined(__x86_64__)
#define NNTOP_LANES 8
#define NNTOP_ROWS 6
#define NNTOP_SPARSE_VECTORS 6
#define NNTOP_SPARSE_ROWS 2
#define NNTOP_SET nntop_kernels_avx2
#define NNTOP_NAME "avx2"
#define NNTOP_DESCRIPTION "AVX2 + FMA, 8 lanes"
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#include "kernel_body.h"
#pragma clang attribute pop
#endif
