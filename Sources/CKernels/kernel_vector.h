// Part of kernel_body.h: compiled once per instruction set, inside its target region.

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
INLINE vf blend(vi m, vf a, vf b) { return (vf)(((vi)a & m) | ((vi)b & ~m)); }

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
/// Σ of the lanes, as a tree (halves added, then their halves): log₂ L
/// dependent additions, not L.
INLINE float horizontal_sum(vf v) {
  float x[L];
  __builtin_memcpy(x, &v, sizeof v);
#pragma clang loop unroll(full)
  for (int w = L / 2; w > 0; w /= 2)
#pragma clang loop unroll(full)
    for (int l = 0; l < w; l++) x[l] += x[l + w];
  return x[0];
}

// ---- vector maths: exp, log, tanh, sigmoid, a few ulp -----------------------

/// a > b ? a : b and a < b ? a : b lane by lane: b where either is NaN, as
/// x86's max and min instructions are (one instruction each, where a
/// compare and a select were three).
#if defined(__x86_64__) && NNTOP_LANES == 16
#define X86_MIN_MAX(op, a, b) __builtin_ia32_##op##ps512(a, b, 4 /* the current rounding */)
#elif defined(__x86_64__) && NNTOP_LANES == 8
#define X86_MIN_MAX(op, a, b) __builtin_ia32_##op##ps256(a, b)
#elif defined(__x86_64__)
#define X86_MIN_MAX(op, a, b) __builtin_ia32_##op##ps(a, b)
#endif
#ifdef X86_MIN_MAX
INLINE vf max_else(vf a, vf b) { return X86_MIN_MAX(max, a, b); }
INLINE vf min_else(vf a, vf b) { return X86_MIN_MAX(min, a, b); }
#else
INLINE vf max_else(vf a, vf b) { return blend(a > b, a, b); }
INLINE vf min_else(vf a, vf b) { return blend(a < b, a, b); }
#endif

/// x limited to [lo, hi] lane by lane (NaN stays NaN).
INLINE vf clamp(vf x, float lo, float hi) { return min_else(splat(hi), max_else(splat(lo), x)); }

/// Adding then subtracting 1.5 · 2²³ rounds to an integer (|x| < 2²²).
#define MAGIC 12582912.0f

/// n = round(x / ln 2) and r = x − n · ln 2 (|r| ≤ ln2/2, ln 2 in two parts), |x| < 2²²·ln 2.
#define EXP_REDUCE(x, n, r)                                          \
  vf n = ((x) * 1.44269504f + splat(MAGIC)) - splat(MAGIC);         \
  vf r = ((x) - n * 0.693359375f) - n * -2.1219444e-4f

/// e^r − 1 on |r| ≤ ln2/2 by its Taylor series to r⁷ (error < 1e-8 relative to r).
INLINE vf expm1_reduced(vf r) {
  vf p = splat(1.0f / 5040);
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  return (p * r) * r + r;
}

/// 2ⁿ for an integral n ∈ [−126, 127] held as a float, from the exponent bits.
INLINE vf pow2(vf n) { return (vf)(((vi)(n + splat(MAGIC)) - (vi)splat(MAGIC) + 127) << 23); }

/// e^x; inputs clamped to where e^x is finite and normal, so never NaN for finite x.
INLINE vf v_exp(vf x) {
  vf xc = clamp(x, -87.3f, 88.7f);
  EXP_REDUCE(xc, n, r);
  // 2ⁿ for n ∈ [−126, 128] in two halves, so both are normal.
  vf half = (n * 0.5f + splat(MAGIC)) - splat(MAGIC);
  return (1.0f + expm1_reduced(r)) * pow2(half) * pow2(n - half);
}

/// The natural log: exponent and mantissa from the bits, log m = 2·atanh((m−1)/(m+1))
/// on m ∈ [√½, √2). 0 gives −∞, negatives NaN.
INLINE vf v_log(vf x) {
  vi bits = (vi)x;
  vi e = (bits >> 23) - 127;
  vf m = (vf)((bits & 0x007FFFFF) | 0x3F800000);  // [1, 2)
  vi big = m > splat(1.41421356f);
  m = blend(big, m * 0.5f, m);
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
  result = blend(x == splat(0), splat(-__builtin_inff()), result);
  return blend(x < splat(0), splat(__builtin_nanf("")), result);
}

/// tanh x = −m / (2 + m) with the sign of x, m = e^(−2|x|) − 1 ∈ (−1, 0]:
/// no cancellation near 0, as m comes from e^r − 1 directly. |x| past 10
/// gives ±1 (tanh 10 rounds to 1 in fp32).
INLINE vf v_tanh(vf x) {
  vu bits = (vu)x;
  vf y = max_else(splat(-20), -2.0f * (vf)(bits & 0x7FFFFFFFu));
  EXP_REDUCE(y, n, r);
  vf scale = pow2(n);
  vf m = scale * expm1_reduced(r) + (scale - 1.0f);
  vf t = -m / (2.0f + m);
  return (vf)((vu)t | (bits & 0x80000000u));
}

/// 1 / (1 + e⁻ˣ), x clamped to ±87, where σ is 1 or a normal fp32 number.
/// e⁻ˣ = 2ⁿ · e⁻ᵘ with n = round(−x / ln 2) and u = x + n · ln 2 (|u| ≤
/// ln2/2); e⁻ᵘ = 1 − u + u² · P(u), P of degree 4 fitted to relative error
/// 4e-9 on that range (Taylor's series to u⁶ leaves 1.6e-7), evaluated in
/// pairs (Estrin's order) so its longest chain is three steps, not six; 2ⁿ
/// from the bits of the rounding sum that gives n. Worst error 3.8 ulp on
/// [−80, 100]; the 64 × 32 sigmoid of `deep` 0.99 → 0.75 µs (AVX2) and
/// 0.59 → 0.53 µs (AVX-512) on the Zen 4, against Taylor's to r⁷ by Horner.
INLINE vf v_sigmoid(vf x) {
  vf xc = clamp(x, -87, 87);
  vf t = xc * -1.44269504f + splat(MAGIC);
  vf n = t - splat(MAGIC);
  vf u = (xc + n * 0.693359375f) + n * -2.1219444e-4f;
  vf scale = (vf)(((vi)t - ((vi)splat(MAGIC) - 127)) << 23);
  vf u2 = u * u;
  vf p01 = 1.0f - u, p23 = u * -0.166665182f + 0.499999881f, p456 = u2 * 0.00137514074f + (u * -0.00836891588f + 0.0416695327f);
  vf e = p456 * (u2 * u2) + (p23 * u2 + p01);
  return 1.0f / (scale * e + 1.0f);
}

/// log(1 + e^(−|x|)): the softplus tail of stable sigmoid cross-entropies.
INLINE vf v_log1p_exp_negative_abs(vf x) {
  vf ax = (vf)((vu)x & 0x7FFFFFFFu);
  return v_log(1.0f + v_exp(-ax));
}

INLINE vf v_max0(vf x) { return max_else(splat(0), x); }
