/// The themes compiled into nntop (from `themes/*.toml`).
public enum BuiltinThemes {
  /// The default theme's file, which every other theme inherits from.
  public static var defaultTOML: String { builtinThemeFiles[0].toml }

  /// Every built-in theme, parsed; a broken built-in file is a build defect, caught by the tests.
  public static let all: [Theme] = builtinThemeFiles.enumerated().map { i, entry in
    do {
      return try Theme.parse(toml: entry.toml, file: "themes/\(entry.name).toml", inheriting: i == 0 ? nil : defaultTOML)
    } catch {
      preconditionFailure("built-in theme \(entry.name) does not parse: \(error)")
    }
  }

  public static var names: [String] { builtinThemeFiles.map(\.name) }

  public static func named(_ name: String) -> Theme? { all.first { $0.name == name } }

  public static var standard: Theme { all[0] }
  public static var mono: Theme { named("mono")! }
}
