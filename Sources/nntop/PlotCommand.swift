import ArgumentParser
import Foundation
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

  func run() throws {
    let recording = try RunRecording(path: file)
    let svg = SVGPlot(recording: recording, gradients: gradients, logScaleLoss: logScale).render()
    do {
      try Data(svg.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
    } catch {
      throw RunFailure(message: "\(out): cannot write the plot (\((error as NSError).localizedDescription))", code: 73)
    }
    print("wrote \(out)")
  }
}
