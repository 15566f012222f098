import Foundation
import Testing
import TestSupport

/// Themes from the command line: listing, choosing, and broken files.
@Suite(.serialized)
struct ThemeCommandTests {
  let good = """
    name = "ocean"
    [base]
    background = "default"
    text = 252
    dim = 244
    border = 239
    title = 75
    accent = 214
    [chart]
    train = 39
    validation = 214
    axis = 244
    marks = 141
    [health]
    ok = 71
    warn = 214
    bad = 196
    [state]
    running = 71
    paused = 214
    finished = 75
    diverged = 196
    [heatmap]
    negative = 33
    zero = 236
    positive = 202
    steps = 4
    [classes]
    colors = [39, 214]
    """

  @Test func themesListsBuiltinAndUserThemes() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try FileManager.default.createDirectory(atPath: dir.path + "/nntop/themes", withIntermediateDirectories: true)
    dir.write("nntop/themes/ocean.toml", good)
    dir.write("nntop/themes/broken.toml", "name = \"broken\"\n[base\n")
    let r = try NNTopProcess.run(["themes"], environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(r.status == 0)
    for name in ["default", "light", "mono", "solarized-dark", "colorblind"] {
      #expect(r.stdout.contains("  \(name) "), "\(name) not listed")
    }
    #expect(r.stdout.contains("ocean") && r.stdout.contains(dir.path + "/nntop/themes/ocean.toml"))
    #expect(r.stdout.contains("broken: \(dir.path)/nntop/themes/broken.toml:2: not valid TOML"))
  }

  @Test func aBrokenThemeFileIsNamedWithItsLine() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.write("mine.toml", good.replacingOccurrences(of: "dim = 244", with: "dim = \"mauve\""))
    let r = try NNTopProcess.run(["--headless", "--epochs", "1", "--theme", path])
    #expect(r.status == 65 && r.stderrLines.count == 1)
    #expect(r.stderr == "nntop: \(path):5: dim = \"mauve\" is not a colour (0-255, \"#rrggbb\" or a name like \"blue\")\n")
    // A user theme chosen by name: its own file and line, not "no theme".
    let config = TemporaryDirectory()
    defer { config.remove() }
    try FileManager.default.createDirectory(atPath: config.path + "/nntop/themes", withIntermediateDirectories: true)
    config.write("nntop/themes/mine.toml", good.replacingOccurrences(of: "dim = 244", with: "dim = \"mauve\""))
    let named = try NNTopProcess.run(["--headless", "--epochs", "1", "--theme", "mine"], environment: ["XDG_CONFIG_HOME": config.path])
    #expect(named.status == 65 && named.stderr == "nntop: \(config.path)/nntop/themes/mine.toml:5: dim = \"mauve\" is not a colour (0-255, \"#rrggbb\" or a name like \"blue\")\n")
    let unknown = try NNTopProcess.run(["--headless", "--theme", "neon"])
    #expect(unknown.status == 64 && unknown.stderr.contains("no theme \"neon\"; the themes are default, light, mono, solarized-dark, colorblind"))
  }

  @Test func oneFileGetsOneErrorFromThemesAndFromTheFlag() throws {
    // Several problems in one file (two missing sections, a bad colour):
    // the same error however it is reached, run after run.
    let config = TemporaryDirectory()
    defer { config.remove() }
    try FileManager.default.createDirectory(atPath: config.path + "/nntop/themes", withIntermediateDirectories: true)
    let path = config.write("nntop/themes/bad.toml", "name = \"bad\"\n[base]\ntext = 999\n[chart]\nshadow = 1\n")
    var seen: Set<String> = []
    for _ in 0..<3 {
      let listed = try NNTopProcess.run(["themes"], environment: ["XDG_CONFIG_HOME": config.path])
      seen.insert(listed.stdout.split(separator: "\n").first { $0.contains("broken:") }.map { String($0.split(separator: "broken: ")[1]) } ?? "")
      for option in ["bad", "bad.toml", path] {
        let flagged = try NNTopProcess.run(["--headless", "--data", "xor", "--theme", option], environment: ["XDG_CONFIG_HOME": config.path])
        #expect(flagged.status == 65)
        seen.insert(flagged.stderr.replacingOccurrences(of: "nntop: ", with: "").trimmingCharacters(in: .newlines))
      }
    }
    // Unknown keys are named before bad values, sections in file order.
    #expect(seen == ["\(path):5: unknown key \"shadow\" in [chart]"], "\(seen)")
  }

  @Test func aUserThemeMaySetOneColourAndInheritsTheRest() throws {
    let config = TemporaryDirectory()
    defer { config.remove() }
    try FileManager.default.createDirectory(atPath: config.path + "/nntop/themes", withIntermediateDirectories: true)
    config.write("nntop/themes/red.toml", "name = \"red-train\"\n[chart]\ntrain = \"red\"\n")
    let listed = try NNTopProcess.run(["themes"], environment: ["XDG_CONFIG_HOME": config.path])
    #expect(listed.status == 0 && listed.stdout.contains("  red-train ") && !listed.stdout.contains("broken"), "\(listed.stdout)")
    let run = try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", "--theme", "red-train"], environment: ["XDG_CONFIG_HOME": config.path])
    #expect(run.status == 0, "\(run.stderr)")
  }

  @Test func noColorMeansNoColourOnScreen() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux(width: 100, height: 30)
    try tmux.start(
      "cd '\(dir.path)' && '\(NNTopProcess.executable)' --data moons; echo EXIT=$? > exit.txt; exec sleep 600",
      environment: ["LANG": "C.UTF-8", "NO_COLOR": "1"])
    try tmux.waitFor("the dashboard") { $0.contains { $0.contains("RUNNING") } }
    let escaped = try tmux.run(["capture-pane", "-p", "-e", "-t", "main"])
    #expect(!escaped.contains("38;5;") && !escaped.contains("48;5;"), "256-colour escapes under NO_COLOR")
    #expect(escaped.contains("\u{1B}[7m") || escaped.contains(";7m"), "the state badge in reverse video")
    try tmux.send("t")
    try tmux.waitFor("the next theme") { $0.contains { $0.contains("theme: solarized-dark") } }
    try tmux.send("q")
  }

  @Test func eightColourTerminalsDegradeGracefully() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux(width: 100, height: 30)
    try tmux.start(
      // tmux sets TERM for the pane itself, so it is set on the command.
      "cd '\(dir.path)' && TERM=screen '\(NNTopProcess.executable)' --data moons; echo EXIT=$? > exit.txt; exec sleep 600",
      environment: ["LANG": "C.UTF-8"])
    let screen = try tmux.waitFor("the dashboard") { $0.contains { $0.contains("RUNNING") } }
    #expect(screen.contains { $0.contains("┌ Decision boundary") })
    let escaped = try tmux.run(["capture-pane", "-p", "-e", "-t", "main"])
    #expect(!escaped.contains("38;5;") && !escaped.contains("48;5;"), "256-colour escapes on an 8-colour terminal")
    #expect((1...7).contains { escaped.contains("\u{1B}[3\($0)m") }, "some colour is still used")
    // Black text only on a coloured background (the state badge), never on the dark default one.
    let blackRuns = escaped.components(separatedBy: "\u{1B}[30m").dropFirst()
    #expect(blackRuns.allSatisfy { run in (1...7).contains { run.hasPrefix("\u{1B}[4\($0)m") } }, "something drawn black on the dark background")
    try tmux.send("q")
  }
}
