@testable import Interop
import Foundation
#if canImport(FoundationXML)
  import FoundationXML
#endif
import Testing
import TestSupport
@testable import Training
import Diagnosis
import RunEvents

/// `nntop plot`'s SVG: well-formed, one polyline per curve with a point per
/// logged value, placed where the values say.
struct SVGPlotTests {
  /// Polylines by `data-series`, as (x, y) pixel points; and every element name seen.
  final class Collector: NSObject, XMLParserDelegate {
    var series: [String: [(x: Double, y: Double)]] = [:]
    /// Each polyline's stroke colour and dash pattern ("" for solid).
    var strokes: [String: (color: String, dash: String)] = [:]
    var elements: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
      elements.append(name)
      guard name == "polyline", let id = attributes["data-series"], let points = attributes["points"] else { return }
      strokes[id] = (attributes["stroke"] ?? "", attributes["stroke-dasharray"] ?? "")
      series[id] = points.split(separator: " ").map { pair in
        let xy = pair.split(separator: ",").map { Double($0)! }
        return (xy[0], xy[1])
      }
    }
  }

  func recording(_ dir: TemporaryDirectory) throws -> RunRecording {
    let path = dir.file("run.jsonl")
    let log = try RunLog(path: path)
    let info = RunInfo(
      dataName: "toy <&>", networkDescription: "2-4-1", layerShapes: [LayerShape(inputs: 2, outputs: 4), LayerShape(inputs: 4, outputs: 1)], activations: ["tanh", "sigmoid"], imageShape: nil,
      classNames: ["a", "b"], isClassification: true, trainCount: 100, epochs: 3, points: [])
    log.write(.run(RunHeader(mode: "test", info: info, batchSize: 10, learningRate: 0.1, lossFunction: nil)))
    let stats = LayerStatistics(inputs: 2, outputs: 4, gradientNorm: 0.5, biasGradientNorm: 0.1, weightNorm: 1, updateRatio: 1e-3, activationMean: 0, activationStd: 1, deadFraction: 0, saturatedFraction: 0, nonFinite: false)
    for i in 1...30 {
      let loss = Float(1 / Double(i))  // falls from 1 to 1/30
      var s = stats
      s.gradientNorm = 0.5 / Double(i)
      log.write(.sample(RunSample(step: i * 10, epoch: i / 10, epochProgress: 0, time: Double(i), learningRate: 0.1, loss: Series.Bucket(x: Double(i * 10), loss), metric: Series.Bucket(x: Double(i * 10), 0.5 + loss / 4), layers: [s, s], health: [LayerHealth(status: .ok, reason: "", hint: ""), LayerHealth(status: .ok, reason: "", hint: "")])))
      if i % 10 == 0 {
        log.write(.epoch(EpochRecord(epoch: i / 10, step: i * 10, time: Double(i), learningRate: 0.1, loss: .nan, validationLoss: 2 / Double(i), validationAccuracy: 0.9)))
      }
    }
    log.write(.event(EventRecord(step: 150, .learningRate(from: 0.1, to: 0.05))))
    log.close()
    return try RunRecording(path: path)
  }

  func parse(_ svg: String) throws -> Collector {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
    return collector
  }

  @Test func everyCurveIsAPolylineThroughItsValues() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let svg = SVGPlot(recording: try recording(dir)).render()
    let c = try parse(svg)
    #expect(c.elements.first == "svg")
    #expect(svg.contains("toy &lt;&amp;&gt; · 2-4-1"))
    let train = try #require(c.series["loss-train"])
    let validation = try #require(c.series["loss-validation"])
    #expect(train.count == 30 && validation.count == 3)
    #expect(zip(train, train.dropFirst()).allSatisfy { $0.x < $1.x })
    // The loss falls, so on screen (y grows downwards) every point is lower than the one before.
    #expect(zip(train, train.dropFirst()).allSatisfy { $0.y < $1.y })
    // A linear axis: equal value steps are equal pixel steps. Loss 1/1 − 1/2 = 0.5, 1/2 − 1/4 = 0.25.
    let d12 = train[1].y - train[0].y, d24 = train[3].y - train[1].y
    #expect(isApproximatelyEqual(d12, 2 * d24, absolute: 0.35))  // coordinates are rounded to 0.1 px
    // Validation 2/10 at step 100 lies where a training value of 0.2 would: between step 40's (0.25) and 60's (0.1667).
    #expect(validation[0].y > train[3].y && validation[0].y < train[5].y)
    #expect(c.series["grad-W1"] == nil)
    #expect(svg.contains("class=\"mark\"") && svg.contains(">η</text>"))
  }

  @Test func gradientsPanelIsLogarithmic() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let c = try parse(SVGPlot(recording: try recording(dir), gradients: true).render())
    let g = try #require(c.series["grad-W1"])
    #expect(g.count == 30 && c.series["grad-W2"]?.count == 30)
    // 0.5/i on a log axis: a tenfold fall (i = 1 → 10) and the next
    // (10 → 100 would be) take equal pixels; i = 1 → 2 and 2 → 4 take equal pixels too.
    let d12 = g[1].y - g[0].y, d24 = g[3].y - g[1].y
    #expect(isApproximatelyEqual(d12, d24, absolute: 0.25))
  }

  @Test func deepNetworksGradientLinesStayApart() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("deep.jsonl")
    let log = try RunLog(path: path)
    let shapes = Array(repeating: LayerShape(inputs: 4, outputs: 4), count: 20)
    let info = RunInfo(
      dataName: "toy", networkDescription: "deep", layerShapes: shapes, activations: Array(repeating: "tanh", count: 20), imageShape: nil,
      classNames: ["a", "b"], isClassification: true, trainCount: 10, epochs: 1, points: [])
    log.write(.run(RunHeader(mode: "test", info: info, batchSize: 1, learningRate: 0.1, lossFunction: nil)))
    let stats = LayerStatistics(inputs: 4, outputs: 4, gradientNorm: 0.5, weightNorm: 1, updateRatio: 1e-3)
    for i in 1...3 {
      log.write(.sample(RunSample(step: i, epoch: 0, epochProgress: 0, time: Double(i), learningRate: 0.1, loss: Series.Bucket(x: Double(i), 1), metric: Series.Bucket(x: Double(i), 0.5), layers: Array(repeating: stats, count: 20), health: Array(repeating: LayerHealth(status: .ok), count: 20))))
    }
    log.close()
    let c = try parse(SVGPlot(recording: try RunRecording(path: path), gradients: true).render())
    let styles = (1...20).compactMap { c.strokes["grad-W\($0)"] }
    #expect(styles.count == 20)
    // No two layers share both colour and dash.
    #expect(Set(styles.map { $0.color + "|" + $0.dash }).count == 20)
    #expect(styles[0].color == styles[8].color && styles[0].dash.isEmpty && !styles[8].dash.isEmpty)
    // Every legend entry lies inside the picture.
    let svg = SVGPlot(recording: try RunRecording(path: path), gradients: true).render()
    let height = try #require(svg.firstMatch(of: #/height="([0-9.]+)"/#).flatMap { Double($0.1) })
    let legendYs = svg.matches(of: #/<text x="[0-9.]+" y="([0-9.]+)"[^>]*>W[0-9]+ /#).compactMap { Double($0.1) }
    #expect(legendYs.count == 20 && legendYs.allSatisfy { $0 < height }, "\(legendYs) in \(height)")
  }

  @Test func nothingToDrawOnALogAxisStillPlots() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // A log with a header and nothing else (a model opened and closed at once).
    let empty = dir.write("empty.jsonl", #"{"type":"run","data":"toy","network":"2-4-1","layers":[[4,2],[1,4]],"activations":["tanh","sigmoid"]}"# + "\n")
    let c = try parse(SVGPlot(recording: try RunRecording(path: empty), gradients: true, logScaleLoss: true).render())
    #expect(c.elements.first == "svg")
    // Every gradient norm 0 (a dead network): no point on a log axis, no crash.
    let path = dir.file("zero.jsonl")
    let log = try RunLog(path: path)
    log.write(.run(RunHeader(mode: "test", info: try RunRecording(path: empty).info, batchSize: 1, learningRate: 0.1, lossFunction: nil)))
    let zero = LayerStatistics(inputs: 2, outputs: 4, gradientNorm: 0, biasGradientNorm: 0, weightNorm: 1, updateRatio: 0, activationMean: 0, activationStd: 0, deadFraction: 1, saturatedFraction: 0, nonFinite: false)
    for i in 1...5 {
      log.write(.sample(RunSample(step: i, epoch: 0, epochProgress: 0, time: Double(i), learningRate: 0.1, loss: Series.Bucket(x: Double(i), 0), metric: Series.Bucket(x: Double(i), 0), layers: [zero, zero], health: [LayerHealth(status: .ok), LayerHealth(status: .ok)])))
    }
    log.close()
    let z = try parse(SVGPlot(recording: try RunRecording(path: path), gradients: true, logScaleLoss: true).render())
    #expect(z.series["grad-W1"].map { $0.isEmpty } ?? true)
    #expect(SVGPlot.ticks(-.infinity, 0, log: true).isEmpty && SVGPlot.ticks(0, .nan, log: false).isEmpty)
  }

  @Test func ticksAreRoundNumbers() {
    #expect(SVGPlot.ticks(0, 1, log: false).map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    #expect(SVGPlot.ticks(-0.1, 2.1, log: false).map(\.label) == ["0", "0.5", "1", "1.5", "2"])
    #expect(SVGPlot.ticks(-3.2, -0.4, log: true).map(\.label) == ["1e-3", "1e-2", "1e-1"])
    // Less than three decades: 1, 2 and 5 times the powers of ten, where each sits.
    let decades = SVGPlot.ticks(Foundation.log10(0.024), Foundation.log10(0.83), log: true)
    #expect(decades.map(\.label) == ["0.05", "0.1", "0.2", "0.5"])
    #expect(zip(decades.map(\.position), [0.05, 0.1, 0.2, 0.5]).allSatisfy { abs($0 - Foundation.log10($1)) < 1e-12 })
    // Less than one: round numbers of the values themselves.
    let narrow = SVGPlot.ticks(Foundation.log10(0.3), Foundation.log10(0.5), log: true)
    #expect(narrow.map(\.label) == ["0.3", "0.35", "0.4", "0.45", "0.5"])
    #expect(abs(narrow[1].position - Foundation.log10(0.35)) < 1e-12)
  }
}
