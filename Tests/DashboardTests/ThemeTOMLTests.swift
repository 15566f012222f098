import Testing

@testable import Dashboard

/// The subset of TOML a theme file uses, read by nntop's own parser.
struct ThemeTOMLTests {
  @Test func readsSectionsKeysAndEveryKindOfValue() throws {
    let table = try ThemeTOML.parse(
      """
      # a comment
      name = "x"   # trailing comment
      description = 'lit\\eral'
      monochrome = true

      [base]
      text = 252
      ratio = 0.5
      list = [1, "two", 'three', [4]]
      "quoted key" = "a \\"q\\" \\u00e9"
      """)
    #expect(table.keys == ["name", "description", "monochrome", "base"])
    #expect(table["name"]?.string == "x")
    #expect(table["description"]?.string == "lit\\eral", "literal strings keep backslashes")
    #expect(table["monochrome"]?.bool == true)
    let base = try #require(table["base"]?.table)
    #expect(base["text"]?.int == 252 && base["ratio"] == .float(0.5))
    #expect(base["list"] == .array([.integer(1), .string("two"), .string("three"), .array([.integer(4)])]))
    #expect(base["quoted key"]?.string == "a \"q\" é")
  }

  @Test(arguments: [
    ("a = 1\na = 2\n", 2, "a is set twice"),
    ("[s]\n[s]\n", 2, "[s] appears twice"),
    ("a = [1, 2\n", 1, "an array must close on its line"),
    ("a = \"open\n", 1, "a string is not closed on its line"),
    ("a.b = 1\n", 1, "dotted keys are not part of a theme"),
    ("a = {x = 1}\n", 1, "inline tables are not part of a theme"),
    ("a = nope\n", 1, "\"nope\" is not a value"),
    ("[[t]]\n", 1, "arrays of tables"),
    ("a = 1 2\n", 1, "unexpected \"2\" after the value"),
    ("= 1\n", 1, "cannot start a key"),
  ])
  func malformedLinesAreNamed(_ text: String, line: Int, message: String) {
    #expect { _ = try ThemeTOML.parse(text) } throws: {
      guard let e = $0 as? ThemeTOML.ParseError else { return false }
      return e.line == line && e.message.contains(message)
    }
  }
}
