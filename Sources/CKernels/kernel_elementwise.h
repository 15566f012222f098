// Part of kernel_body.h: compiled once per instruction set, inside its target region.

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

static void activate(int activation, float *z, long ld, const float *bias, long units, long batch) {
  // The rows inside each activation's case, so its constants stay in
  // registers from row to row (a 64 × 32 ReLU 0.21 → 0.13 µs here).
#define ROWS(EXPR)                   \
  for (long r = 0; r < units; r++) { \
    float *row = z + r * ld;         \
    float br = bias ? bias[r] : 0;   \
    MAP(row, batch, EXPR);           \
  }
  switch (activation) {
    case NNTOP_SIGMOID: ROWS(v_sigmoid(v + br)); break;
    case NNTOP_TANH: ROWS(v_tanh(v + br)); break;
    case NNTOP_RELU: ROWS(v_max0(v + br)); break;
    case NNTOP_LEAKY_RELU: ROWS(blend(v + br < splat(0), (v + br) * NNTOP_LEAKY_SLOPE, v + br)); break;
    default: if (bias) ROWS(v + br); break;
  }
#undef ROWS
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
    case NNTOP_RELU: ZIP_MAP(delta, act, count, blend(a <= splat(0), splat(0), d)); break;
    case NNTOP_LEAKY_RELU: ZIP_MAP(delta, act, count, blend(a < splat(0), d * NNTOP_LEAKY_SLOPE, d)); break;
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
      m = blend(v > m, v, m);
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

/// Σ of `count` floats: vector partial sums, then the tail one by one.
INLINE float row_sum(const float *p, long count) {
  vf acc = splat(0);
  long i = 0;
  for (; i + L <= count; i += L) acc += load(p + i);
  float s = horizontal_sum(acc);
  for (; i < count; i++) s += p[i];
  return s;
}

static void row_sums(const float *p, long rows, long cols, float alpha, float *out, int accumulate) {
  if (accumulate) {
    for (long r = 0; r < rows; r++) out[r] += alpha * row_sum(p + r * cols, cols);
  } else {
    for (long r = 0; r < rows; r++) out[r] = alpha * row_sum(p + r * cols, cols);
  }
}

INLINE vf column_cross_entropy(const float *z, const float *y, long units, long batch, long j, long lanes) {
  // −Σₖ yₖ (zₖ − max − log Σⱼ e^(zⱼ − max))
  vf m = load_lanes(z + j, lanes, 0);
  for (long k = 1; k < units; k++) {
    vf v = load_lanes(z + k * batch + j, lanes, 0);
    m = blend(v > m, v, m);
  }
  vf s = splat(0);
  for (long k = 0; k < units; k++) s += v_exp(load_lanes(z + k * batch + j, lanes, 0) - m);
  vf log_s = v_log(s), column = splat(0);
  for (long k = 0; k < units; k++)
    column -= load_lanes(y + k * batch + j, lanes, 0) * (load_lanes(z + k * batch + j, lanes, 0) - m - log_s);
  return column;
}

INLINE vf clamp_probability(vf a) { return clamp(a, 1e-7f, 1 - 1e-7f); }

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
