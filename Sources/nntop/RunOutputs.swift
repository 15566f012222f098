import Interop
import Foundation
import NeuralNet
import RunEvents
import Training
import NumberFormat

/// Where a training run writes as it goes: the run log (new, or appended to
/// when `--load` resumes the run it records) and the TensorBoard event file.
struct RunOutputs {
  var log: RunLog?
  var tensorboard: TensorBoardWriter?
  /// The recorded history of the run being resumed (the dashboard continues its curves).
  var resumedHistory: History?
  /// Whether `log` continues an earlier run's log.
  var appends = false

  /// Checks, before anything is written or the dashboard starts, that the
  /// run may write where it was told to (`OutputGuard`'s rules); returns
  /// what it will replace, to be said on stderr.
  static func check(_ options: TrainOptions, setup: RunSetup) throws -> [String] {
    try OutputGuard.distinct([("--log", options.log), ("--save", options.save)])
    let data = setup.source.files
    var notes: [String] = []
    // A run can last hours: find out now, not at the end, that --save cannot be written.
    if let path = options.save {
      if let note = try OutputGuard(force: options.force, inputs: data).check(path, as: .checkpoint), path != options.load { notes.append(note) }
      try OutputFile.checkWritable(path)
    }
    if let path = options.log {
      // The log a resumed run continues is appended to, not replaced.
      let note = try OutputGuard(force: options.force, inputs: data + [options.load].compactMap { $0 }).check(path, as: .runLog)
      if let note, !continuesLog(options, setup: setup) { notes.append(note) }
    }
    return notes
  }

  /// Whether `--log` names an earlier log that this resumed run continues.
  static func continuesLog(_ options: TrainOptions, setup: RunSetup) -> Bool {
    guard setup.checkpoint != nil, let path = options.log else { return false }
    return ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) > 0
  }

  init(_ options: TrainOptions, setup: RunSetup) throws {
    if let path = options.log {
      if let saved = setup.checkpoint, Self.continuesLog(options, setup: setup) {
        let recording = try RunRecording(path: path)
        recording.warnings.forEach(warn)
        let shapes = recording.info.layerShapes.map { [$0.outputs, $0.inputs] }
        guard shapes == saved.network.layers.map({ [$0.outputs, $0.inputs] }) else {
          throw RunFailure(
            message: "\(path) records a \(recording.info.networkDescription) network, not the loaded \(saved.network.shapeDescription) one: give a new --log",
            code: 64)
        }
        resumedHistory = recording.truncated(after: saved.step).view.history
        log = try RunLog(appendingTo: path)
        appends = true
      } else {
        log = try RunLog(path: path)
      }
    }
    if let dir = options.tensorboard {
      tensorboard = try TensorBoardWriter(directory: dir)
      if let saved = setup.checkpoint { tensorboard?.sessionStart(after: saved.step) }
    }
  }

  /// Says where the run's final checkpoint went; fails if it could not be
  /// written (exit 73, or 74 for an I/O error), or if the log or event file
  /// could not be (exit 74), after saying what was saved.
  static func report(_ end: SessionEnd, savedTo path: String?) throws {
    if let path {
      if let error = end.saveError {
        throw RunFailure(message: "the final checkpoint was not saved: \(error)", code: error.code)
      }
      print("saved \(path)")
    }
    if let failure = end.writeFailure {
      throw RunFailure(message: "\(failure): the run stopped at step \(end.summary.steps.grouped)", code: 74)
    }
  }

  /// The log's first line for this run: the `run` header, or, continuing a
  /// log, a `resume-run` event with the new settings.
  func writeHeader(setup: RunSetup, info: RunInfo, mode: String, checkpointPath: String?) {
    guard let log else { return }
    guard appends, let saved = setup.checkpoint else {
      log.write(.run(Self.header(setup: setup, info: info, mode: mode)))
      return
    }
    let resumed = EventKind.resumeRun(
      from: checkpointPath ?? "", epoch: saved.epoch, epochs: info.epochs, learningRate: setup.config.learningRate, mode: mode)
    log.write(.event(EventRecord(step: saved.step, resumed)))
  }

  /// The run log's first line: what was trained, on what, how.
  static func header(setup: RunSetup, info: RunInfo, mode: String) -> RunHeader {
    RunHeader(
      mode: mode, info: info, batchSize: setup.config.batchSize, learningRate: setup.config.learningRate,
      lossFunction: setup.network.loss.rawValue,
      settings: [
        ("version", .string(NNTop.configuration.version)),
        ("examples", .int(setup.dataset.count)),
        ("validation", .int(setup.prepared.validation?.count ?? 0)),
        ("optimizer", .string(setup.config.optimizer.rawValue)),
        ("l2", .finite(setup.config.l2)),
        ("seed", .string(String(setup.config.seed))),
        ("preset", setup.preset.map { .string($0.name) } ?? .null),
        ("resumed_from", setup.checkpoint.map { _ in .string("checkpoint") } ?? .null),
      ])
  }
}
