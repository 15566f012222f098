import Interop
import Datasets
import Foundation
import NeuralNet
import Terminal
import RunEvents
import Training
import NumberFormat

/// Training without the dashboard: a line per epoch on stdout, then the
/// summary. SIGINT/SIGTERM end it cleanly after the current step (log
/// summary written, `--save` honoured).
struct HeadlessRunner {
  let setup: RunSetup
  let outputs: RunOutputs
  let options: TrainOptions

  /// Trains to the end; returns how the run ended.
  func run() throws -> RunSummary.Ending {
    let pool = options.threads > 1 ? WorkerPool(threads: options.threads) : nil
    defer { pool?.shutdown() }
    let trainer = setup.makeTrainer(runner: pool)
    let savePath = options.save
    let log = outputs.log
    var sessionOptions = setup.sessionOptions(save: savePath, checkpointEvery: options.checkpointEvery, force: options.force)
    sessionOptions.epochs = trainer.epoch + (setup.config.epochs ?? 20)
    let info = RunInfo(trainer: trainer, epochs: sessionOptions.epochs)
    let session = TrainingSession(
      trainer: trainer, info: info, control: TrainingControl(), channel: nil, log: log, tensorboard: outputs.tensorboard, options: sessionOptions)
    // A reader that goes away (`nntop … | head`) ends the run like SIGINT
    // does — log summary, --save — instead of killing it with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    // Both closures run on this thread, inside `session.run()` below.
    nonisolated(unsafe) var stdoutEnding: RunSummary.Ending?
    session.stopReason = { stopReasonFromSignals() ?? stdoutEnding }
    let total = sessionOptions.epochs!
    session.onEpoch = { record in
      // Straight to the file descriptor, so a failed write is seen with its
      // cause: a reader gone (EPIPE) ends the run like SIGPIPE; a full disk
      // under a redirection is a failed write.
      fflush(nil)
      let line = Array((Self.line(record, of: total) + "\n").utf8)
      if let error = line.withUnsafeBytes({ OutputFile.writeAll(STDOUT_FILENO, $0) }), stdoutEnding == nil {
        if error == EPIPE {
          stdoutEnding = .outputClosed
        } else {
          warn("standard output: cannot write (\(String(cString: strerror(error))))")
          stdoutEnding = .writeFailed
        }
      }
    }
    print("nntop · \(setup.dataSummary)")
    for note in setup.dataset.readingNotes { print("  \(note)") }
    print(setup.networkSummary)
    outputs.writeHeader(setup: setup, info: info, mode: "headless", checkpointPath: options.load)
    let end = session.run()
    let summary = end.summary
    print(summary.text)
    try RunOutputs.report(end, savedTo: savePath)
    if summary.ending == .diverged {
      throw RunFailure(
        message: "training diverged at step \(trainer.step): the loss became NaN or infinite; try a smaller --lr (now \(shortNumber(trainer.learningRate)))",
        code: 1)
    }
    return summary.ending
  }

  /// `epoch   3/20  loss 0.4123  val_loss 0.3981  acc  88.1%  val_acc  89.7%  η 0.1  samples/s 412,334`
  static func line(_ r: EpochRecord, of total: Int) -> String {
    let width = String(total).count
    var s = "epoch \(String(repeating: " ", count: max(0, width - String(r.epoch).count)))\(r.epoch)/\(total)"
    s += "  loss \(lossText(r.loss))  val_loss \(r.validationLoss.map { lossText($0) } ?? "     -")"
    if r.accuracy != nil {
      s += "  acc \(percentColumn(r.accuracy))  val_acc \(percentColumn(r.validationAccuracy))"
    } else {
      s += "  rmse \(r.rmse.map { lossText($0) } ?? "-")  val_rmse \(r.validationRMSE.map { lossText($0) } ?? "     -")"
    }
    s += "  η \(shortNumber(r.learningRate))  samples/s \(Int(r.samplesPerSecond.rounded()).grouped)"
    let flagged = zip(r.health.indices, r.health).filter { $0.1.status != .ok }
    if !flagged.isEmpty {
      s += "  ⚠ " + flagged.map { "W\($0.0 + 1) \($0.1.status.rawValue)" }.joined(separator: ", ")
    }
    if let o = r.overfitting {
      s += "  ⚠ \(OverfittingVerdict.badge): val_loss \(OverfittingVerdict.times(o.validationLoss, best: o.bestValidationLoss))its best (epoch \(o.bestEpoch)) since epoch \(o.since)"
    }
    return s
  }
}
