import Testing

@testable import Dashboard

/// Theme files the fuzzer found aborting nntop inside toml++ (an assert on
/// non-ASCII bare keys): now a ThemeError naming the line.
struct ThemeFuzzFindingsTests {
  @Test(arguments: ["[é]\n", "name = \"x\"\n[\u{9d}]\n", "café = 1\n"])
  func aNonASCIIKeyIsAnErrorNotAnAbort(_ text: String) {
    #expect { _ = try Theme.parse(toml: text, file: "bad.toml") } throws: {
      guard let e = $0 as? ThemeError else { return false }
      return e.description.contains("not ASCII outside a quoted string")
    }
  }

  @Test func nonASCIIInStringsAndCommentsIsFine() {
    #expect(firstNonASCIIOutsideStrings("description = \"thé\" # café\nname = 'ü'\n") == nil)
    #expect(firstNonASCIIOutsideStrings("a = 1\nb = \"\\\"\" é\n") == 2)
  }
}
