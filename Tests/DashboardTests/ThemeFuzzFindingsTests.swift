import Testing

@testable import Dashboard

/// Theme files the fuzzer found aborting nntop inside the C++ TOML parser
/// it used (asserts on non-ASCII bare keys, on unclosed nested arrays): now
/// read by nntop's own `ThemeTOML`, each a ThemeError naming its line.
struct ThemeFuzzFindingsTests {
  @Test(arguments: [
    ("[é]\n", 1), ("name = \"x\"\n[\u{9d}]\n", 2), ("café = 1\n", 1),
    ("a = [[[} }\n\"\\ublue00e9\" = \"\"\"\nmulti\n\"\"\"\n", 1),
  ])
  func malformedThemesAreErrorsNotAborts(_ text: String, line: Int) {
    #expect { _ = try Theme.parse(toml: text, file: "bad.toml") } throws: {
      guard let e = $0 as? ThemeError else { return false }
      return e.line == line && e.description.contains("not valid TOML")
    }
  }
}
