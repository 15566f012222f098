import Foundation
import NeuralNet
import NumberFormat

/// The person's commands, applied by the session between mini-batches:
/// pause, resume, single steps, η, roll-back, re-initialise, save.
extension TrainingSession {
  /// Applies one command; true when it asks to stop.
  func apply(_ command: ControlCommand) -> Bool {
    switch command {
    case .stop:
      return true
    case .togglePause:
      return apply(state == .running ? .pause : .resume)
    case .pause:
      guard state == .running else { return false }
      state = .paused
      pendingSteps = 0
      event("pause")
    case .resume:
      guard state != .running else { return false }
      if state == .diverged {
        notify(Self.divergedRefusal, .warning)
        break  // published: the refusal is seen
      }
      if state == .finished {
        // "space trains on": past the epochs asked for, with no end shown.
        openEnded = true
        snapshot.info.epochs = nil
      }
      state = .running
      event("resume")
    case .step(let n):
      guard state != .diverged else {
        notify(Self.divergedRefusal, .warning)
        break
      }
      if state == .running {
        state = .paused
        event("pause")
      }
      pendingSteps += n
      event("step", [("count", .number(Double(n)))])
    case .setLearningRate(let eta):
      setLearningRate(eta)
    case .scaleLearningRate(let factor):
      setLearningRate(trainer.learningRate * factor)
    case .rollBack:
      rollBack()
    case .reinitialize:
      trainer.reinitialize()
      trainer.clearStatistics()
      lastGood = nil
      candidate = (trainer.network, trainer.optimizer, trainer.epoch)
      // A new network: its own patience and best, not the old one's.
      plateau = options.plateau
      earlyStop = options.earlyStop
      snapshot.divergence = nil
      if state == .diverged { state = .paused }
      event("reset")
      notify("weights re-initialised", .info)
    case .save(let path):
      save(to: path)
    }
    publish()
    return false
  }

  /// `d` after a divergence: the weights and optimiser state `lastGood`
  /// holds, η ÷ 10 from the smaller of the η that diverged and theirs.
  private func rollBack() {
    guard state == .diverged else {
      notify("d rolls back only after a divergence; - halves η", .warning)
      return
    }
    guard let good = lastGood else {
      notify("no weights from before the divergence to go back to: r re-initialises", .warning)
      return
    }
    let from = trainer.learningRate
    let eta = min(from, good.optimizer.learningRate) * Self.rollBackFactor
    trainer.restore(network: good.network, optimizer: good.optimizer, step: trainer.step, epoch: trainer.epoch)
    trainer.clearStatistics()
    trainer.learningRate = eta
    plateau?.restartPatience()
    state = .paused
    snapshot.divergence = nil
    event("rollback", [("to_epoch", .number(Double(good.epoch))), ("from_lr", .finite(from)), ("lr", .finite(eta))])
    let which = good.epoch == 0 ? "the first weights" : "the weights of epoch \(good.epoch), the best before"
    notify("rolled back to \(which); η = \(shortNumber(eta)): space resumes", .info)
  }

  static let divergedRefusal = "diverged: press r to re-initialise or d for η ÷ 10 first"

  /// η after a roll-back, as a fraction of the smaller η.
  static let rollBackFactor: Float = 0.1

  private func setLearningRate(_ eta: Float) {
    guard eta.isFinite && eta > 0 else {
      notify("η must be a positive number", .error)
      return
    }
    let old = trainer.learningRate
    trainer.learningRate = eta
    plateau?.restartPatience()  // a person chose this η: give it the full patience
    event("lr", [("from", .finite(old)), ("to", .finite(eta))])
    notify("η \(shortNumber(old)) → \(shortNumber(eta))", .info)
  }

  /// Saves a checkpoint; after a divergence, of the weights `d` rolls back to.
  /// Returns why it failed, if it did (also logged and shown).
  @discardableResult
  func save(to path: String, automatic: Bool = false) -> OutputError? {
    var checkpoint = Checkpoint(trainer: trainer)
    let rolledBack = snapshot.divergence != nil && lastGood != nil
    if rolledBack, let good = lastGood {
      checkpoint.network = good.network
      checkpoint.optimizer = good.optimizer
    }
    do {
      try checkpoint.write(to: path, force: options.force)
      savedStep = trainer.step
      event("save", [("path", .string(path)), ("ok", .bool(true))] + (automatic ? [("auto", .bool(true))] : []))
      if !automatic { notify(rolledBack ? "saved the weights from before the divergence to \(path)" : "saved \(path)", .info) }
      return nil
    } catch {
      event("save", [("path", .string(path)), ("ok", .bool(false)), ("error", .string(error.description))])
      notify("save failed: \(error.description)", .error)
      return error
    }
  }
}
