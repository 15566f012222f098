import Interop
import ArgumentParser
import Diagnosis
import Foundation
import RunEvents
import Training

/// `nntop plot FILE.jsonl --out FILE.svg`: a run's curves for a report.
struct Plot: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Draw a run log's loss and accuracy curves (and gradient norms) as an SVG file.")

  @Argument(help: "A run log written with --log.")
  var file: String

  @Option(help: ArgumentHelp("Where to write the SVG.", valueName: "file.svg"))
  var out: String

  @Flag(help: "Add a panel of ‖∂J/∂W‖ per layer (log scale).")
  var gradients = false

  @Flag(name: .customLong("log-scale"), help: "Draw the loss on a log scale.")
  var logScale = false

  @Flag(help: "Replace --out even if it is not a plot nntop wrote (never the log it reads).")
  var force = false

  func run() throws {
    let replacing = try OutputGuard(force: force, inputs: [file]).check(out, as: .plot)
    let recording = try RunRecording(path: file)
    recording.warnings.forEach(warn)
    // A PyTorch run's log carries statistics only: its verdicts (overfitting among them) are judged here.
    let svg = SVGPlot(recording: HealthMonitor.judged(recording), gradients: gradients, logScaleLoss: logScale).render()
    replacing.map(warn)
    try OutputFile.write(Array(svg.utf8), to: out)
    print("wrote \(out)")
  }
}
