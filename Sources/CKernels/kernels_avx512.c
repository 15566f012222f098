// AVX-512: 16 lanes, an 8 × 32 tile (16 accumulators of 32 zmm registers).
#if defined(__x86_64__)
#define NNTOP_LANES 16
#define NNTOP_ROWS 8
#define NNTOP_SPARSE_VECTORS 4
#define NNTOP_SPARSE_ROWS 4
#define NNTOP_SET nntop_kernels_avx512
#define NNTOP_NAME "avx512"
#define NNTOP_DESCRIPTION "AVX-512F + FMA, 16 lanes"
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))), apply_to = function)
#include "kernel_body.h"
#pragma clang attribute pop
#endif
