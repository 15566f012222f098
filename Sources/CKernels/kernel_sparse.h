// Part of kernel_body.h: compiled once per instruction set, inside its target region.

// ---- products whose A is mostly zeros -----------------------------------------
//
// ReLU's ∂J/∂Z is exactly zero wherever a unit was off for an example — about
// half of it in a ReLU network — and ∂J/∂W = ∂J/∂Z · Aᵀ multiplies every
// one of those zeros in the blocked product. Here A's rows are first listed
// (the columns of each row's nonzeros), then C's rows are summed over their
// lists only, SW vectors of C a row in registers, SR rows side by side (each
// its own chain of FMAs), against a chunk of op(B) packed (k, SW · L). Every
// element of C is the blocked product's sum in the same order with the zero
// terms left out, and a zero term adds nothing (the sum never holds −0), so
// C is the same to the bit. Except where B holds an infinity or NaN facing
// a zero of A: the blocked product makes that NaN, this leaves it out.

#define SW NNTOP_SPARSE_VECTORS
#define SR NNTOP_SPARSE_ROWS
/// Columns of a chunk of op(B), the packed buffer's row stride.
#define SC (SW * L)

/// Entry m: the bits set in m (4 bits), lowest first, one a byte.
static const unsigned set_bits4[16] = {
    0x00000000, 0x00000000, 0x00000001, 0x00000100, 0x00000002, 0x00000200, 0x00000201, 0x00020100,
    0x00000003, 0x00000300, 0x00000301, 0x00030100, 0x00000302, 0x00030200, 0x00030201, 0x03020100,
};

typedef int v4i __attribute__((vector_size(16)));
typedef unsigned char v4b __attribute__((vector_size(4)));

/// Writes at out the columns p, p + 1, … of the bits set in m (4 bits),
/// four ints whatever their number; returns their number.
INLINE long list_four(unsigned m, long p, int *out) {
  unsigned e = set_bits4[m];
  v4b bytes;
  __builtin_memcpy(&bytes, &e, sizeof bytes);
  v4i columns = __builtin_convertvector(bytes, v4i) + (int)p;
  __builtin_memcpy(out, &columns, sizeof columns);
  return __builtin_popcount(m);
}

/// Lists the columns of the nonzeros of each of A's `rows` rows (row
/// stride lda, k columns): row r's `count[r]` columns at list + r · stride
/// (stride ≥ k; a vector's worth is written at a time, never past the
/// row's k). A vector of A at a time: its mask of nonzeros, then AVX-512's
/// compress, or four columns at a time from a table. Returns their total.
static long list_nonzeros(const float *a, long lda, long rows, long k, int *count, int *list, long stride) {
  long total = 0;
  for (long r = 0; r < rows; r++) {
    const float *ar = a + r * lda;
    int *out = list + r * stride;
    long n = 0, p = 0;
#if defined(__x86_64__) && L == 16
    __m512i columns = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (; p + 16 <= k; p += 16) {
      __mmask16 m = _mm512_cmp_ps_mask(_mm512_loadu_ps(ar + p), _mm512_setzero_ps(), _CMP_NEQ_UQ);
      _mm512_storeu_si512(out + n, _mm512_maskz_compress_epi32(m, columns));
      columns = _mm512_add_epi32(columns, _mm512_set1_epi32(16));
      n += __builtin_popcount(m);
    }
#elif defined(__x86_64__) && L == 8
    for (; p + 8 <= k; p += 8) {
      unsigned m = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(ar + p), _mm256_setzero_ps(), _CMP_NEQ_UQ));
      n += list_four(m & 15, p, out + n);
      n += list_four(m >> 4, p + 4, out + n);
    }
#endif
    for (; p + 4 <= k; p += 4)
      n += list_four((ar[p] != 0) | (ar[p + 1] != 0) << 1 | (ar[p + 2] != 0) << 2 | (ar[p + 3] != 0) << 3, p, out + n);
    for (; p < k; p++) {
      out[n] = (int)p;
      n += ar[p] != 0;
    }
    count[r] = (int)n;
    total += n;
  }
  return total;
}

/// op(B)'s k × cols chunk into dst(k, SC), zeros past cols up to a whole vector.
INLINE void pack_chunk(int trans_b, const float *b, long ldb, long k, long cols, float *dst) {
  if (trans_b) {
    transpose(b, ldb, cols, k, dst, SC);
  } else {
    for (long p = 0; p < k; p++) __builtin_memcpy(dst + p * SC, b + p * ldb, cols * sizeof(float));
  }
  long width = (cols + L - 1) / L * L;
  for (long p = 0; p < k; p++)
    for (long j = cols; j < width; j++) dst[p * SC + j] = 0;
}

/// `rows` rows (R, a constant: SR or 1) of C's chunk: V vectors (a
/// constant) from `c`, of which `cols` columns are C's. Row r sums over its
/// list (`count[r]` columns at list + r · stride) the products of its value
/// in A (row stride lda) and the chunk's row (`chunk`, (k, SC)): the R rows
/// side by side up to the shortest list, then each alone. Vectors whose
/// columns lie before `exact_to` are stored as the blocked product stores a
/// whole panel's; the others as it stores a partial panel (alpha · sum
/// rounded, then beta · C added), so the two agree to the bit.
INLINE void sweep(const int *count, const int *list, long stride, const float *a, long lda, const float *chunk,
                  float *c, long ldc, float alpha, float beta, long cols, long exact_to, float *scratch, int V, int R) {
  vf acc[SR][SW];
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++)
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) acc[r][v] = splat(0);
  int shortest = count[0];
#pragma clang loop unroll(full)
  for (int r = 1; r < R; r++) shortest = count[r] < shortest ? count[r] : shortest;
  for (int t = 0; t < shortest; t++) {
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
      int p = list[r * stride + t];
      vf s = splat(a[r * lda + p]);
      const float *b = chunk + (long)p * SC;
#pragma clang loop unroll(full)
      for (int v = 0; v < V; v++) acc[r][v] = s * load(b + v * L) + acc[r][v];
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++) {
    for (int t = shortest; t < count[r]; t++) {
      int p = list[r * stride + t];
      vf s = splat(a[r * lda + p]);
      const float *b = chunk + (long)p * SC;
#pragma clang loop unroll(full)
      for (int v = 0; v < V; v++) acc[r][v] = s * load(b + v * L) + acc[r][v];
    }
#pragma clang loop unroll(full)
    for (int v = 0; v < V; v++) {
      float *cv = c + r * ldc + v * L;
      long lanes = cols - v * L < L ? cols - v * L : L;
      if (v * L + L <= exact_to) {
        store_scaled(cv, acc[r][v], alpha, beta);
      } else {
        store_scaled(scratch, acc[r][v], alpha, 0);
        for (long j = 0; j < lanes; j++) cv[j] = beta == 0 ? scratch[j] : scratch[j] + beta * cv[j];
      }
    }
  }
}

/// `sweep` with its row count and vector count as constants, one loop each.
INLINE void sweep_rows(const int *count, const int *list, long stride, const float *a, long lda, const float *chunk,
                       float *c, long ldc, float alpha, float beta, long cols, long exact_to, float *scratch, int R) {
  switch ((cols + L - 1) / L) {
#define VECTORS_CASE(V) \
  case V: sweep(count, list, stride, a, lda, chunk, c, ldc, alpha, beta, cols, exact_to, scratch, V, R); break;
    VECTORS_CASE(1)
#if SW > 2
    VECTORS_CASE(2)
#endif
#if SW > 3
    VECTORS_CASE(3)
#endif
#if SW > 4
    VECTORS_CASE(4) VECTORS_CASE(5)
#endif
#undef VECTORS_CASE
    default: sweep(count, list, stride, a, lda, chunk, c, ldc, alpha, beta, cols, exact_to, scratch, SW, R); break;
  }
}

/// The rows of row tiles [tile_lo, tile_hi) × the columns of panels
/// [panel_lo, panel_hi) of a product with A read as stored and k ≤ KC,
/// skipping A's zeros when at most NNTOP_SPARSE_DENSITY of that part of A is
/// nonzero, else `gemm_blocks`. `lists`: room for rows · (k + 1) ints.
static void gemm_sparse_a(const nntop_gemm *g, long tile_lo, long tile_hi, long panel_lo, long panel_hi,
                          float *pack_b, float *scratch, int *lists) {
  long i0 = tile_lo * MR, i1 = tile_hi * MR < g->m ? tile_hi * MR : g->m, rows = i1 - i0, k = g->k;
  if (rows <= 0 || panel_hi <= panel_lo) return;
  long stride = k;
  int *count = lists, *list = lists + rows;
  const float *a = g->a + i0 * g->lda;
  long nonzeros = list_nonzeros(a, g->lda, rows, k, count, list, stride);
  if (nonzeros > NNTOP_SPARSE_DENSITY * rows * k) {
    gemm_blocks(g, tile_lo, tile_hi, panel_lo, panel_hi, pack_b, scratch);
    return;
  }
  // The blocked product stores its last panel through scratch unless it is
  // one or two vectors wide.
  long tail = g->n % NR, exact_to = tail == 0 || tail == L ? g->n : g->n - tail;
  long j_begin = panel_lo * NR, j_end = panel_hi * NR < g->n ? panel_hi * NR : g->n;
  // Chunks as even as whole vectors allow (64 columns with 8 lanes: two of
  // four vectors, not six and two).
  long vectors = (j_end - j_begin + L - 1) / L, chunks = (vectors + SW - 1) / SW;
  for (long q = 0; q < chunks; q++) {
    long j0 = j_begin + q * vectors / chunks * L, j1 = j_begin + (q + 1) * vectors / chunks * L;
    long cols = (j1 < j_end ? j1 : j_end) - j0;
    const float *b = g->trans_b ? g->b + j0 * g->ldb : g->b + j0;
    pack_chunk(g->trans_b, b, g->ldb, k, cols, pack_b);
    long r = 0;
    for (; r + SR <= rows; r += SR)
      sweep_rows(count + r, list + r * stride, stride, a + r * g->lda, g->lda, pack_b, g->c + (i0 + r) * g->ldc + j0,
                 g->ldc, g->alpha, g->beta, cols, exact_to - j0, scratch, SR);
    for (; r < rows; r++)
      sweep_rows(count + r, list + r * stride, stride, a + r * g->lda, g->lda, pack_b, g->c + (i0 + r) * g->ldc + j0,
                 g->ldc, g->alpha, g->beta, cols, exact_to - j0, scratch, 1);
  }
}

#undef SW
#undef SR
#undef SC
