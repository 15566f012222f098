// Part of kernel_body.h: compiled once per instruction set, inside its target region.

// ---- GEMM micro-kernels -----------------------------------------------------

/// c = alpha · v + beta · c over one vector (c not read when beta is 0).
INLINE void store_scaled(float *c, vf v, float alpha, float beta) {
  store(c, beta == 0 ? alpha * v : alpha * v + beta * load(c));
}

/// The C tile held in registers (MR rows × two vectors, or with `wide` 0
/// the left vector alone) for the whole k loop: one rank-1 update per k,
/// vector loads of B and MR broadcasts of A, A's value for row r at step p
/// at `a + r · row + p · step`. `wide` is a constant at every call, so each
/// variant compiles to its own loop.
INLINE void tile(long k, const float *a, long step, long row, const float *b, long ldb,
                 float *c, long ldc, float alpha, float beta, int wide) {
  vf acc0[MR], acc1[MR];
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) acc0[r] = acc1[r] = splat(0);
  for (long p = 0; p < k; p++) {
    vf b0 = load(b), b1 = wide ? load(b + L) : splat(0);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
      vf s = splat(a[r * row + p * step]);
      acc0[r] = s * b0 + acc0[r];
      if (wide) acc1[r] = s * b1 + acc1[r];
    }
    b += ldb;
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < MR; r++) {
    store_scaled(c + r * ldc, acc0[r], alpha, beta);
    if (wide) store_scaled(c + r * ldc + L, acc1[r], alpha, beta);
  }
}

/// A's MR values for each k contiguous, steps `a_stride` apart (a packed tile, a transposed A).
static void micro_strided(long k, const float *a, long a_stride, const float *b, long ldb,
                          float *c, long ldc, float alpha, float beta) {
  tile(k, a, a_stride, 1, b, ldb, c, ldc, alpha, beta, 1);
}

/// A's MR rows read in place, `lda` apart (as fast as a packed tile).
static void micro_rows(long k, const float *a, long lda, const float *b, long ldb,
                       float *c, long ldc, float alpha, float beta) {
  tile(k, a, 1, lda, b, ldb, c, ldc, alpha, beta, 1);
}

/// The tile's left half (MR rows × one vector), for a last panel no wider
/// than a vector: half the work of a whole tile.
static void micro_half(long k, const float *a, long a_stride, long lda, const float *b, long ldb,
                       float *c, long ldc, float alpha, float beta) {
  tile(k, a, a_stride, lda, b, ldb, c, ldc, alpha, beta, 0);
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

/// op(B)'s k × cols panel into dst(k, NR), zeros past cols: two vector
/// copies a row for a whole panel of a row-major B, 8 × 8-block transposes
/// of its `cols` stored rows for a stored-transposed one.
static void pack_panel(int trans_b, const float *b, long ldb, long k, long cols, float *dst) {
  if (trans_b) {
    transpose(b, ldb, cols, k, dst, NR);
  } else if (cols == NR) {
    for (long p = 0; p < k; p++) {
      store(dst + p * NR, load(b + p * ldb));
      store(dst + p * NR + L, load(b + p * ldb + L));
    }
    return;
  } else {
    for (long p = 0; p < k; p++)
      for (long j = 0; j < cols; j++) dst[p * NR + j] = b[p * ldb + j];
  }
  for (long p = 0; p < k; p++)
    for (long j = cols; j < NR; j++) dst[p * NR + j] = 0;
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
