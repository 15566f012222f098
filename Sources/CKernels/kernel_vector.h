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
