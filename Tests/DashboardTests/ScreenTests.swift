@testable import Dashboard
import Datasets
import Foundation
import NeuralNet
import Testing
import Training
import Diagnosis
import RunEvents

/// Whole screens, rendered in memory from a made-up snapshot.
struct ScreenTests {
  static func snapshot(twoD: Bool = false) -> RunView {
    let shapes = (twoD ? [(2, 16), (16, 3)] : [(64, 32), (32, 10)]).map { LayerShape(inputs: $0.0, outputs: $0.1) }
    let info = RunInfo(
      dataName: twoD ? "spirals" : "digits", networkDescription: "64-32-10 relu→softmax", layerShapes: shapes,
      activations: [twoD ? "tanh" : "relu", "softmax"],
      imageShape: twoD ? nil : ImageShape(rows: 8, cols: 8), classNames: (0..<(twoD ? 3 : 10)).map(String.init),
      isClassification: true, trainCount: 1438, epochs: 30, points: twoD ? [PlanePoint(x: 0, y: 0, label: 1)] : [],
      )
    var s = RunView(info: info)
    s.state = .running
    s.step = 1234
    s.epoch = 3
    s.epochProgress = 0.5
    s.learningRate = 0.1
    s.batchSize = 32
    s.samplesPerSecond = 812_000
    s.trainingTime = 83
    for i in 1...200 {
      s.history.loss.append(x: Double(i), 2 / Float(i))
      s.history.metric.append(x: Double(i), 1 - 1 / Float(i))
    }
    s.history.validationLoss.append(x: 100, 0.2)
    s.history.validationLoss.append(x: 200, 0.1)
    s.layers = shapes.map { LayerStatistics(inputs: $0.inputs, outputs: $0.outputs, gradientNorm: 0.05, weightNorm: 2, updateRatio: 1e-3) }
    s.health = HealthMonitor(thresholds: HealthThresholds(), families: [twoD ? .squashing : .rectifier, .other]).judge(s.layers)
    var rng = SeededGenerator(seed: 1)
    s.weights = shapes.map { WeightMatrix(Initializer.xavier.weights(fanIn: $0.inputs, fanOut: $0.outputs, activation: .tanh, using: &rng)) }
    if twoD {
      s.field = DecisionField(columns: 4, rows: 2, xRange: -1...1, yRange: -1...1, classes: [0, 0, 1, 2, 0, 1, 2, 2], confidence: Array(repeating: 0.9, count: 8))
    }
    return s
  }

  func render(_ w: Int, _ h: Int, theme: Int = 0, mode: KeyMap.Mode = .live, configure: (inout DashboardState) -> Void = { _ in }) -> Buffer {
    var state = DashboardState(width: w, height: h, themes: BuiltinThemes.all, themeIndex: theme, savePath: "m.safetensors", mode: mode)
    state.presets = Preset.all.map { HelpOverlay.PresetNote(name: $0.name, shows: $0.shows, fix: $0.fix) }
    _ = state.update(.snapshot(Self.snapshot()))
    configure(&state)
    return DashboardScreen.render(state)
  }

  @Test func fullScreenHasEveryPanelAndTheStatusLine() {
    let b = render(120, 40)
    #expect(b.line(0).hasPrefix("┌ Loss ") && b.line(0).contains("┌ Gradient health "))
    #expect(b.lines.contains { $0.contains("┌ Accuracy ") })
    #expect(b.lines.contains { $0.contains("┌ Weights W1 64→32 ") })
    #expect(b.line(1).contains("━ train (step) 0.010") && b.line(1).contains("━ val (epoch) 0.100"))
    let status = b.line(39)
    #expect(status.hasPrefix(" RUNNING  epoch 3/30 50%  step 1,234  η 0.1  batch 32  812k samples/s  00:01:23  digits"))
    #expect(status.hasSuffix("?:help  q:quit "))
    #expect(b.lines.contains { $0.contains("W1 64→32") && $0.contains("OK") })
  }

  @Test func minimumSizeStillFitsEveryPanel() {
    let b = render(80, 24)
    for title in ["Loss", "Gradient health", "Accuracy", "Weights W1"] {
      #expect(b.lines.contains { $0.contains("┌ \(title)") }, "\(title) missing at 80×24")
    }
    #expect(b.line(23).hasPrefix(" RUNNING "))
  }

  @Test func belowTheMinimumItSaysSo() {
    let b = render(79, 24)
    #expect(b.lines.contains { $0.contains("terminal too small") })
    #expect(b.lines.contains { $0.contains("79×24, nntop needs 80×24") })
    let tiny = render(10, 3)
    #expect(tiny.lines.contains { $0.contains("terminal") })
    #expect(render(0, 0).cells.isEmpty)
    #expect(render(1, 1).lines.count == 1)
  }

  @Test func twoDimensionalDataShowsTheDecisionBoundary() {
    var state = DashboardState(width: 120, height: 40, themes: BuiltinThemes.all, savePath: "m")
    _ = state.update(.snapshot(Self.snapshot(twoD: true)))
    let b = DashboardScreen.render(state)
    #expect(b.lines.contains { $0.contains("┌ Decision boundary ") })
    #expect(b.lines.joined().contains("●"))
  }

  @Test func divergenceAndTypingShowUp() {
    let diverged = render(120, 40) { state in
      var s = state.snapshot!
      s.state = .diverged
      s.divergence = "diverged at step 99: the loss became NaN"
      _ = state.update(.snapshot(s))
    }
    #expect(diverged.line(39).hasPrefix(" DIVERGED "))
    #expect(diverged.line(1).contains("⚠ diverged at step 99: the loss became NaN"))
    // At 80 columns the loss panel is too narrow for it: two lines, nothing cut.
    let long = "diverged at step 12,345: the loss became infinite (η = 10)"
    let narrow = render(80, 24) { state in
      var s = state.snapshot!
      s.state = .diverged
      s.divergence = long
      _ = state.update(.snapshot(s))
    }
    let shown = narrow.line(1).dropFirst().prefix(while: { $0 != "│" }) + " " + narrow.line(2).dropFirst().prefix(while: { $0 != "│" })
    #expect(shown.split(separator: " ").joined(separator: " ") == "⚠ " + long, "\(narrow.line(1))\n\(narrow.line(2))")
    // A bad η typed at 80 columns: the whole complaint fits beside the prompt.
    let badEta = render(80, 24) { state in
      _ = state.update(.key(.character("e")))
      for c in "1e" { _ = state.update(.key(.character(c))) }
      _ = state.update(.key(.enter))
    }
    #expect(badEta.line(23).contains("not a number: \"1e\""), "\(badEta.line(23))")
    let typing = render(120, 40) { state in
      _ = state.update(.key(.character("e")))
      for c in "0.03" { _ = state.update(.key(.character(c))) }
    }
    #expect(typing.line(39).hasPrefix(" η = 0.03▏ Enter sets, Esc cancels (now 0.1)"))
  }

  @Test(arguments: [KeyMap.Mode.live, .replay, .watch])
  func helpListsEveryKeyOfItsMode(mode: KeyMap.Mode) {
    let b = render(120, 40, mode: mode) { _ = $0.update(.key(.character("?"))) }
    let text = b.lines.joined(separator: "\n")
    for binding in KeyMap.bindings where !binding.help.isEmpty {
      let shown = text.contains(binding.help)
      #expect(shown == binding.modes.contains(mode), "\(mode) help and \(binding.label): \(binding.help)")
    }
  }

  @Test func helpFitsTheTerminalAndExplainsEachPresetsFix() {
    // 80×24: every key and the closing line; the notes wait for more rows.
    let small = render(80, 24) { _ = $0.update(.key(.character("?"))) }.lines.joined(separator: "\n")
    for binding in KeyMap.bindings(for: .live) { #expect(small.contains(binding.help), "\(binding.label) missing at 80×24") }
    #expect(small.contains("any key closes this help · a taller terminal shows more"))
    // 120×40: the panels and every preset with its fix.
    let tall = render(120, 40) { _ = $0.update(.key(.character("?"))) }.lines.joined(separator: "\n")
    for preset in Preset.all { #expect(tall.contains("fix: \(preset.fix)"), "\(preset.name)'s fix missing") }
    #expect(tall.contains("any key closes this help") && !tall.contains("a taller terminal"))
  }

  @Test func replayStatusLineShowsSpeedAndPosition() {
    let b = render(120, 40, mode: .replay) { _ = $0.update(.replayStatus(speed: 0.25, progress: 0.42)) }
    #expect(b.line(39).hasPrefix(" REPLAY ×1/4 ▶  42% of the log  epoch "), "\(b.line(39))")
  }

  @Test(arguments: [KeyMap.Mode.live, .replay])
  func aNarrowStatusLineDropsTheLeastUsefulPartsFirst(mode: KeyMap.Mode) {
    // A long notice leaves little room: batch goes first, then the data
    // set, time and throughput; epoch, step and η always stay.
    for width in [80, 90, 100, 120] {
      let b = render(width, 24, mode: mode) {
        _ = $0.update(.replayStatus(speed: 1, progress: 0.5))
        _ = $0.update(.note("theme not loaded: ~/.config/nntop/themes/mine.toml:5: bad colour", .warning))
      }
      let status = b.line(23)
      for part in ["epoch ", "step ", "η "] { #expect(status.contains(part), "\(mode) at \(width): \(status)") }
      if mode == .replay { #expect(status.contains("50% of the log"), "\(status)") }
      if !status.contains("samples/s") { #expect(!status.contains("batch "), "batch outlived throughput: \(status)") }
    }
  }

  @Test(arguments: 0..<BuiltinThemes.all.count)
  func everyThemeRendersAndMonoHasNoColour(theme: Int) {
    let b = render(100, 30, theme: theme)
    #expect(b.line(0).hasPrefix("┌ Loss "))
    let colours = Set(b.cells.flatMap { [$0.style.fg, $0.style.bg] })
    if BuiltinThemes.all[theme].monochrome {
      #expect(colours == [.default])
      #expect(b.cells.contains { $0.style.reverse })  // the state badge
    } else {
      #expect(colours.count > 5)
    }
  }

  @Test func renderingIsAPureFunctionOfState() {
    #expect(render(120, 40) == render(120, 40))
  }
}
