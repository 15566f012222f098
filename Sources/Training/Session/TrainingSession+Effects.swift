import Interop
import Foundation
import NeuralNet
import NumberFormat
import RunEvents

/// What `SessionMachine` decides, carried out on the trainer: η, roll-back,
/// re-initialising, saving, and the events and notices they bring.
extension TrainingSession {
  /// Carries out a command's effects in order, then publishes; true when they end the run.
  func perform(_ effects: [SessionMachine.Effect]) -> Bool {
    for effect in effects {
      switch effect {
      case .stop:
        return true
      case .log(let kind):
        emit(kind)
      case .notify(let text, let level):
        view.notify(text, level)
      case .setLearningRate(let eta):
        trainer.learningRate = eta
        plateau?.restartPatience()  // a person chose this η: give it the full patience
      case .rollBack:
        rollBack()
      case .reinitialize:
        trainer.reinitialize()
        trainer.clearStatistics()
        overfitting = false
        lastGood = nil
        candidate = (trainer.network, trainer.optimizer, trainer.epoch)
        // A new network: its own patience and best, not the old one's.
        plateau = options.plateau
        earlyStop = options.earlyStop
      case .save(let path):
        save(to: path)
      case .dropEpochGoal:
        view.info.epochs = nil
      }
    }
    publish()
    return false
  }

  /// `d` after a divergence: the weights and optimiser state `lastGood`
  /// holds, η ÷ 10 from the smaller of the η that diverged and theirs.
  private func rollBack() {
    guard let good = lastGood else { return }  // the machine asked only with weights to go back to
    let from = trainer.learningRate
    let eta = min(from, good.optimizer.learningRate) * Self.rollBackFactor
    trainer.restore(network: good.network, optimizer: good.optimizer, step: trainer.step, epoch: trainer.epoch)
    trainer.clearStatistics()
    trainer.learningRate = eta
    plateau?.restartPatience()
    emit(.rollback(toEpoch: good.epoch, fromLearningRate: from, learningRate: eta))
  }

  /// η after a roll-back, as a fraction of the smaller η.
  static let rollBackFactor: Float = 0.1

  /// Saves a checkpoint; after a divergence, of the weights `d` rolls back to.
  /// Returns why it failed, if it did (also logged and shown).
  @discardableResult
  func save(to path: String, automatic: Bool = false) -> OutputError? {
    var checkpoint = Checkpoint(trainer: trainer)
    let rolledBack = view.divergence != nil && lastGood != nil
    if rolledBack, let good = lastGood {
      checkpoint.network = good.network
      checkpoint.optimizer = good.optimizer
    }
    do {
      try checkpoint.write(to: path, force: options.force)
      savedStep = trainer.step
      emit(.save(path: path, ok: true, automatic: automatic, error: nil))
      if rolledBack && !automatic { view.notify("saved the weights from before the divergence to \(path)", .info) }
      return nil
    } catch {
      emit(.save(path: path, ok: false, automatic: automatic, error: error.description))
      return error
    }
  }
}
