// The kernels for any CPU of the architecture: x86-64's baseline SSE2, or
// the ARM64 vectors. 4 lanes, a 4 × 8 tile (8 accumulators of 16 registers).
#define NNTOP_LANES 4
#define NNTOP_ROWS 4
#define NNTOP_SPARSE_VECTORS 4
#define NNTOP_SPARSE_ROWS 2
#define NNTOP_SET nntop_kernels_baseline
#define NNTOP_NAME "baseline"
#if defined(__x86_64__)
#define NNTOP_DESCRIPTION "SSE2, 4 lanes"
#else
#define NNTOP_DESCRIPTION "4 lanes"
#endif
#include "kernel_body.h"
