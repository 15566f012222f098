import Foundation

// Every number nntop shows a person — headless lines, summaries, the
// dashboard, the SVG report — is formatted here, once.

/// η and similar rates, short: `0.1`, `0.0025`, `3.2e-05`.
public func shortNumber(_ v: Float) -> String {
  let d = Double(v)
  if d != 0 && (abs(d) < 1e-3 || abs(d) >= 1e5) { return String(format: "%.2g", d) }
  var s = String(format: "%.4g", d)
  if s.contains("e") { s = String(format: "%.2g", d) }
  return s
}

/// A loss or error for people: 4 decimals, or scientific when smaller than
/// 0.001 or from a million up.
public func lossText(_ v: Double) -> String {
  guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
  return v != 0 && (abs(v) < 1e-3 || abs(v) >= 1e6) ? String(format: "%.2e", v) : String(format: "%.4f", v)
}

/// `1.2e-07`-style formatting for norms and ratios.
public func scientific(_ v: Double, digits: Int = 1) -> String {
  guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
  return String(format: "%.\(digits)e", v)
}

/// `3.14` for `fixed(π, 2)`: a fixed number of decimals; from a million up,
/// scientific (`2.50e+07`), never thirty digits.
public func fixed(_ v: Double, _ decimals: Int) -> String {
  abs(v) >= 1e6 && v.isFinite ? String(format: "%.\(max(decimals, 1))e", v) : String(format: "%.\(max(decimals, 0))f", v)
}

/// `0.000123`, `1.5e+07`: `digits` significant digits, the shorter notation (C's `%g`).
public func general(_ v: Double, digits: Int = 6) -> String { String(format: "%.\(max(digits, 1))g", v) }

/// `1.5 GB`, `320 MB`: sizes of memory.
public func byteSize(_ bytes: Double) -> String {
  bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
}

/// `97%`: shares of units in verdicts.
public func wholePercent(_ v: Double) -> String { String(format: "%.0f%%", 100 * v) }

/// ` 97.5%`, or `    -` for none: the headless epoch line's columns.
public func percentColumn(_ v: Double?) -> String {
  guard let v else { return "    -" }
  return String(format: "%5.1f%%", 100 * v)
}

/// Number formats for axes and panels.
public enum ChartFormat {
  /// 3 significant digits, scientific outside 1e-3 ..< 1e5: `0.123`, `45.6`, `1.2e-05`.
  public static func compact(_ v: Double) -> String {
    guard v.isFinite else { return v.isNaN ? "NaN" : "inf" }
    if v == 0 { return "0" }
    let a = abs(v)
    if a < 1e-3 || a >= 1e5 { return String(format: "%.1e", v) }
    if a >= 100 { return String(format: "%.0f", v) }
    if a >= 10 { return String(format: "%.1f", v) }
    if a >= 1 { return String(format: "%.2f", v) }
    return String(format: "%.3f", v)
  }

  /// Counts: `950`, `1k`, `12k`, `2.5k`, `4.5M` (no `.0`).
  public static func count(_ v: Double) -> String {
    let a = abs(v)
    let text: String
    if a >= 1e9 {
      text = String(format: "%.1fG", v / 1e9)
    } else if a >= 1e6 {
      text = String(format: "%.1fM", v / 1e6)
    } else if a >= 1e4 {
      text = String(format: "%.0fk", v / 1e3)
    } else if a >= 1e3 {
      text = String(format: "%.1fk", v / 1e3)
    } else {
      text = String(format: "%.0f", v)
    }
    return text.replacingOccurrences(of: #"\.0(?=[kMG]$)"#, with: "", options: .regularExpression)
  }

  /// Percentages: `97.2%`.
  public static func percent(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }

  /// Durations: `00:01:23`.
  public static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded(.down))
    return String(format: "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
  }
}

/// `1 feature`, `2 features`, `1,797 examples`: a count and its noun, singular for one.
public func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
  "\(n.grouped) \(n == 1 ? noun : plural ?? noun + "s")"
}

extension Int {
  /// `1797` → `1,797`.
  public var grouped: String {
    let digits = String(abs(self))
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return self < 0 ? "-" + out : out
  }
}
