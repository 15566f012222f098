import Foundation

/// What the legend calls each compared run: the shortest tail of its path
/// that tells it from the others (`healthy`, `a/log`, `runs/b`), without
/// `.jsonl` and without a run directory's `log.jsonl`.
enum RunNames {
  static func of(_ paths: [String]) -> [String] {
    let parts = paths.map { path -> [String] in
      var components = (path as NSString).standardizingPath.split(separator: "/").map(String.init)
      if components.last == "log.jsonl", components.count > 1 { components.removeLast() }
      if let last = components.last, last.hasSuffix(".jsonl") { components[components.count - 1] = String(last.dropLast(".jsonl".count)) }
      return components.isEmpty ? [path] : components
    }
    var names: [String] = parts.map { $0.last! }
    var depth = 1
    while Set(names).count < names.count, depth < parts.map(\.count).max()! {
      depth += 1
      names = parts.map { $0.suffix(depth).joined(separator: "/") }
    }
    // Still the same (one path named twice): numbered.
    return names.enumerated().map { i, name in names.firstIndex(of: name) == i ? name : "\(name) (\(i + 1))" }
  }
}
