import Datasets
import Foundation
import NeuralNet
import Terminal
import Training

/// Training without the dashboard: a line per epoch on stdout, the run log,
/// a summary, the checkpoint. SIGINT/SIGTERM stop it cleanly after the
/// current step.
struct HeadlessRunner {
  let setup: RunSetup
  let log: RunLog?
  let savePath: String?

  mutating func run() throws {
    let trainer = Trainer(network: setup.network, spec: setup.spec, data: setup.prepared, config: setup.config)
    if let saved = setup.checkpoint {
      trainer.restore(network: saved.network, optimizer: Self.optimizer(from: saved, config: setup.config), step: saved.step, epoch: saved.epoch)
    }
    let epochs = setup.config.epochs ?? 20
    let startEpoch = trainer.epoch
    print("nntop · \(setup.dataSummary)")
    print(setup.networkSummary)
    log?.write(RunHeader.json(setup: setup, mode: "headless"))
    var records: [EpochRecord] = []
    var ending = "completed"
    training: while trainer.epoch < startEpoch + epochs {
      while true {
        if let signal = StopSignals.pending {
          ending = signal == SIGINT ? "interrupted" : "terminated"
          break training
        }
        let (loss, record) = trainer.trainStep()
        if !loss.isFinite {
          ending = "diverged"
          log?.write(.event("diverged", step: trainer.step, [("loss", .finite(loss)), ("lr", .finite(trainer.learningRate))]))
          break training
        }
        if let record {
          records.append(record)
          print(Self.line(record, of: startEpoch + epochs))
          fflush(nil)
          log?.write(.epoch(record))
          break
        }
      }
    }
    let summary = RunSummary(records: records, trainer: trainer, ending: ending)
    log?.write(summary.json)
    log?.close()
    print(summary.text)
    if let savePath {
      try Checkpoint(trainer: trainer, setup: setup).write(to: savePath)
      print("saved \(savePath)")
    }
    if ending == "diverged" {
      throw RunFailure(
        message: "training diverged at step \(trainer.step): the loss became NaN or infinite; try a smaller --lr (now \(formatRate(trainer.learningRate)))",
        code: 1)
    }
  }

  static func optimizer(from saved: Checkpoint, config: TrainingConfig) -> Optimizer {
    var optimizer = saved.optimizer
    optimizer.learningRate = config.learningRate
    if optimizer.kind != config.optimizer { optimizer = Optimizer(kind: config.optimizer, learningRate: config.learningRate) }
    optimizer.momentum = config.momentum
    return optimizer
  }

  /// `epoch   3/20  loss 0.4123  val_loss 0.3981  acc  88.1%  val_acc  89.7%  η 0.1  samples/s 412,334`
  static func line(_ r: EpochRecord, of total: Int) -> String {
    let width = String(total).count
    var s = "epoch \(String(repeating: " ", count: max(0, width - String(r.epoch).count)))\(r.epoch)/\(total)"
    s += "  loss \(fixed(r.loss))  val_loss \(r.validationLoss.map { fixed($0) } ?? "     -")"
    if r.accuracy != nil {
      s += "  acc \(percent(r.accuracy))  val_acc \(percent(r.validationAccuracy))"
    } else {
      s += "  rmse \(r.rmse.map { fixed($0) } ?? "-")  val_rmse \(r.validationRMSE.map { fixed($0) } ?? "     -")"
    }
    s += "  η \(formatRate(r.learningRate))  samples/s \(Int(r.samplesPerSecond.rounded()).grouped)"
    let flagged = zip(r.health.indices, r.health).filter { $0.1.status != .ok }
    if !flagged.isEmpty {
      s += "  ⚠ " + flagged.map { "W\($0.0 + 1) \($0.1.status.rawValue)" }.joined(separator: ", ")
    }
    return s
  }
}

func fixed(_ v: Double) -> String { String(format: "%.4f", v) }

func percent(_ v: Double?) -> String {
  guard let v else { return "    -" }
  return String(format: "%5.1f%%", 100 * v)
}

/// The run log's first line: what was trained, on what, how.
enum RunHeader {
  static func json(setup: RunSetup, mode: String) -> JSON {
    .object([
      ("type", .string("run")),
      ("version", .string(NNTop.configuration.version)),
      ("mode", .string(mode)),
      ("data", .string(setup.dataset.name)),
      ("examples", .number(Double(setup.dataset.count))),
      ("train", .number(Double(setup.prepared.train.count))),
      ("validation", .number(Double(setup.prepared.validation?.count ?? 0))),
      ("task", .string(setup.prepared.encoding.isClassification ? "classification" : "regression")),
      ("classes", .array(setup.prepared.encoding.classNames.map { .string($0) })),
      ("network", .string(setup.network.shapeDescription)),
      ("activations", .array(setup.network.layers.map { .string($0.activation.rawValue) })),
      ("loss_fn", .string(setup.network.loss.rawValue)),
      ("optimizer", .string(setup.config.optimizer.rawValue)),
      ("lr", .finite(setup.config.learningRate)),
      ("batch", .number(Double(setup.config.batchSize))),
      ("l2", .finite(setup.config.l2)),
      ("seed", .string(String(setup.config.seed))),
    ])
  }
}

/// The end of a run: its log line and its printed line.
struct RunSummary {
  let records: [EpochRecord]
  let steps: Int
  let time: Double
  let ending: String
  let epochs: Int

  init(records: [EpochRecord], trainer: Trainer, ending: String) {
    self.records = records
    steps = trainer.step
    time = trainer.trainingTime
    self.ending = ending
    epochs = trainer.epoch
  }

  var best: EpochRecord? {
    records.filter { $0.validationAccuracy != nil }.max { ($0.validationAccuracy!, -$0.epoch) < ($1.validationAccuracy!, -$1.epoch) }
  }

  var json: JSON {
    let last = records.last
    return .object([
      ("type", .string("summary")),
      ("ending", .string(ending)),
      ("epochs", .number(Double(epochs))),
      ("steps", .number(Double(steps))),
      ("time", .finite(time.rounded(toPlaces: 4))),
      ("loss", .finite(last?.loss)),
      ("val_loss", .finite(last?.validationLoss)),
      ("acc", .finite(last?.accuracy)),
      ("val_acc", .finite(last?.validationAccuracy)),
      ("rmse", .finite(last?.rmse)),
      ("val_rmse", .finite(last?.validationRMSE)),
      ("best_val_acc", .finite(best?.validationAccuracy)),
      ("best_epoch", best.map { .number(Double($0.epoch)) } ?? .null),
    ])
  }

  var text: String {
    var s = "\(ending == "completed" ? "done" : ending): \(epochs) epoch\(epochs == 1 ? "" : "s"), \(steps.grouped) steps in \(String(format: "%.2f", time)) s"
    if let last = records.last {
      if let v = last.validationAccuracy {
        s += " · val_acc \(percent(v).trimmingCharacters(in: .whitespaces))"
        if let best, let bestAccuracy = best.validationAccuracy, bestAccuracy > v {
          s += " (best \(percent(best.validationAccuracy).trimmingCharacters(in: .whitespaces)) at epoch \(best.epoch))"
        }
      } else if let a = last.accuracy {
        s += " · acc \(percent(a).trimmingCharacters(in: .whitespaces))"
      }
      if let rmse = last.validationRMSE ?? last.rmse { s += " · rmse \(fixed(rmse))" }
      s += " · loss \(fixed(last.loss))"
    }
    return s
  }
}

extension Checkpoint {
  /// The trainer's current state as a checkpoint.
  init(trainer: Trainer, setup: RunSetup) {
    self.init(
      network: trainer.network, standardizer: trainer.data.standardizer, encoding: trainer.data.encoding,
      featureNames: trainer.data.featureNames, imageShape: trainer.data.imageShape, optimizer: trainer.optimizer,
      step: trainer.step, epoch: trainer.epoch, dataName: setup.dataset.name, seed: setup.config.seed,
      batchSize: setup.config.batchSize)
  }
}
