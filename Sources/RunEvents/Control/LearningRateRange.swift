/// The values η can take: positive 32-bit floats that are normal (the
/// engine trains in fp32 with subnormal numbers flushed to zero). One
/// definition for the `--lr` flags, the dashboard's η editor and the keys
/// that scale η.
public enum LearningRateRange {
  /// 1.2e-38, the smallest normal Float.
  public static let smallest = Double(Float.leastNormalMagnitude)
  /// 3.4e38, the largest finite Float.
  public static let largest = Double(Float.greatestFiniteMagnitude)

  /// Why `value`, typed as `text`, cannot be η (`name` says what it is
  /// called where it was typed), or nil when it can.
  public static func problem(_ value: Double, text: String, name: String = "η") -> String? {
    if value.isNaN || value <= 0 { return "\(name) must be a positive number, got \(text)" }
    if value > largest { return "\(name) \(text) is beyond the largest 32-bit float, 3.4e38" }
    if value < smallest { return "\(name) \(text) is below the smallest 32-bit float, 1.2e-38" }
    return nil
  }
}
