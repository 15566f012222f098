/// A dense fp32 matrix stored row-major, with its shape checked on every
/// operation that combines two matrices.
///
/// The engine keeps one column per example: activations are `(features, batch)`
/// and weights `(out, in)`, as in the reference.
public struct Matrix: Sendable, Equatable {
  public let rows: Int
  public let cols: Int
  /// Row-major elements: `storage[r * cols + c]`.
  public var storage: [Float]

  /// A `rows × cols` matrix filled with `value`.
  public init(rows: Int, cols: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && cols >= 0, "negative matrix shape (\(rows), \(cols))")
    self.rows = rows
    self.cols = cols
    storage = Array(repeating: value, count: rows * cols)
  }

  /// A `rows × cols` matrix over row-major `storage`.
  public init(rows: Int, cols: Int, storage: [Float]) {
    precondition(
      rows >= 0 && cols >= 0 && storage.count == rows * cols,
      "matrix (\(rows), \(cols)) needs \(rows * cols) elements, got \(storage.count)")
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  /// A matrix from its rows; every row must have the same length.
  public init(_ rowValues: [[Float]]) {
    let cols = rowValues.first?.count ?? 0
    precondition(rowValues.allSatisfy { $0.count == cols }, "ragged rows in Matrix literal")
    self.init(rows: rowValues.count, cols: cols, storage: rowValues.flatMap { $0 })
  }

  /// A column vector `(count, 1)`.
  public init(column: [Float]) {
    self.init(rows: column.count, cols: 1, storage: column)
  }

  public var count: Int { storage.count }
  public var shape: (rows: Int, cols: Int) { (rows, cols) }

  public subscript(row: Int, col: Int) -> Float {
    get {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "index (\(row), \(col)) outside (\(rows), \(cols))")
      return storage[row * cols + col]
    }
    set {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "index (\(row), \(col)) outside (\(rows), \(cols))")
      storage[row * cols + col] = newValue
    }
  }

  /// The elements of one row.
  public func row(_ r: Int) -> ArraySlice<Float> {
    precondition(r >= 0 && r < rows, "row \(r) outside \(rows) rows")
    return storage[(r * cols)..<((r + 1) * cols)]
  }

  /// The elements of one column.
  public func column(_ c: Int) -> [Float] {
    precondition(c >= 0 && c < cols, "column \(c) outside \(cols) columns")
    return (0..<rows).map { storage[$0 * cols + c] }
  }

  public var transposed: Matrix {
    var t = Matrix(rows: cols, cols: rows)
    for r in 0..<rows {
      for c in 0..<cols { t.storage[c * rows + r] = storage[r * cols + c] }
    }
    return t
  }

  /// The Frobenius norm, accumulated in Double.
  public var frobeniusNorm: Double {
    storage.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
  }

  /// The matrix product `self · other`, through the engine's GEMM.
  public func matmul(_ other: Matrix) -> Matrix {
    precondition(cols == other.rows, "matmul shapes (\(rows), \(cols)) · (\(other.rows), \(other.cols))")
    var c = Matrix(rows: rows, cols: other.cols)
    guard rows > 0, other.cols > 0, cols > 0 else { return c }
    storage.withUnsafeBufferPointer { a in
      other.storage.withUnsafeBufferPointer { b in
        c.storage.withUnsafeMutableBufferPointer { out in
          gemm(
            .none, .none, m: rows, n: other.cols, k: cols, alpha: 1,
            a: a.baseAddress!, lda: cols, b: b.baseAddress!, ldb: other.cols,
            beta: 0, c: out.baseAddress!, ldc: other.cols)
        }
      }
    }
    return c
  }
}

extension Matrix: CustomStringConvertible {
  public var description: String {
    let body = (0..<rows).map { r in row(r).map { "\($0)" }.joined(separator: ", ") }
    return "Matrix(\(rows)×\(cols)) [" + body.map { "[\($0)]" }.joined(separator: ", ") + "]"
  }
}
