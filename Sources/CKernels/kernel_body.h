// The engine's kernels, written once over a vector of NNTOP_LANES floats and
// compiled once per instruction set: a kernels_*.c file defines
//   NNTOP_LANES  fp32 lanes per vector (4, 8, 16),
//   NNTOP_ROWS   rows of the GEMM micro-tile (MR),
//   NNTOP_SPARSE_VECTORS, NNTOP_SPARSE_ROWS  vectors of C a row of
//                `gemm_sparse_a` holds, and rows it sweeps side by side,
//   NNTOP_SET    the name of the nntop_kernel_set it defines,
// opens a `#pragma clang attribute` target region, and includes this file.
// Everything here is static, so no code compiled for one instruction set can
// be picked up by another translation unit (no shared inline copies).

#include "kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>  // the few operations vector extensions lack (`list_nonzeros`)
#endif

#define L NNTOP_LANES
#define MR NNTOP_ROWS
#define NR (2 * NNTOP_LANES)
#define INLINE static inline __attribute__((always_inline))

typedef float vf __attribute__((vector_size(NNTOP_LANES * 4)));
typedef int vi __attribute__((vector_size(NNTOP_LANES * 4)));
typedef unsigned vu __attribute__((vector_size(NNTOP_LANES * 4)));
typedef float v8 __attribute__((vector_size(32)));

// Vector primitives and maths (exp, log, tanh, sigmoid).
#include "kernel_vector.h"
// GEMM: the micro-tiles, the direct loops, the transposing copies.
#include "kernel_gemm.h"
// Products whose A is mostly zeros (ReLU's ∂J/∂Z).
#include "kernel_sparse.h"
// Activations, softmax, losses, sums.
#include "kernel_elementwise.h"

const nntop_kernel_set NNTOP_SET = {
  .name = NNTOP_NAME,
  .description = NNTOP_DESCRIPTION,
  .lanes = L,
  .rows = MR,
  .columns = NR,
  .sparse_columns = NNTOP_SPARSE_VECTORS * L,
  .gemm_blocks = gemm_blocks,
  .gemm_sparse_a = gemm_sparse_a,
  .gemm_direct = gemm_direct,
  .transpose = transpose,
  .activate = activate,
  .multiply_derivative = multiply_derivative,
  .softmax_columns = softmax_columns,
  .loss = loss,
  .row_sums = row_sums,
  .map = map,
};
