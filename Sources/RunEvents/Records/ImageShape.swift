/// The shape of image-like inputs (digits 8×8, MNIST 28×28).
public struct ImageShape: Sendable, Equatable {
  public var rows: Int
  public var cols: Int
  public init(rows: Int, cols: Int) {
    self.rows = rows
    self.cols = cols
  }
}
