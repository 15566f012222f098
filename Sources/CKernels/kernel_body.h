// The engine's kernels, written once over a vector of NNTOP_LANES floats and
// compiled once per instruction set: a kernels_*.c file defines
//   NNTOP_LANES  fp32 lanes per vector (4, 8, 16),
//   NNTOP_ROWS   rows of the GEMM micro-tile (MR),
//   NNTOP_SET    the name of the nntop_kernel_set it defines,
// opens a `#pragma clang attribute` target region, and includes this file.
// Everything here is static, so no code compiled for one instruction set can
// be picked up by another translation unit (no shared inline copies).

#include "kernels.h"

#define L NNTOP_LANES
#define MR NNTOP_ROWS
#define NR (2 * NNTOP_LANES)
#define INLINE static inline __attribute__((always_inline))

typedef float vf __attribute__((vector_size(NNTOP_LANES * 4)));
typedef int vi __attribute__((vector_size(NNTOP_LANES * 4)));
typedef unsigned vu __attribute__((vector_size(NNTOP_LANES * 4)));
typedef float v8 __attribute__((vector_size(32)));

// ---- vector primitives ------------------------------------------------------

INLINE vf load(const float *p) { vf v; __builtin_memcpy(&v, p, sizeof v); return v; }
INLINE void store(float *p, vf v) { __builtin_memcpy(p, &v, sizeof v); }
/// x in every lane (lane by lane: `{0} + x` would add, as 0 + −0 is not −0).
INLINE vf splat(float x) {
  vf v;
  for (int l = 0; l < L; l++) v[l] = x;
  return v;
}
/// m ? a : b, lane by lane (m all ones or all zeros per lane).
INLINE vf select(vi m, vf a, vf b) { return (vf)(((vi)a & m) | ((vi)b & ~m)); }

/// `n` (< L) floats, the other lanes `fill`.
INLINE vf load_part(const float *p, long n, float fill) {
  vf v = splat(fill);
  for (long l = 0; l < n; l++) v[l] = p[l];
  return v;
}
INLINE void store_part(float *p, vf v, long n) {
  for (long l = 0; l < n; l++) p[l] = v[l];
}
/// A whole vector, or `lanes` floats then `fill`.
INLINE vf load_lanes(const float *p, long lanes, float fill) {
  return lanes == L ? load(p) : load_part(p, lanes, fill);
}
INLINE float horizontal_sum(vf v) {
  float s = 0;
  for (int l = 0; l < L; l++) s += v[l];
  return s;
}

// ---- vector maths: exp, log, tanh, sigmoid, a few ulp -----------------------

/// Adding then subtracting 1.5 · 2²³ rounds to an integer (|x| < 2²²).
#define MAGIC 12582912.0f

/// e^x; inputs clamped to where e^x is finite and normal, so never NaN for finite x.
INLINE vf v_exp(vf x) {
  const vf lo = splat(-87.3f), hi = splat(88.7f), magic = splat(MAGIC);
  vf xc = select(x < lo, lo, x);
  xc = select(x > hi, hi, xc);
  vf n = (xc * 1.44269504f + magic) - magic;
  vf r = xc - n * 0.693359375f;
  r = r - n * -2.1219444e-4f;
  // e^r on |r| ≤ ln2/2 by its Taylor series to r⁷ (error < 1e-8 relative).
  vf p = splat(1.0f / 5040);
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // 2^n from exponent bits, n ∈ [-126, 128] split so both halves are normal.
  vi ni = (vi)(n + magic) - (vi)magic;
  vi half = ni >> 1;
  vf s1 = (vf)((half + 127) << 23);
  vf s2 = (vf)((ni - half + 127) << 23);
  return p * s1 * s2;
}

/// The natural log: exponent and mantissa from the bits, log m = 2·atanh((m−1)/(m+1))
/// on m ∈ [√½, √2). 0 gives −∞, negatives NaN.
INLINE vf v_log(vf x) {
  vi bits = (vi)x;
  vi e = (bits >> 23) - 127;
  vf m = (vf)((bits & 0x007FFFFF) | 0x3F800000);  // [1, 2)
  vi big = m > splat(1.41421356f);
  m = select(big, m * 0.5f, m);
  e = e - big;  // big is −1 where true
  vf s = (m - 1.0f) / (m + 1.0f), s2 = s * s;
  vf p = splat(1.0f / 9);
  p = p * s2 + 1.0f / 7;
  p = p * s2 + 1.0f / 5;
  p = p * s2 + 1.0f / 3;
  p = p * s2 + 1.0f;
  const vf magic = splat(MAGIC);
  vf ef = (vf)(e + (vi)magic) - magic;
  vf result = ef * 0.69314718f + 2.0f * s * p;
  result = select(x == splat(0), splat(-__builtin_inff()), result);
  return select(x < splat(0), splat(__builtin_nanf("")), result);
}

/// tanh: an odd Taylor polynomial near 0 (where 1 − 2/(e²ˣ+1) would cancel),
/// the exponential form elsewhere.
INLINE vf v_tanh(vf x) {
  vu bits = (vu)x;
  vf ax = (vf)(bits & 0x7FFFFFFFu);
  // x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925 + 21844x¹³/6081075
  vf x2 = x * x;
  vf p = splat(21844.0f / 6081075);
  p = p * x2 + -1382.0f / 155925;
  p = p * x2 + 62.0f / 2835;
  p = p * x2 + -17.0f / 315;
  p = p * x2 + 2.0f / 15;
  p = p * x2 + -1.0f / 3;
  vf small = (x * x2) * p + x;
  vf e = v_exp(-2.0f * ax);
  vf large = (1.0f - e) / (1.0f + e);
  vf with_sign = (vf)((vu)large | (bits & 0x80000000u));
  return select(ax > splat(0.5f), with_sign, small);
}

/// 1 / (1 + e⁻ˣ), without overflow for large |x|.
INLINE vf v_sigmoid(vf x) { return 1.0f / (1.0f + v_exp(-x)); }

/// log(1 + e^(−|x|)): the softplus tail of stable sigmoid cross-entropies.
INLINE vf v_log1p_exp_negative_abs(vf x) {
  vf ax = (vf)((vu)x & 0x7FFFFFFFu);
  return v_log(1.0f + v_exp(-ax));
}

INLINE vf v_max0(vf x) { return select(x < splat(0), splat(0), x); }

// ---- GEMM micro-kernels -----------------------------------------------------

/// One row of a tile: c = alpha · acc + beta · c (c not read when beta is 0).
INLINE void store_row(float *c, vf v0, vf v1, float alpha, float beta) {
  if (beta == 0) {
    store(c, alpha * v0);
    store(c + L, alpha * v1);
  } else {
    store(c, alpha * v0 + beta * load(c));
    store(c + L, alpha * v1 + beta * load(c + L));
  }
}

/// The C tile held in registers (MR rows × two vectors) for the whole k loop:
/// one rank-1 update per k, two vector loads of B and MR broadcasts of A,
/// A's value for row r at step p at `a + r · row + p · step`.
INLINE void tile(long k, const float *a, long step, long row, const float *b, long ldb,
                 float *c, long ldc, float alpha, float beta) {
  vf acc0[MR], acc1[MR];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) acc0[r] = acc1[r] = splat(0);
  for (long p = 0; p < k; p++) {
    vf b0 = load(b), b1 = load(b + L);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      vf s = splat(a[r * row + p * step]);
      acc0[r] = s * b0 + acc0[r];
      acc1[r] = s * b1 + acc1[r];
    }
    b += ldb;
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) store_row(c + r * ldc, acc0[r], acc1[r], alpha, beta);
}

/// A's MR values for each k contiguous, steps `a_stride` apart (a packed tile, a transposed A).
static void micro_strided(long k, const float *a, long a_stride, const float *b, long ldb,
                          float *c, long ldc, float alpha, float beta) {
  tile(k, a, a_stride, 1, b, ldb, c, ldc, alpha, beta);
}

/// A's MR rows read in place, `lda` apart (as fast as a packed tile).
static void micro_rows(long k, const float *a, long lda, const float *b, long ldb,
                       float *c, long ldc, float alpha, float beta) {
  tile(k, a, 1, lda, b, ldb, c, ldc, alpha, beta);
}

/// The tile's left half (MR rows × one vector), for a last panel no wider
/// than a vector: half the work of a whole tile.
static void micro_half(long k, const float *a, long a_stride, long lda, const float *b, long ldb,
                       float *c, long ldc, float alpha, float beta) {
  vf acc[MR];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) acc[r] = splat(0);
  for (long p = 0; p < k; p++) {
    vf b0 = load(b);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) acc[r] = splat(a[r * lda]) * b0 + acc[r];
    a += a_stride;
    b += ldb;
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) {
    float *row = c + r * ldc;
    store(row, beta == 0 ? alpha * acc[r] : alpha * acc[r] + beta * load(row));
  }
}

// ---- transposing copies -----------------------------------------------------

// Macros, not functions: an 8-float vector passed by value would need AVX's ABI.
#define load8(p) ({ v8 v_; __builtin_memcpy(&v_, (p), sizeof v_); v_; })
#define store8(p, v) do { v8 v_ = (v); __builtin_memcpy((p), &v_, sizeof v_); } while (0)

/// An 8 × 8 block through registers: interleave row pairs, then pairs of
/// pairs, then the 128-bit halves.
INLINE void transpose8x8(const float *src, long ld, float *dst, long ldd) {
  v8 r0 = load8(src), r1 = load8(src + ld), r2 = load8(src + 2 * ld), r3 = load8(src + 3 * ld);
  v8 r4 = load8(src + 4 * ld), r5 = load8(src + 5 * ld), r6 = load8(src + 6 * ld), r7 = load8(src + 7 * ld);
  v8 t0 = __builtin_shufflevector(r0, r1, 0, 8, 1, 9, 4, 12, 5, 13);
  v8 t1 = __builtin_shufflevector(r0, r1, 2, 10, 3, 11, 6, 14, 7, 15);
  v8 t2 = __builtin_shufflevector(r2, r3, 0, 8, 1, 9, 4, 12, 5, 13);
  v8 t3 = __builtin_shufflevector(r2, r3, 2, 10, 3, 11, 6, 14, 7, 15);
  v8 t4 = __builtin_shufflevector(r4, r5, 0, 8, 1, 9, 4, 12, 5, 13);
  v8 t5 = __builtin_shufflevector(r4, r5, 2, 10, 3, 11, 6, 14, 7, 15);
  v8 t6 = __builtin_shufflevector(r6, r7, 0, 8, 1, 9, 4, 12, 5, 13);
  v8 t7 = __builtin_shufflevector(r6, r7, 2, 10, 3, 11, 6, 14, 7, 15);
  // s0: rows 0–3 of columns 0 and 4; s1: of 1 and 5; s2: 2 and 6; s3: 3 and 7.
  v8 s0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
  v8 s1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
  v8 s2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
  v8 s3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
  v8 s4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
  v8 s5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
  v8 s6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
  v8 s7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
  store8(dst + 0 * ldd, __builtin_shufflevector(s0, s4, 0, 1, 2, 3, 8, 9, 10, 11));
  store8(dst + 1 * ldd, __builtin_shufflevector(s1, s5, 0, 1, 2, 3, 8, 9, 10, 11));
  store8(dst + 2 * ldd, __builtin_shufflevector(s2, s6, 0, 1, 2, 3, 8, 9, 10, 11));
  store8(dst + 3 * ldd, __builtin_shufflevector(s3, s7, 0, 1, 2, 3, 8, 9, 10, 11));
  store8(dst + 4 * ldd, __builtin_shufflevector(s0, s4, 4, 5, 6, 7, 12, 13, 14, 15));
  store8(dst + 5 * ldd, __builtin_shufflevector(s1, s5, 4, 5, 6, 7, 12, 13, 14, 15));
  store8(dst + 6 * ldd, __builtin_shufflevector(s2, s6, 4, 5, 6, 7, 12, 13, 14, 15));
  store8(dst + 7 * ldd, __builtin_shufflevector(s3, s7, 4, 5, 6, 7, 12, 13, 14, 15));
}

static void transpose(const float *src, long ld, long rows, long cols, float *dst, long ldd) {
  // Stripes of 64 rows, swept along the columns, so the writes run along
  // dst's rows (measured 39 → 28 µs for 784 × 128 here, against rows inner).
  long whole = rows / 8 * 8, c8 = cols / 8 * 8;
  for (long stripe = 0; stripe < whole; stripe += 64) {
    long end = stripe + 64 < whole ? stripe + 64 : whole;
    for (long c0 = 0; c0 < c8; c0 += 8)
      for (long r0 = stripe; r0 < end; r0 += 8) transpose8x8(src + r0 * ld + c0, ld, dst + c0 * ldd + r0, ldd);
  }
  for (long c = c8; c < cols; c++)
    for (long r = 0; r < whole; r++) dst[c * ldd + r] = src[r * ld + c];
  long r0 = whole;
  // The last rows, 16 columns at a time for the cache.
  for (long c0 = 0; c0 < cols; c0 += 16) {
    long c1 = c0 + 16 < cols ? c0 + 16 : cols;
    for (long r = r0; r < rows; r++)
      for (long c = c0; c < c1; c++) dst[c * ldd + r] = src[r * ld + c];
  }
}

/// C *= beta over (rows, cols); beta == 0 writes zeros (NaN-safe).
INLINE void scale_rows(float *c, long rows, long cols, long ldc, float beta) {
  if (beta == 1) return;
  for (long i = 0; i < rows; i++) {
    float *row = c + i * ldc;
    if (beta == 0) {
      for (long j = 0; j < cols; j++) row[j] = 0;
    } else {
      for (long j = 0; j < cols; j++) row[j] *= beta;
    }
  }
}

/// Direct loops; the inner loop always runs along a contiguous row so the
/// compiler vectorises it for this instruction set.
static void gemm_direct(int trans_a, int trans_b, long m, long n, long k, float alpha,
                        const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc) {
  scale_rows(c, m, n, ldc, beta);
  // A stored-transposed B is transposed first (n · k ≤ m · n · k, small here),
  // so every inner loop runs along a row of B: no dot products across lanes.
  float bt[NNTOP_DIRECT_LIMIT];
  if (trans_b && k > 0 && n * k <= NNTOP_DIRECT_LIMIT) {
    transpose(b, ldb, n, k, bt, n);
    b = bt;
    ldb = n;
    trans_b = 0;
  }
  if (!trans_b) {
    // C[i, :] += alpha · op(A)[i, p] · B[p, :]
    for (long i = 0; i < m; i++) {
      float *restrict ci = c + i * ldc;
      for (long p = 0; p < k; p++) {
        float aip = alpha * (trans_a ? a[p * lda + i] : a[i * lda + p]);
        if (aip == 0) continue;
        const float *restrict bp = b + p * ldb;
        for (long j = 0; j < n; j++) ci[j] += aip * bp[j];
      }
    }
  } else {
    // C[i, j] += alpha · op(A)[i, :] · B[j, :]
    for (long i = 0; i < m; i++) {
      float *ci = c + i * ldc;
      for (long j = 0; j < n; j++) {
        const float *bj = b + j * ldb;
        float sum = 0;
        if (!trans_a) {
          const float *ai = a + i * lda;
          for (long p = 0; p < k; p++) sum += ai[p] * bj[p];
        } else {
          for (long p = 0; p < k; p++) sum += a[p * lda + i] * bj[p];
        }
        ci[j] += alpha * sum;
      }
    }
  }
}

// ---- activations ------------------------------------------------------------

/// p[i] ← EXPR(v) over `count` floats, `v` the vector at i; the tail through a zero-padded vector.
#define MAP(p, count, EXPR)                                   \
  do {                                                        \
    long i_ = 0;                                              \
    for (; i_ + L <= (count); i_ += L) {                      \
      vf v = load((p) + i_);                                  \
      store((p) + i_, (EXPR));                                \
    }                                                         \
    if (i_ < (count)) {                                       \
      vf v = load_part((p) + i_, (count) - i_, 0);            \
      vf r_ = (EXPR);                                         \
      store_part((p) + i_, r_, (count) - i_);                 \
    }                                                         \
  } while (0)

static void activate(int activation, float *z, const float *bias, long units, long batch) {
  for (long r = 0; r < units; r++) {
    float *row = z + r * batch;
    float br = bias ? bias[r] : 0;
    switch (activation) {
      case NNTOP_SIGMOID: MAP(row, batch, v_sigmoid(v + br)); break;
      case NNTOP_TANH: MAP(row, batch, v_tanh(v + br)); break;
      case NNTOP_RELU: MAP(row, batch, v_max0(v + br)); break;
      case NNTOP_LEAKY_RELU: MAP(row, batch, select(v + br < splat(0), (v + br) * NNTOP_LEAKY_SLOPE, v + br)); break;
      default: if (bias) MAP(row, batch, v + br); break;
    }
  }
}

/// d[i] ← EXPR(d, a) over `count` floats.
#define ZIP_MAP(dp, ap, count, EXPR)                                                  \
  do {                                                                                \
    long i_ = 0;                                                                      \
    for (; i_ + L <= (count); i_ += L) {                                              \
      vf d = load((dp) + i_), a = load((ap) + i_);                                    \
      store((dp) + i_, (EXPR));                                                       \
    }                                                                                 \
    if (i_ < (count)) {                                                               \
      vf d = load_part((dp) + i_, (count) - i_, 0), a = load_part((ap) + i_, (count) - i_, 0); \
      vf r_ = (EXPR);                                                                 \
      store_part((dp) + i_, r_, (count) - i_);                                        \
    }                                                                                 \
  } while (0)

static void multiply_derivative(int activation, float *delta, const float *act, long count) {
  switch (activation) {
    case NNTOP_SIGMOID: ZIP_MAP(delta, act, count, d * a * (1.0f - a)); break;
    case NNTOP_TANH: ZIP_MAP(delta, act, count, d * (1.0f - a * a)); break;
    case NNTOP_RELU: ZIP_MAP(delta, act, count, select(a <= splat(0), splat(0), d)); break;
    case NNTOP_LEAKY_RELU: ZIP_MAP(delta, act, count, select(a < splat(0), d * NNTOP_LEAKY_SLOPE, d)); break;
    default: break;
  }
}

/// A vector of columns at a time, so every load runs along a row; no scratch memory.
static void softmax_columns(float *z, long units, long batch) {
  for (long j = 0; j < batch; j += L) {
    long lanes = batch - j < L ? batch - j : L;
    vf m = load_lanes(z + j, lanes, -__FLT_MAX__);
    for (long r = 1; r < units; r++) {
      vf v = load_lanes(z + r * batch + j, lanes, -__FLT_MAX__);
      m = select(v > m, v, m);
    }
    vf sum = splat(0);
    for (long r = 0; r < units; r++) {
      vf e = v_exp(load_lanes(z + r * batch + j, lanes, -__FLT_MAX__) - m);
      sum += e;
      if (lanes == L) store(z + r * batch + j, e); else store_part(z + r * batch + j, e, lanes);
    }
    vf inv = 1.0f / sum;
    for (long r = 0; r < units; r++) {
      float *p = z + r * batch + j;
      if (lanes == L) store(p, load(p) * inv); else store_part(p, load_part(p, lanes, 0) * inv, lanes);
    }
  }
}

// ---- sums and losses --------------------------------------------------------

/// Σ over `count` elements of a vector TERM (computed from i and lanes, the
/// last call with fewer lanes, whose extra lanes are dropped): partial sums
/// in fp32 vectors, flushed to a double every 64 vectors.
#define SUM(count, TERM)                                                      \
  ({                                                                          \
    double total_ = 0;                                                        \
    vf acc_ = splat(0);                                                       \
    long i = 0, blocks_ = 0, lanes = L;                                       \
    for (; i + L <= (count); i += L) {                                        \
      acc_ += (TERM);                                                         \
      if (++blocks_ == 64) { total_ += horizontal_sum(acc_); acc_ = splat(0); blocks_ = 0; } \
    }                                                                         \
    if (i < (count)) {                                                        \
      lanes = (count) - i;                                                    \
      vf t_ = (TERM);                                                         \
      for (long l_ = lanes; l_ < L; l_++) t_[l_] = 0;                         \
      acc_ += t_;                                                             \
    }                                                                         \
    total_ + horizontal_sum(acc_);                                            \
  })

static float sum(const float *p, long count) {
  vf acc = splat(0);
  long i = 0;
  for (; i + L <= count; i += L) acc += load(p + i);
  float s = horizontal_sum(acc);
  for (; i < count; i++) s += p[i];
  return s;
}

INLINE vf column_cross_entropy(const float *z, const float *y, long units, long batch, long j, long lanes) {
  // −Σₖ yₖ (zₖ − max − log Σⱼ e^(zⱼ − max))
  vf m = load_lanes(z + j, lanes, 0);
  for (long k = 1; k < units; k++) {
    vf v = load_lanes(z + k * batch + j, lanes, 0);
    m = select(v > m, v, m);
  }
  vf s = splat(0);
  for (long k = 0; k < units; k++) s += v_exp(load_lanes(z + k * batch + j, lanes, 0) - m);
  vf log_s = v_log(s), column = splat(0);
  for (long k = 0; k < units; k++)
    column -= load_lanes(y + k * batch + j, lanes, 0) * (load_lanes(z + k * batch + j, lanes, 0) - m - log_s);
  return column;
}

INLINE vf clamp_probability(vf a) {
  const vf lo = splat(1e-7f), hi = splat(1 - 1e-7f);
  a = select(a < lo, lo, a);
  return select(a > hi, hi, a);
}

static double loss(int kind, const float *z, const float *a, const float *y, long units, long batch) {
  long n = units * batch;
#define AT(p) load_lanes((p) + i, lanes, 0)
  switch (kind) {
    case NNTOP_LOSS_MSE:
      return SUM(n, (AT(a) - AT(y)) * (AT(a) - AT(y))) / (double)n;
    case NNTOP_LOSS_BCE_SIGMOID:
      // max(z, 0) − z·y + log(1 + e^−|z|)
      return SUM(n, v_max0(AT(z)) - AT(z) * AT(y) + v_log1p_exp_negative_abs(AT(z))) / (double)batch;
    case NNTOP_LOSS_BCE:
      return SUM(n, -(AT(y) * v_log(clamp_probability(load_lanes(a + i, lanes, 0.5f)))
                      + (1.0f - AT(y)) * v_log(1.0f - clamp_probability(load_lanes(a + i, lanes, 0.5f))))) / (double)batch;
    case NNTOP_LOSS_CE_SOFTMAX:
      return SUM(batch, column_cross_entropy(z, y, units, batch, i, lanes)) / (double)batch;
    default:
      // −y · log σ(z) = y · (max(−z, 0) + log(1 + e^−|z|))
      return SUM(n, AT(y) * (v_max0(-AT(z)) + v_log1p_exp_negative_abs(AT(z)))) / (double)batch;
  }
#undef AT
}

static void map(int function, float *x, long count) {
  switch (function) {
    case NNTOP_EXP: MAP(x, count, v_exp(v)); break;
    case NNTOP_LOG: MAP(x, count, v_log(v)); break;
    case NNTOP_FN_TANH: MAP(x, count, v_tanh(v)); break;
    default: MAP(x, count, v_sigmoid(v)); break;
  }
}

const nntop_kernel_set NNTOP_SET = {
  .name = NNTOP_NAME,
  .description = NNTOP_DESCRIPTION,
  .lanes = L,
  .rows = MR,
  .columns = NR,
  .micro_strided = micro_strided,
  .micro_rows = micro_rows,
  .micro_half = micro_half,
  .gemm_direct = gemm_direct,
  .transpose = transpose,
  .activate = activate,
  .multiply_derivative = multiply_derivative,
  .softmax_columns = softmax_columns,
  .loss = loss,
  .sum = sum,
  .map = map,
};
