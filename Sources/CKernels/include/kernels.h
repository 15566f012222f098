#ifndef NNTOP_KERNELS_H
#define NNTOP_KERNELS_H

/// The engine's vectorised kernels, compiled once per instruction set from
/// one source (kernel_body.h) and chosen at run time on the CPU in hand
/// (dispatch.c), the way OpenBLAS's DYNAMIC_ARCH and NumPy's dispatch do.
/// Every matrix is row-major fp32; `ld*` are row strides in floats.

/// Products with m · n · k at most this take the direct loops.
#define NNTOP_DIRECT_LIMIT 4096

/// The GEMM's blocking: k is cut into equal blocks no deeper than KC (784
/// into four of 196, not three of 256 and one of 16), so a packed B panel
/// (KC × NR) stays in L1; A's row tiles in even blocks whose slice (rows ×
/// depth) holds at most MC × KC floats, so it stays in L2 while every panel
/// sweeps it (a shallower k, more rows).
#define NNTOP_GEMM_KC 256
#define NNTOP_GEMM_MC 256
/// Row tiles from which a row-major B's panel is packed rather than read in
/// place (one or two tiles would read the copy no more often than B itself).
#define NNTOP_GEMM_PACKING_TILES 3

/// One product C(m, n) = alpha · op(A) · op(B) + beta · C, row-major;
/// `trans_*` nonzero: the operand is stored transposed.
typedef struct nntop_gemm {
  int trans_a, trans_b;
  long m, n, k;
  float alpha, beta;
  const float *a;
  long lda;
  const float *b;
  long ldb;
  float *c;
  long ldc;
} nntop_gemm;

/// `gemm_sparse_a` skips A's zeros when at most this share of A is nonzero
/// (on the Zen 4, mnist's ∂J/∂W₁ with half of A zero took 0.71 of the
/// blocked product's time; at 0.7 nonzero the two took the same).
#define NNTOP_SPARSE_DENSITY 0.625

/// Leaky ReLU's slope for negative inputs.
#define NNTOP_LEAKY_SLOPE 0.01f

/// Elementwise activations (softmax is `softmax_columns`).
enum nntop_activation {
  NNTOP_SIGMOID = 0,
  NNTOP_TANH = 1,
  NNTOP_RELU = 2,
  NNTOP_LEAKY_RELU = 3,
  NNTOP_LINEAR = 4,
};

/// Losses whose value `loss` computes (the output activation named after the underscore).
enum nntop_loss {
  NNTOP_LOSS_MSE = 0,
  NNTOP_LOSS_BCE_SIGMOID = 1,    // from the logits z: stable
  NNTOP_LOSS_BCE = 2,            // from the probabilities a, clamped
  NNTOP_LOSS_CE_SOFTMAX = 3,     // from the logits z, per column
  NNTOP_LOSS_CE_SIGMOID = 4,     // from the logits z, elementwise
};

/// Vector functions `map` applies in place (accuracy tests, scalar callers).
enum nntop_function {
  NNTOP_EXP = 0,
  NNTOP_LOG = 1,
  NNTOP_FN_TANH = 2,
  NNTOP_FN_SIGMOID = 3,
};

/// One instruction set's kernels.
typedef struct nntop_kernel_set {
  /// "avx512", "avx2" or "baseline".
  const char *name;
  /// What it uses, for a person: "AVX-512F + FMA, 16 lanes".
  const char *description;
  /// fp32 lanes per vector; rows (MR) and columns (NR, two vectors) of the GEMM tile.
  int lanes, rows, columns;
  /// Columns of C a row of `gemm_sparse_a` holds in registers (its packed chunk of op(B) is (k, sparse_columns)).
  int sparse_columns;

  /// Row tiles [tile_lo, tile_hi) × column panels [panel_lo, panel_hi) of
  /// the product (MR rows, NR columns each), GotoBLAS order: per k block,
  /// per block of row tiles, each panel of op(B) packed contiguous (KC, NR)
  /// into `pack_b` (a stored-transposed B transposed, the last panel
  /// zero-padded; a row-major panel that fewer than
  /// NNTOP_GEMM_PACKING_TILES tiles sweep read in place), then every tile of
  /// the block over it: C's tile in registers, A read in place (its rows, or
  /// a transposed A's MR contiguous values per k), the bottom tile with only
  /// the rows there are; a partial panel computed into `scratch` (MR, NR).
  void (*gemm_blocks)(const nntop_gemm *g, long tile_lo, long tile_hi, long panel_lo, long panel_hi,
                      float *pack_b, float *scratch);
  /// `gemm_blocks` for a product whose A is read as stored and k ≤
  /// NNTOP_GEMM_KC, skipping A's zeros when at most NNTOP_SPARSE_DENSITY of
  /// its rows in the tiles is nonzero (ReLU's ∂J/∂Z in ∂J/∂W = ∂J/∂Z·Aᵀ):
  /// each row's nonzero columns listed into `lists` (room for rows · (k + 1)
  /// ints, rows = the tiles' rows), then C's rows summed over their lists
  /// against chunks of op(B) packed into `pack_b` (k, sparse_columns). The
  /// same C to the bit as `gemm_blocks` (bar a NaN from 0 × ∞).
  void (*gemm_sparse_a)(const nntop_gemm *g, long tile_lo, long tile_hi, long panel_lo, long panel_hi,
                        float *pack_b, float *scratch, int *lists);
  /// C(m, n) = alpha · op(A) · op(B) + beta · C by direct loops, for products
  /// too small to repay blocking (m · n · k ≤ NNTOP_DIRECT_LIMIT).
  /// `trans_*` nonzero: the operand is stored transposed.
  void (*gemm_direct)(int trans_a, int trans_b, long m, long n, long k, float alpha,
                      const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc);
  /// dst[c · ldd + r] = src[r · ld + c] for r < rows, c < cols.
  void (*transpose)(const float *src, long ld, long rows, long cols, float *dst, long ldd);

  /// z(units, batch) ← σ(z + bias), the bias (NULL: none) per row; z's
  /// rows `ld` floats apart (a block of columns of a wider matrix).
  void (*activate)(int activation, float *z, long ld, const float *bias, long units, long batch);
  /// delta ← delta · σ'(z), σ' from the activation's output a.
  void (*multiply_derivative)(int activation, float *delta, const float *a, long count);
  /// Column-wise softmax of z(units, batch), each column's max subtracted first.
  void (*softmax_columns)(float *z, long units, long batch);
  /// The loss summed over the batch (divided by the batch, or for MSE by
  /// every element). `z` logits and `a` outputs, `y` targets, all (units, batch).
  double (*loss)(int loss, const float *z, const float *a, const float *y, long units, long batch);
  /// out[r] = alpha · Σ of row r of p(rows, cols), or with `accumulate`
  /// nonzero out[r] += that: a layer's bias gradient, or plain SGD's bias
  /// step (alpha −η) in one call.
  void (*row_sums)(const float *p, long rows, long cols, float alpha, float *out, int accumulate);
  /// x ← f(x) over `count` floats.
  void (*map)(int function, float *x, long count);
} nntop_kernel_set;

/// The kernel sets this CPU can run, best first; the last is the baseline,
/// which runs everywhere.
int nntop_kernel_set_count(void);
const nntop_kernel_set *nntop_kernel_set_at(int index);

/// Every kernel set this binary holds, supported here or not (for messages), widest first.
int nntop_kernel_set_built_count(void);
const nntop_kernel_set *nntop_kernel_set_built_at(int index);

/// The environment's NNTOP_KERNEL (NULL when unset): a name to use instead of the best.
const char *nntop_kernel_request(void);

/// Flush subnormal floats to zero on the calling thread (x86's MXCSR FTZ
/// and DAZ bits; nothing elsewhere) and return the thread's mode before, for
/// `nntop_restore_float_mode`. A value below 1.2e-38 then reads and writes
/// as 0: Adam's second moments and the gradients of a run whose loss has all
/// but vanished would otherwise fall into microcoded slow paths (10× slower
/// steps on this machine). Per thread, and inherited by threads it creates.
unsigned nntop_flush_subnormals(void);
/// Puts back a mode `nntop_flush_subnormals` returned.
void nntop_restore_float_mode(unsigned mode);

/// One turn of a busy-wait: x86's `pause`, which lets a sibling hyperthread
/// (or the other vCPU of a virtual machine on one) have the core and spares
/// the pipeline flush on leaving the loop; nothing elsewhere.
static inline void nntop_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

#endif
