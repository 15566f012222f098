import ArgumentParser
import Dashboard
import Foundation

/// `nntop themes`: the built-in and user themes, and any that do not parse.
struct Themes: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the built-in and user themes.")

  func run() throws {
    let catalog = ThemeCatalog()
    print("Themes (use --theme NAME|FILE; t cycles them in the dashboard; NO_COLOR selects mono):")
    for entry in catalog.entries {
      if let theme = entry.theme {
        print("  \(pad(theme.name, to: 16)) \(pad(theme.description, to: 34)) \(entry.source)")
      } else if let error = entry.error {
        print("  \(pad(entry.name, to: 16)) broken: \(error.description)")
      }
    }
    print("User themes are read from \(ThemeCatalog.userDirectory())/*.toml")
  }
}
