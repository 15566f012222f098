/// How much of a split a part takes.
public enum Constraint: Sendable, Equatable {
  /// Exactly n cells.
  case length(Int)
  /// A percentage of the whole.
  case percentage(Int)
  /// At least n cells, more if there is room left.
  case min(Int)
  /// An equal share of what remains.
  case fill
}

/// Splits a rectangle along one axis by constraints (ratatui's `Layout`).
public enum Layout {
  public enum Direction: Sendable { case horizontal, vertical }

  /// The parts, in order, covering `rect` without overlap. Fixed sizes are
  /// honoured first (shrunk if they do not fit); `min` and `fill` share the rest.
  public static func split(_ rect: Rect, _ direction: Direction, _ constraints: [Constraint]) -> [Rect] {
    let total = direction == .horizontal ? rect.width : rect.height
    var sizes = constraints.map { c -> Int in
      switch c {
      case .length(let n): return Swift.max(n, 0)
      case .percentage(let p): return total * Swift.max(Swift.min(p, 100), 0) / 100
      case .min(let n): return Swift.max(n, 0)
      case .fill: return 0
      }
    }
    var used = sizes.reduce(0, +)
    // Too much: shrink from the last part backwards.
    var i = sizes.count - 1
    while used > total && i >= 0 {
      let cut = Swift.min(sizes[i], used - total)
      sizes[i] -= cut
      used -= cut
      i -= 1
    }
    // Room left: to fill parts, else to min parts, else to the last part.
    var room = total - used
    let fills = constraints.indices.filter { constraints[$0] == .fill }
    let growers = fills.isEmpty ? constraints.indices.filter { if case .min = constraints[$0] { return true } else { return false } } : fills
    if room > 0 && !growers.isEmpty {
      for (k, index) in growers.enumerated() {
        let share = room / (growers.count - k)
        sizes[index] += share
        room -= share
      }
    } else if room > 0, !sizes.isEmpty {
      sizes[sizes.count - 1] += room
    }
    var offset = direction == .horizontal ? rect.x : rect.y
    return sizes.map { size in
      defer { offset += size }
      return direction == .horizontal
        ? Rect(x: offset, y: rect.y, width: size, height: rect.height)
        : Rect(x: rect.x, y: offset, width: rect.width, height: size)
    }
  }
}
