/// The vector the kernels are written in, chosen when the package is built:
/// 16 lanes with AVX-512 (`NNTOP_AVX512`, set by Package.swift from the
/// build machine's CPU flags), else 8 (AVX2, or the portable fallback).
#if NNTOP_AVX512
  public typealias Vec = SIMD16<Float>
  typealias VecBits = SIMD16<UInt32>
  typealias VecInt = SIMD16<Int32>
  /// Rows of C per micro-kernel tile.
  let kernelRows = 8
#else
  public typealias Vec = SIMD8<Float>
  typealias VecBits = SIMD8<UInt32>
  typealias VecInt = SIMD8<Int32>
  let kernelRows = 6
#endif

/// Columns of C per micro-kernel tile: two vectors.
let kernelColumns = 2 * Vec.scalarCount

@inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> Vec {
  UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always)
func loadVector(_ p: UnsafeMutablePointer<Float>) -> Vec {
  UnsafeRawPointer(p).loadUnaligned(as: Vec.self)
}

@inline(__always)
func storeVector(_ v: Vec, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self)
}

/// Loads `count` (< a vector) floats, the other lanes set to `fill`.
@inline(__always)
func loadPartial(_ p: UnsafePointer<Float>, count: Int, fill: Float = 0) -> Vec {
  var v = Vec(repeating: fill)
  for l in 0..<count { v[l] = p[l] }
  return v
}

/// Stores the first `count` lanes.
@inline(__always)
func storePartial(_ v: Vec, _ p: UnsafeMutablePointer<Float>, count: Int) {
  for l in 0..<count { p[l] = v[l] }
}
