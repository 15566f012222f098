/// A rectangle of cells: origin at the top-left, sizes never negative.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }

  public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

  public var isEmpty: Bool { width == 0 || height == 0 }
  public var area: Int { width * height }
  public var right: Int { x + width }
  public var bottom: Int { y + height }
  public var description: String { "Rect(\(x), \(y), \(width)×\(height))" }

  /// The rectangle shrunk by `margin` on every side.
  public func inset(_ margin: Int) -> Rect {
    Rect(x: x + margin, y: y + margin, width: width - 2 * margin, height: height - 2 * margin)
  }

  /// The part of this rectangle inside `other`.
  public func intersection(_ other: Rect) -> Rect {
    let x0 = max(x, other.x), y0 = max(y, other.y)
    let x1 = min(right, other.right), y1 = min(bottom, other.bottom)
    return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
  }

  public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < right && py >= y && py < bottom }

  /// A rectangle of at most `w × h` centred in this one.
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = min(w, width), ch = min(h, height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }

  /// The first `n` rows, and the rest.
  public func splitTop(_ n: Int) -> (Rect, Rect) {
    let k = min(max(n, 0), height)
    return (Rect(x: x, y: y, width: width, height: k), Rect(x: x, y: y + k, width: width, height: height - k))
  }

  /// The first `n` columns, and the rest.
  public func splitLeft(_ n: Int) -> (Rect, Rect) {
    let k = min(max(n, 0), width)
    return (Rect(x: x, y: y, width: k, height: height), Rect(x: x + k, y: y, width: width - k, height: height))
  }
}
