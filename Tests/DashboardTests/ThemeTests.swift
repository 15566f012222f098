@testable import Dashboard
import Foundation
import Testing
import TestSupport

/// Theme files: the built-in ones, and broken ones named by file and line.
struct ThemeTests {
  @Test func builtinThemesAreTheFilesInThemesFolder() throws {
    #expect(BuiltinThemes.names == ["default", "light", "mono", "solarized-dark", "colorblind"])
    for (name, toml) in builtinThemeFiles {
      let file = try String(contentsOfFile: NNTopProcess.packageRoot + "/themes/\(name).toml", encoding: .utf8)
      #expect(file == toml + "\n", "themes/\(name).toml differs from the embedded copy: run embed-themes.py")
    }
  }

  @Test func everyBuiltinThemeHasACentredRamp() throws {
    for theme in BuiltinThemes.all {
      #expect(theme.heatmap.count % 2 == 1)
      if !theme.monochrome {
        #expect(theme.heatmap.first != theme.heatmap.last, "\(theme.name)")
      }
    }
    let standard = BuiltinThemes.standard
    #expect(standard.heatmap[standard.heatmap.count / 2] == .indexed(236))
    #expect(BuiltinThemes.mono.monochrome && BuiltinThemes.mono.heatmapShading)
  }

  func parseError(_ toml: String) -> ThemeError? {
    do {
      _ = try Theme.parse(toml: toml, file: "my.toml")
      return nil
    } catch { return error }
  }

  var valid: String { builtinThemeFiles[0].toml }

  @Test func brokenFilesNameTheFileAndLine() {
    let syntax = parseError("name = \"x\"\n[base\ntext = 1\n")
    #expect(syntax?.file == "my.toml" && syntax?.line == 2 && syntax?.message.hasPrefix("not valid TOML") == true)
    let badColour = parseError(valid.replacingOccurrences(of: "text = 252", with: "text = \"puce\""))
    let textLine = valid.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("text =") }! + 1
    #expect(badColour?.description == "my.toml:\(textLine): text = \"puce\" is not a colour (0-255, \"#rrggbb\" or a name like \"blue\")")
    let outOfRange = parseError(valid.replacingOccurrences(of: "text = 252", with: "text = 300"))
    #expect(outOfRange?.line == textLine && outOfRange?.message.contains("0-255") == true)
    let unknown = parseError(valid.replacingOccurrences(of: "dim = 244", with: "dim = 244\nshadow = 3"))
    #expect(unknown?.message == "unknown key \"shadow\" in [base]" && unknown?.line == textLine + 2)
    let missing = parseError(valid.replacingOccurrences(of: "[health]", with: "[wellness]"))
    #expect(missing?.message.contains("wellness") == true)
    let steps = parseError(valid.replacingOccurrences(of: "steps = 6", with: "steps = 0"))
    #expect(steps?.message == "[heatmap] steps must be a whole number from 1 to 16")
  }

  @Test func aThemeInheritsWhatItDoesNotSetFromTheDefault() throws {
    let standard = BuiltinThemes.standard
    let one = try Theme.parse(toml: "name = \"one\"\n[chart]\ntrain = \"red\"\n", file: "one.toml", inheriting: valid)
    var expected = standard
    expected.name = "one"
    expected.description = ""
    expected.train = .indexed(1)
    #expect(one == expected)
    // A heatmap end set alone: the ramp is made again from it and the default's other two.
    let ramp = try Theme.parse(toml: "name = \"r\"\n[heatmap]\npositive = \"#ff0000\"\n", file: "r.toml", inheriting: valid)
    #expect(ramp.heatmap == Theme.ramp(negative: .nearest(r: 0x2f, g: 0x6f, b: 0xde), zero: .indexed(236), positive: .nearest(r: 255, g: 0, b: 0), steps: 6))
    // Unknown keys are still named, and a name is still needed.
    #expect(throws: ThemeError(file: "u.toml", line: 3, message: "unknown key \"trian\" in [chart]")) {
      try Theme.parse(toml: "name = \"u\"\n[chart]\ntrian = 1\n", file: "u.toml", inheriting: valid)
    }
    // A name left out is the file's; the default theme itself still needs one.
    #expect(try Theme.parse(toml: "[chart]\ntrain = 1\n", file: "/home/u/.config/nntop/themes/sea.toml", inheriting: valid).name == "sea")
    #expect(throws: ThemeError(file: "n.toml", line: nil, message: "needs a name = \"...\"")) {
      try Theme.parse(toml: "[chart]\ntrain = 1\n", file: "n.toml")
    }
  }

  @Test func hexAndNamedColoursParse() throws {
    let t = try Theme.parse(toml: valid.replacingOccurrences(of: "text = 252", with: "text = \"#ff0000\"").replacingOccurrences(of: "dim = 244", with: "dim = \"bright-blue\""), file: "x")
    #expect(t.text == .indexed(196) && t.dim == .indexed(12))
  }

  @Test func fewerColoursDegradeGracefully() {
    let t = BuiltinThemes.standard.reduced(to: 8)
    let all = [t.text, t.dim, t.border, t.train, t.validation, t.ok, t.warn, t.bad] + t.heatmap + t.classes
    #expect(all.allSatisfy { if case .indexed(let i) = $0 { i < 8 } else { true } })
    #expect(t.heatmapShading && !t.monochrome)
    #expect(t.ok != t.bad, "verdict colours stay apart on 8 colours")
    #expect(t.border == .indexed(7) && t.dim == .indexed(7), "greys read on a dark background")
    let light = BuiltinThemes.named("light")!.reduced(to: 8)
    #expect(light.text == .indexed(0) && light.dim == .indexed(0), "greys read on a light background")
    let none = BuiltinThemes.standard.withoutColor
    #expect(none.monochrome && [none.text, none.ok, none.bad].allSatisfy { $0 == .default })
  }
}
