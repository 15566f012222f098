import RunEvents
import NumberFormat

/// The session's decisions on a person's commands, as a pure function
/// (`update`): the state before and the command in, the state after and
/// what to do out. `TrainingSession` carries the effects out on the trainer;
/// tests drive this alone, without threads.
public struct SessionMachine: Sendable, Equatable {
  public var state: RunState
  /// Single steps still to run before pausing again (`n`).
  public var pendingSteps = 0
  /// The run trains past its epochs (space after FINISHED).
  public var openEnded = false
  /// Weights from before a divergence exist for `d` to go back to.
  public var canRollBack = false
  /// How fast training may go (`<`, `>`).
  public var pace = Pace.full

  public init(state: RunState) {
    self.state = state
  }

  /// What a command asks of the session, in order.
  public enum Effect: Sendable, Equatable {
    /// End the run.
    case stop
    /// Write this event to the log and fold it into the view.
    case log(EventKind)
    /// A line for the person, not logged (a refusal).
    case notify(String, Notice.Level)
    /// η becomes this (from a person: the plateau's patience restarts).
    case setLearningRate(Float)
    /// Back to the weights from before the divergence, η ÷ 10.
    case rollBack
    case reinitialize
    case save(path: String)
    /// The epoch goal is dropped: the run trains on with no end shown.
    case dropEpochGoal
  }

  static let divergedRefusal = "diverged: press r to re-initialise or d for η ÷ 10 first"

  /// The one place the session's state changes for a command. `learningRate`
  /// is the trainer's η now (for `+`/`-`).
  public mutating func update(_ command: ControlCommand, learningRate: Float) -> [Effect] {
    switch command {
    case .stop:
      return [.stop]
    case .togglePause:
      return update(state == .running ? .pause : .resume, learningRate: learningRate)
    case .pause:
      guard state == .running else { return [] }
      state = .paused
      pendingSteps = 0
      return [.log(.pause)]
    case .resume:
      switch state {
      case .running, .stopped: return []
      case .diverged: return [.notify(Self.divergedRefusal, .warning)]
      case .finished:
        openEnded = true
        state = .running
        return [.dropEpochGoal, .log(.resume)]
      case .paused:
        state = .running
        return [.log(.resume)]
      }
    case .step(let n):
      guard state != .diverged else { return [.notify(Self.divergedRefusal, .warning)] }
      guard n > 0, state != .stopped else { return [] }
      var effects: [Effect] = []
      if state == .running {
        state = .paused
        effects.append(.log(.pause))
      }
      pendingSteps += n
      return effects + [.log(.step(count: n))]
    case .setLearningRate(let eta):
      return change(learningRate, to: Double(eta))
    case .scaleLearningRate(let factor):
      // In Double: past Float's largest the product is named, not called infinite.
      return change(learningRate, to: Double(learningRate) * Double(factor))
    case .rollBack:
      guard state == .diverged else { return [.notify("d rolls back only after a divergence; - halves η", .warning)] }
      guard canRollBack else { return [.notify("no weights from before the divergence to go back to: r re-initialises", .warning)] }
      state = .paused
      return [.rollBack]
    case .reinitialize:
      if state == .diverged { state = .paused }
      canRollBack = false
      return [.reinitialize, .log(.reset)]
    case .save(let path):
      return [.save(path: path)]
    case .stepPace(let faster):
      let next = pace.stepped(faster: faster)
      guard next != pace else { return [.notify(faster ? "already at full speed" : "already at the slowest pace, \(pace.label)", .info)] }
      let old = pace
      pace = next
      return [.log(.pace(from: old.stepsPerSecond, to: next.stepsPerSecond))]
    }
  }

  private func change(_ old: Float, to eta: Double) -> [Effect] {
    if let problem = LearningRateRange.problem(eta, text: general(eta, digits: 3)) { return [.notify(problem, .error)] }
    return [.setLearningRate(Float(eta)), .log(.learningRate(from: old, to: Float(eta)))]
  }

  /// NaN or infinity appeared: the run pauses itself until `r` or `d`.
  public mutating func diverge() {
    state = .diverged
    pendingSteps = 0
  }

  /// A single step ran; true when the last one asked for is done (publish it).
  public mutating func stepDone() -> Bool {
    guard pendingSteps > 0 else { return false }
    pendingSteps -= 1
    return pendingSteps == 0
  }

  /// Whether the loop trains now.
  public var trains: Bool { state == .running || pendingSteps > 0 }
}
