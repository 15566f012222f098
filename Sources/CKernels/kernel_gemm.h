// Part of kernel_body.h: compiled once per instruction set, inside its target region.

// ---- GEMM micro-kernels -----------------------------------------------------

/// c = alpha · v + beta · c over one vector (c not read when beta is 0).
INLINE void store_scaled(float *c, vf v, float alpha, float beta) {
  store(c, beta == 0 ? alpha * v : alpha * v + beta * load(c));
}

/// The C tile held in registers (`rows` ≤ MR rows × two vectors, or with
/// `wide` 0 the left vector alone) for the whole k loop: one rank-1 update
/// per k, vector loads of B and `rows` broadcasts of A, A's value for row r
/// at step p at `a + r · row + p · step`. `rows` and `wide` are constants at
/// every call, so each variant compiles to its own loop.
INLINE void tile(long k, const float *a, long step, long row, const float *b, long ldb,
                 float *c, long ldc, float alpha, float beta, int wide, int rows) {
  vf acc0[MR], acc1[MR];
#pragma clang loop unroll(full)
  for (int r = 0; r < rows; r++) acc0[r] = acc1[r] = splat(0);
  // Four k steps a trip: on the Intel Xeon, 1.04–1.24× (AVX2) and
  // 1.02–1.11× (AVX-512) on every product of mnist and deep alone against
  // one a trip (two a trip gained about half of that, eight lost); on the
  // Zen 4, whole steps 1.00–1.02× (BENCHMARKS.md).
#pragma clang loop unroll_count(4)
  for (long p = 0; p < k; p++) {
    vf b0 = load(b), b1 = wide ? load(b + L) : splat(0);
#pragma clang loop unroll(full)
    for (int r = 0; r < rows; r++) {
      vf s = splat(a[r * row]);
      acc0[r] = s * b0 + acc0[r];
      if (wide) acc1[r] = s * b1 + acc1[r];
    }
    a += step;
    b += ldb;
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < rows; r++) {
    store_scaled(c + r * ldc, acc0[r], alpha, beta);
    if (wide) store_scaled(c + r * ldc + L, acc1[r], alpha, beta);
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

/// op(B)'s k × cols panel into dst(k, NR), zeros past cols (up to the one
/// vector a panel no wider than one is swept by): vector copies a row for a
/// row-major B one or two vectors wide, 8 × 8-block transposes of its
/// `cols` stored rows for a stored-transposed one.
INLINE void pack_panel(int trans_b, const float *b, long ldb, long k, long cols, float *dst) {
  if (trans_b) {
    transpose(b, ldb, cols, k, dst, NR);
  } else if (cols == NR || cols == L) {
    for (long p = 0; p < k; p++) {
      store(dst + p * NR, load(b + p * ldb));
      if (cols == NR) store(dst + p * NR + L, load(b + p * ldb + L));
    }
    return;
  } else {
    for (long p = 0; p < k; p++)
      for (long j = 0; j < cols; j++) dst[p * NR + j] = b[p * ldb + j];
  }
  // A panel no wider than a vector is swept by the left vector alone.
  long width = cols <= L ? L : NR;
  for (long p = 0; p < k; p++)
    for (long j = cols; j < width; j++) dst[p * NR + j] = 0;
}

// ---- the blocked product ----------------------------------------------------

/// `tile` with A (`rows` rows from `a`) read in place, each way its own
/// loop with its strides known: its rows (row stride lda), or a transposed
/// A's contiguous values per k (step lda). One loop over both strides at run
/// time did the arithmetic of both.
INLINE void tile_a(const nntop_gemm *g, long kb, const float *a, const float *b, long ldb, float *c, long ldc,
                   float alpha, float beta, int wide, int rows) {
  if (g->trans_a) {
    tile(kb, a, g->lda, 1, b, ldb, c, ldc, alpha, beta, wide, rows);
  } else {
    tile(kb, a, 1, g->lda, b, ldb, c, ldc, alpha, beta, wide, rows);
  }
}

/// Rows [i0, i0 + rows) (`rows` a constant at every call) against one panel
/// (columns j0 ..< j0 + cols of op(B), read at `b` with row stride `ldb`),
/// over k range [p0, p0 + kb).
INLINE void tile_panel_rows(const nntop_gemm *g, long i0, long j0, long cols, const float *b, long ldb, long p0,
                            long kb, float beta, float *scratch, int rows) {
  const float *a = g->trans_a ? g->a + p0 * g->lda + i0 : g->a + i0 * g->lda + p0;
  float *c = g->c + i0 * g->ldc + j0;
  if (cols == NR) {
    tile_a(g, kb, a, b, ldb, c, g->ldc, g->alpha, beta, 1, rows);
    return;
  }
  if (cols == L) {
    tile_a(g, kb, a, b, ldb, c, g->ldc, g->alpha, beta, 0, rows);
    return;
  }
  // A partial panel: computed whole into scratch, the part inside C kept.
  // No wider than a vector: the tile's left half is all there is to compute.
  if (cols <= L) {
    tile_a(g, kb, a, b, ldb, scratch, NR, g->alpha, 0, 0, rows);
  } else {
    tile_a(g, kb, a, b, ldb, scratch, NR, g->alpha, 0, 1, rows);
  }
  for (long r = 0; r < rows; r++) {
    float *cr = c + r * g->ldc;
    const float *sr = scratch + r * NR;
    if (beta == 0) {
      for (long j = 0; j < cols; j++) cr[j] = sr[j];
    } else {
      for (long j = 0; j < cols; j++) cr[j] = sr[j] + beta * cr[j];
    }
  }
}

/// Row tile t against one panel: a whole tile (MR rows), or the bottom
/// tile's fewer rows, each count its own loop.
INLINE void tile_panel(const nntop_gemm *g, long t, long j0, long cols, const float *b, long ldb, long p0, long kb,
                       float beta, float *scratch) {
  long i0 = t * MR, rows = g->m - i0 < MR ? g->m - i0 : MR;
#define ROWS_CASE(R) case R: tile_panel_rows(g, i0, j0, cols, b, ldb, p0, kb, beta, scratch, R); break;
  switch (rows) {
    ROWS_CASE(1) ROWS_CASE(2) ROWS_CASE(3)
#if MR > 4
    ROWS_CASE(4) ROWS_CASE(5)
#endif
#if MR > 6
    ROWS_CASE(6) ROWS_CASE(7)
#endif
    default: tile_panel_rows(g, i0, j0, cols, b, ldb, p0, kb, beta, scratch, MR); break;
  }
#undef ROWS_CASE
}

static void gemm_blocks(const nntop_gemm *g, long tile_lo, long tile_hi, long panel_lo, long panel_hi,
                        float *pack_b, float *scratch) {
  long blocks = (g->k + NNTOP_GEMM_KC - 1) / NNTOP_GEMM_KC, depth = (g->k + blocks - 1) / blocks;
  // Row tiles in blocks whose slice of A (rows × depth) holds at most
  // MC × KC floats, as even as they come: mnist's ∂J/∂W₁ (256 rows, k 128)
  // in one block, not 252 rows and then 4 that packed every panel again.
  long count = tile_hi - tile_lo;
  if (count <= 0) return;
  long cap = NNTOP_GEMM_MC * NNTOP_GEMM_KC / (MR * depth);
  if (cap < 1) cap = 1;
  long row_blocks = (count + cap - 1) / cap, per_block = (count + row_blocks - 1) / row_blocks;
  for (long p0 = 0; p0 < g->k; p0 += depth) {
    long kb = g->k - p0 < depth ? g->k - p0 : depth;
    // Later k blocks add to what the first wrote.
    float beta = p0 == 0 ? g->beta : 1;
    for (long t0 = tile_lo; t0 < tile_hi; t0 += per_block) {
      long t1 = t0 + per_block < tile_hi ? t0 + per_block : tile_hi;
      for (long q = panel_lo; q < panel_hi; q++) {
        long j0 = q * NR, cols = g->n - j0 < NR ? g->n - j0 : NR;
        const float *b = pack_b;
        long ldb = NR;
        if (!g->trans_b && (cols == NR || cols == L) && t1 - t0 < NNTOP_GEMM_PACKING_TILES) {
          b = g->b + p0 * g->ldb + j0, ldb = g->ldb;
        } else {
          const float *src = g->trans_b ? g->b + j0 * g->ldb + p0 : g->b + p0 * g->ldb + j0;
          pack_panel(g->trans_b, src, g->ldb, kb, cols, pack_b);
        }
        for (long t = t0; t < t1; t++) tile_panel(g, t, j0, cols, b, ldb, p0, kb, beta, scratch);
      }
    }
  }
}

/// c = alpha · sum + beta · c, c not read when beta is 0 (NaN-safe).
INLINE void store_scalar(float *c, float sum, float alpha, float beta) {
  *c = beta == 0 ? alpha * sum : alpha * sum + beta * *c;
}

/// c[0 ..< W·L] = alpha · Σₚ a[p · step] · b[p · ldb ..< p · ldb + W·L] + beta · c,
/// the sums in registers: 8 / W interleaved partial sums per vector (p taken
/// 8 / W at a time), so a single row (m = 1) still keeps both FMA pipes
/// busy rather than waiting on one chain of k additions. W is a constant at
/// every call.
INLINE void direct_row(long k, const float *a, long step, const float *b, long ldb, float *c,
                       float alpha, float beta, int W) {
  enum { PHASES_MAX = 8 };
  const int phases = PHASES_MAX / W;
  vf acc[PHASES_MAX][4];
#pragma clang loop unroll(full)
  for (int f = 0; f < PHASES_MAX; f++)
#pragma clang loop unroll(full)
    for (int w = 0; w < 4; w++) acc[f][w] = splat(0);
  long p = 0;
  for (; p + phases <= k; p += phases) {
#pragma clang loop unroll(full)
    for (int f = 0; f < phases; f++) {
      vf s = splat(a[(p + f) * step]);
#pragma clang loop unroll(full)
      for (int w = 0; w < W; w++) acc[f][w] = s * load(b + (p + f) * ldb + w * L) + acc[f][w];
    }
  }
  for (; p < k; p++) {
    vf s = splat(a[p * step]);
#pragma clang loop unroll(full)
    for (int w = 0; w < W; w++) acc[0][w] = s * load(b + p * ldb + w * L) + acc[0][w];
  }
#pragma clang loop unroll(full)
  for (int w = 0; w < W; w++) {
    vf total = acc[0][w];
#pragma clang loop unroll(full)
    for (int f = 1; f < phases; f++) total += acc[f][w];
    store_scaled(c + w * L, total, alpha, beta);
  }
}

/// Direct loops for products too small to block, every inner loop along a
/// contiguous row so it runs in vectors of this instruction set.
static void gemm_direct(int trans_a, int trans_b, long m, long n, long k, float alpha,
                        const float *a, long lda, const float *b, long ldb, float beta, float *c, long ldc) {
  if (trans_b && !trans_a && n < L) {
    // Fewer columns than a vector (∂J/∂W of a narrow input): C[i, j] =
    // A[i, :] · B[j, :], both rows contiguous, a vector along k at a time.
    for (long i = 0; i < m; i++) {
      const float *ai = a + i * lda;
      for (long j = 0; j < n; j++) {
        const float *bj = b + j * ldb;
        vf acc = splat(0);
        long p = 0;
        for (; p + L <= k; p += L) acc += load(ai + p) * load(bj + p);
        float sum = horizontal_sum(acc);
        for (; p < k; p++) sum += ai[p] * bj[p];
        store_scalar(c + i * ldc + j, sum, alpha, beta);
      }
    }
    return;
  }
  // A stored-transposed B is transposed first (n · k ≤ m · n · k, small
  // here), so op(B)'s rows are contiguous.
  float bt[NNTOP_DIRECT_LIMIT];
  if (trans_b && k > 0) {
    transpose(b, ldb, n, k, bt, n);
    b = bt;
    ldb = n;
  }
  // C[i, j0 ..< j0 + W·L] = alpha · Σₚ op(A)[i, p] · B[p, j0 ..< j0 + W·L] + beta · C,
  // four vectors wide (W = 4), then one (W = 1), then the last columns one by one.
  long wide = n / (4 * L) * (4 * L), whole = n / L * L;
  for (long i = 0; i < m; i++) {
    const float *ai = trans_a ? a + i : a + i * lda;
    long step = trans_a ? lda : 1;
    float *ci = c + i * ldc;
    for (long j0 = 0; j0 < wide; j0 += 4 * L) direct_row(k, ai, step, b + j0, ldb, ci + j0, alpha, beta, 4);
    for (long j0 = wide; j0 < whole; j0 += L) direct_row(k, ai, step, b + j0, ldb, ci + j0, alpha, beta, 1);
    for (long j = whole; j < n; j++) {
      float sum = 0;
      for (long p = 0; p < k; p++) sum += ai[p * step] * b[p * ldb + j];
      store_scalar(ci + j, sum, alpha, beta);
    }
  }
}
