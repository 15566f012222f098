import ArgumentParser

/// A number flag as it was typed: the text, for messages (`--lr 1e308`
/// is named as typed, not as the `inf` a Float makes of it), and its value.
struct TypedNumber: ExpressibleByArgument, Sendable, CustomStringConvertible {
  let text: String
  let value: Double

  init?(argument: String) {
    guard let value = Double(argument) else { return nil }
    text = argument
    self.value = value
  }

  var description: String { text }

  /// The value as a Float, once `float(_:)` (or a range check) has passed.
  var floatValue: Float { Float(value) }

  /// The value as a 32-bit float, or why it has none: beyond ±3.4e38, or
  /// a non-zero number too small to be a normal one.
  func float(_ flag: String) throws -> Float {
    if value.isFinite && abs(value) > Double(Float.greatestFiniteMagnitude) {
      throw ValidationError("\(flag) \(text) is beyond the largest 32-bit float, 3.4e38")
    }
    if value != 0 && abs(value) < Double(Float.leastNormalMagnitude) {
      throw ValidationError("\(flag) \(text) is below the smallest 32-bit float, 1.2e-38")
    }
    return Float(value)
  }
}
