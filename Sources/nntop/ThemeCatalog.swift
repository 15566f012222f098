import Dashboard
import Foundation

/// The themes a run can use: the built-in ones, then the user's TOML files
/// from `$XDG_CONFIG_HOME/nntop/themes/` (default `~/.config/nntop/themes/`).
struct ThemeCatalog {
  struct Entry {
    var theme: Theme?
    var name: String
    var source: String
    var error: ThemeError?
  }

  var entries: [Entry]

  static func userDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/nntop/themes" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/nntop/themes"
  }

  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    entries = BuiltinThemes.all.map { Entry(theme: $0, name: $0.name, source: "built in") }
    let directory = Self.userDirectory(environment: environment)
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".toml") }.sorted() ?? []
    for file in files {
      let path = directory + "/" + file
      do {
        let theme = try Self.load(path)
        entries.append(Entry(theme: theme, name: theme.name, source: path))
      } catch {
        entries.append(Entry(theme: nil, name: String(file.dropLast(5)), source: path, error: error))
      }
    }
  }

  /// Reads and parses one theme file.
  static func load(_ path: String) throws(ThemeError) -> Theme {
    guard FileManager.default.fileExists(atPath: path) else { throw ThemeError(file: path, line: nil, message: "no such file", unreadable: true) }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ThemeError(file: path, line: nil, message: "cannot be read", unreadable: true)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ThemeError(file: path, line: nil, message: "is not UTF-8 text")
    }
    return try Theme.parse(toml: text, file: path, inheriting: BuiltinThemes.defaultTOML)
  }

  /// The themes `t` cycles through, and which to start with: `--theme`
  /// (a name or a file), else mono under NO_COLOR, else the default.
  func selection(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (themes: [Theme], index: Int) {
    var themes = entries.compactMap(\.theme)
    if let option {
      if let i = themes.firstIndex(where: { $0.name == option }) { return (themes, i) }
      // A user theme by its file's name (`ocean` or `ocean.toml`): the one `t` cycles through, or why it does not parse.
      let stem = option.hasSuffix(".toml") ? String(option.dropLast(5)) : option
      if !option.contains("/"), !FileManager.default.fileExists(atPath: option), let entry = entries.first(where: { $0.source.hasSuffix("/" + stem + ".toml") }) {
        if let error = entry.error { throw error }
        if let theme = entry.theme, let i = themes.firstIndex(of: theme) { return (themes, i) }
      }
      if option.contains("/") || option.hasSuffix(".toml") || FileManager.default.fileExists(atPath: option) {
        let theme = try Self.load(option)
        if let i = themes.firstIndex(of: theme) { return (themes, i) }
        themes.append(theme)
        return (themes, themes.count - 1)
      }
      throw RunFailure(message: "no theme \"\(option)\"; the themes are \(themes.map(\.name).joined(separator: ", ")) (or give a .toml file)", code: 64)
    }
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty, let i = themes.firstIndex(where: { $0.name == "mono" }) {
      return (themes, i)
    }
    return (themes, 0)
  }
}
