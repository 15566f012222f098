@testable import Dashboard
import Datasets
import Foundation
import NeuralNet
import Testing
import Training
import Diagnosis
import RunEvents

/// Whole screens against golden text files (`Golden/NAME.txt`), as
/// ratatui's `assert_buffer_eq` checks them: every character of every row.
/// After a change to the layout, look at the diff the failure prints, then
/// re-record them all with
///
///     NNTOP_RECORD_GOLDEN=1 swift test --filter GoldenScreenTests
///
/// and review `git diff Tests/DashboardTests/Golden` before committing.
struct GoldenScreenTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
  static let recording = ProcessInfo.processInfo.environment["NNTOP_RECORD_GOLDEN"] == "1"

  /// Compares `buffer`'s rows with the golden file `name`, or records it.
  func expectGolden(_ name: String, _ buffer: Buffer, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = "\(Self.folder)/\(name).txt"
    let actual = buffer.lines.joined(separator: "\n") + "\n"
    if Self.recording {
      try actual.write(toFile: path, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
      Issue.record("no golden \(name).txt: record it with NNTOP_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
      return
    }
    guard expected != actual else { return }
    Issue.record("screen \(name) differs from Golden/\(name).txt:\n\(Self.diff(expected, actual))", sourceLocation: sourceLocation)
  }

  /// The rows that differ, as `-` expected and `+` actual with row numbers.
  static func diff(_ expected: String, _ actual: String) -> String {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false), a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for row in 0..<max(e.count, a.count) {
      let x = row < e.count ? String(e[row]) : "(none)", y = row < a.count ? String(a[row]) : "(none)"
      if x != y { out += [String(format: "%3d - ", row) + x, String(format: "%3d + ", row) + y] }
    }
    return out.joined(separator: "\n")
  }

  func render(_ snapshot: RunView, _ w: Int, _ h: Int, mode: KeyMap.Mode = .live, configure: (inout DashboardState) -> Void = { _ in }) -> Buffer {
    var state = DashboardState(width: w, height: h, themes: BuiltinThemes.all, savePath: "m.safetensors", mode: mode)
    state.presets = Preset.all.map { HelpOverlay.PresetNote(name: $0.name, shows: $0.shows, fix: $0.fix) }
    _ = state.update(.snapshot(snapshot))
    configure(&state)
    return DashboardScreen.render(state)
  }

  /// `--preset vanishing`'s picture: nine sigmoid layers whose gradients
  /// shrink by about 4× a layer towards the input (verdicts by the real
  /// HealthMonitor).
  static func vanishing() -> RunView {
    let widths = [64] + Array(repeating: 32, count: 8) + [10]
    let shapes = zip(widths, widths.dropFirst()).map { LayerShape(inputs: $0, outputs: $1) }
    let activations = Array(repeating: "sigmoid", count: 8) + ["softmax"]
    let info = RunInfo(
      dataName: "digits", networkDescription: widths.map(String.init).joined(separator: "-") + " sigmoid→softmax", layerShapes: shapes,
      activations: activations, imageShape: ImageShape(rows: 8, cols: 8), classNames: (0..<10).map(String.init), isClassification: true,
      trainCount: 1438, epochs: 30, points: [])
    var s = ScreenTests.snapshot()
    s.info = info
    s.history = History(layers: shapes.count)
    for i in 1...200 {
      s.history.loss.append(x: Double(i), 2.3 - Float(i) / 1000)
      s.history.metric.append(x: Double(i), 0.1 + Float(i) / 2000)
    }
    s.layers = shapes.enumerated().map { l, shape in
      LayerStatistics(inputs: shape.inputs, outputs: shape.outputs, gradientNorm: 0.04 * pow(0.27, Double(shapes.count - 1 - l)), weightNorm: 4, updateRatio: 1e-4)
    }
    s.health = HealthMonitor(thresholds: HealthThresholds(), families: Array(repeating: .squashing, count: 8) + [.other]).judge(s.layers)
    var rng = SeededGenerator(seed: 2)
    s.weights = shapes.map { WeightMatrix(Initializer.xavier.weights(fanIn: $0.inputs, fanOut: $0.outputs, activation: .sigmoid, using: &rng)) }
    return s
  }

  @Test func digits() throws { try expectGolden("digits-120x40", render(ScreenTests.snapshot(), 120, 40)) }

  @Test func spirals() throws { try expectGolden("spirals-120x40", render(ScreenTests.snapshot(twoD: true), 120, 40)) }

  @Test func vanishingPreset() throws { try expectGolden("vanishing-120x40", render(Self.vanishing(), 120, 40)) }

  @Test func helpOverlay() throws {
    try expectGolden("help-120x40", render(ScreenTests.snapshot(), 120, 40) { _ = $0.update(.key(.character("?"))) })
  }

  @Test func smallestTerminal() throws { try expectGolden("digits-80x24", render(ScreenTests.snapshot(), 80, 24)) }

  /// Sixty epochs of 2-D data whose validation loss has its best at epoch 8
  /// and climbs after it while the training loss falls: the verdict (by the
  /// real HealthMonitor) over the loss legend, ▲ under the best epoch.
  static func overfitting() -> RunView {
    var s = ScreenTests.snapshot(twoD: true)
    s.info.epochs = nil
    s.history = History(layers: 2)
    var monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.squashing, .other], builtIn: true)
    for e in 1...60 {
      let train = 1.0 * Foundation.exp(-Double(e) / 8) + 0.01
      for i in 1...15 {
        s.history.loss.append(x: Double((e - 1) * 15 + i), Float(train * (i % 2 == 0 ? 1.1 : 0.9)))
        s.history.metric.append(x: Double((e - 1) * 15 + i), Float(1 - train / 2))
      }
      let val = 0.25 + 0.0004 * Double((e - 8) * (e - 8))
      s.apply(.epoch(monitor.judge(EpochRecord(epoch: e, step: e * 15, time: Double(e), learningRate: 0.1, loss: train, validationLoss: val))))
    }
    s.step = 900
    s.epoch = 60
    return s
  }

  @Test func overfittingIsSaidOverTheLoss() throws {
    let s = Self.overfitting()
    #expect(s.overfitting?.bestEpoch == 8, "the verdict the screen shows")
    try expectGolden("overfitting-120x40", render(s, 120, 40))
  }

  /// `w` on a long run: the last 10 % of its steps, the y axis fitted to
  /// them (the early loss of 2 would flatten the rest), the axis saying where it starts.
  @Test func recentWindowFollowsTheRun() throws {
    var s = ScreenTests.snapshot()
    s.history = History(layers: 2)
    for i in 1...3000 {
      s.history.loss.append(x: Double(i), 2 / Float(i) + (i > 2800 ? Float(i - 2800) / 2000 : 0))
      s.history.metric.append(x: Double(i), 1 - 1 / Float(i))
    }
    s.step = 3000
    try expectGolden("recent-window-120x40", render(s, 120, 40) { _ = $0.update(.key(.character("w"))) })
  }

  /// FINISHED says so on the status line; space trains on, and the screen
  /// then shows RUNNING with the throughput and no "finished" notice.
  @Test func trainingOnAfterTheLastEpochClearsTheFinishedNotice() throws {
    var s = ScreenTests.snapshot()
    s.apply(.event(EventRecord(step: 1234, .finished(epoch: 3))))
    let finished = render(s, 80, 24)
    #expect(finished.line(23).contains("FINISHED") && finished.line(23).contains("finished 3 epochs"), "\(finished.line(23))")
    s.apply(.event(EventRecord(step: 1234, .resume)))
    s.info.epochs = nil
    let trainingOn = render(s, 80, 24)
    #expect(!trainingOn.line(23).contains("finished"))
    try expectGolden("training-on-80x24", trainingOn)
  }

  /// Paused at a watchable pace: no throughput while nothing trains, the pace shown.
  @Test func pausedAtAPace() throws {
    var s = ScreenTests.snapshot(twoD: true)
    s.state = .paused
    s.pace = Pace(stepsPerSecond: 100)
    try expectGolden("paused-pace-80x24", render(s, 80, 24))
  }

  @Test func replay() throws {
    var s = ScreenTests.snapshot()
    s.state = .paused
    try expectGolden("replay-120x40", render(s, 120, 40, mode: .replay) { _ = $0.update(.replayStatus(speed: 0.25, progress: 0.42)) })
  }

  /// A watched PyTorch run of 60 layers (a ResNet's count), two of them with
  /// dead units: the gradient panel lists them worst first.
  static func watchedResNet() -> RunView {
    let names = (0..<60).map { i in i == 59 ? "fc" : "layer\(i / 15 + 1).\(i % 15 / 3).conv\(i % 3 + 1)" }
    let shapes = (0..<60).map { i in i == 59 ? LayerShape(inputs: 512, outputs: 10) : LayerShape(inputs: 64 * 9, outputs: 64) }
    let info = RunInfo(
      dataName: "cifar10", networkDescription: "ResNet: 60 layers, 11,173,962 parameters", layerShapes: shapes,
      activations: Array(repeating: "relu", count: 59) + ["linear"], imageShape: nil, classNames: [], isClassification: true,
      trainCount: 0, epochs: 30, points: [], moduleNames: names)
    var s = ScreenTests.snapshot()
    s.info = info
    s.history = History(layers: 60)
    s.layers = shapes.enumerated().map { l, shape in
      LayerStatistics(
        inputs: shape.inputs, outputs: shape.outputs, gradientNorm: 0.02 + 0.001 * Double(l), weightNorm: 3, updateRatio: 1e-3,
        deadFraction: l == 17 || l == 41 ? 0.8 : 0.1)
    }
    s.health = HealthMonitor(thresholds: HealthThresholds(), families: Array(repeating: .rectifier, count: 59) + [.other]).judge(s.layers)
    s.weights = []
    s.origin = "pytorch · gpu-box · pid 4242"
    return s
  }

  @Test func watchedRunWithManyLayers() throws {
    try expectGolden("watch-120x40", render(Self.watchedResNet(), 120, 40, mode: .watch))
  }

  @Test func watchedRunScrolledDown() throws {
    try expectGolden("watch-scrolled-120x40", render(Self.watchedResNet(), 120, 40, mode: .watch) { state in
      for _ in 0..<3 { _ = state.update(.key(.down)) }
    })
  }

  /// A four-rank DDP run: rank 2 a straggler, rank 3 lost; the layers'
  /// gradient norms differ a little between ranks.
  @Test func distributedRunWithAStragglerAndALostRank() throws {
    var s = ScreenTests.snapshot()
    s.origin = "pytorch · 4 ranks · gpu-box · pid 4242"
    s.ranks = [
      RankStatus(rank: 0, step: 12_800, stepsPerSecond: 41.5),
      RankStatus(rank: 1, step: 12_800, stepsPerSecond: 40.9),
      RankStatus(rank: 2, step: 12_784, stepsPerSecond: 27.2, condition: .straggler, note: "34 % slower"),
      RankStatus(rank: 3, step: 11_020, stepsPerSecond: 40.1, condition: .lost, note: "silent 31 s"),
    ]
    s.gradientSpread = s.layers.map { $0.gradientNorm * 0.9...$0.gradientNorm * 1.1 }
    try expectGolden("watch-ranks-120x40", render(s, 120, 40, mode: .watch))
  }

  /// A healthy run and the vanishing preset's, compared: both curves, the
  /// legend, each run's letter on its line; the panels show the selected run.
  @Test func twoRunsCompared() throws {
    var vanishing = Self.vanishing()
    vanishing.history = History(layers: vanishing.info.layerShapes.count)
    for step in stride(from: 10, through: 200, by: 10) {
      vanishing.history.loss.append(x: Double(step), 2.3 - Float(step) / 2000)
      vanishing.history.metric.append(x: Double(step), 0.1 + Float(step) / 4000)
    }
    let runs = [ComparedRun(name: "healthy", view: ScreenTests.snapshot()), ComparedRun(name: "vanishing", view: vanishing)]
    try expectGolden("compare-120x40", render(ScreenTests.snapshot(), 120, 40, mode: .replay) { _ = $0.update(.runs(runs)) })
    try expectGolden("compare-selected-120x40", render(ScreenTests.snapshot(), 120, 40, mode: .replay) { state in
      _ = state.update(.runs(runs))
      _ = state.update(.key(.tab))
    })
  }

  @Test func aChangedScreenShowsAsARowDiff() {
    #expect(Self.diff("a\nb\nc\n", "a\nB\nc\n") == "  1 - b\n  1 + B")
  }
}
