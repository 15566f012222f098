import Testing
import RunEvents
@testable import Training

/// The session's decisions, without a trainer or a thread.
struct SessionMachineTests {
  @Test func pauseResumeAndSingleSteps() {
    var m = SessionMachine(state: .running)
    #expect(m.update(.togglePause, learningRate: 0.1) == [.log(.pause)] && m.state == .paused)
    #expect(m.update(.pause, learningRate: 0.1) == [], "pausing a paused run does nothing")
    #expect(m.update(.step(2), learningRate: 0.1) == [.log(.step(count: 2))] && m.pendingSteps == 2 && m.trains)
    #expect(m.stepDone() == false && m.stepDone() == true && !m.trains)
    #expect(m.update(.resume, learningRate: 0.1) == [.log(.resume)] && m.state == .running)
    // n while running pauses first, then steps.
    #expect(m.update(.step(1), learningRate: 0.1) == [.log(.pause), .log(.step(count: 1))] && m.state == .paused)
  }

  @Test func minusOnlyEverHalvesEtaEvenAfterADivergence() {
    var m = SessionMachine(state: .running)
    m.canRollBack = true
    m.diverge()
    let effects = m.update(.scaleLearningRate(0.5), learningRate: 0.8)
    #expect(effects == [.setLearningRate(0.4), .log(.learningRate(from: 0.8, to: 0.4))])
    #expect(m.state == .diverged, "η ÷ 2 is no roll-back: the run stays diverged")
  }

  @Test func aDivergedRunRefusesToGoOnUntilRolledBackOrReset() {
    var m = SessionMachine(state: .running)
    m.diverge()
    #expect(m.update(.resume, learningRate: 1) == [.notify(SessionMachine.divergedRefusal, .warning)])
    #expect(m.update(.step(1), learningRate: 1) == [.notify(SessionMachine.divergedRefusal, .warning)] && m.pendingSteps == 0)
    guard case .notify(let text, _) = m.update(.rollBack, learningRate: 1).first else {
      Issue.record("d without weights to go back to should say so")
      return
    }
    #expect(text.contains("no weights from before the divergence") && m.state == .diverged)
    m.canRollBack = true
    #expect(m.update(.rollBack, learningRate: 1) == [.rollBack] && m.state == .paused)
  }

  @Test func dOutsideADivergenceSaysWhatItIsFor() {
    var m = SessionMachine(state: .paused)
    m.canRollBack = true
    #expect(m.update(.rollBack, learningRate: 1) == [.notify("d rolls back only after a divergence; - halves η", .warning)])
    #expect(m.state == .paused)
  }

  @Test func resetAfterADivergencePausesAndForgetsTheOldWeights() {
    var m = SessionMachine(state: .running)
    m.canRollBack = true
    m.diverge()
    #expect(m.update(.reinitialize, learningRate: 1) == [.reinitialize, .log(.reset)])
    #expect(m.state == .paused && !m.canRollBack)
  }

  @Test func spaceAfterTheLastEpochTrainsOnWithoutAGoal() {
    var m = SessionMachine(state: .finished)
    #expect(m.update(.togglePause, learningRate: 1) == [.dropEpochGoal, .log(.resume)])
    #expect(m.state == .running && m.openEnded)
  }

  /// `<` and `>` walk full → 10k → 1k → 100 → 10 steps/s and back, each
  /// change an event with both ends; past either end, a note and no event.
  @Test func thePaceWalksItsLadder() {
    var m = SessionMachine(state: .running)
    #expect(m.update(.stepPace(faster: true), learningRate: 1) == [.notify("already at full speed", .info)])
    var rates: [Double?] = []
    for _ in 0..<4 {
      let from = m.pace.stepsPerSecond
      let effects = m.update(.stepPace(faster: false), learningRate: 1)
      #expect(effects == [.log(.pace(from: from, to: m.pace.stepsPerSecond))])
      rates.append(m.pace.stepsPerSecond)
    }
    #expect(rates == [10_000, 1_000, 100, 10])
    #expect(m.update(.stepPace(faster: false), learningRate: 1) == [.notify("already at the slowest pace, 10 steps/s", .info)])
    #expect(m.update(.stepPace(faster: true), learningRate: 1) == [.log(.pace(from: 10, to: 100))])
    // A pace off the ladder (--pace 300) goes to the next rung each way.
    #expect(Pace(stepsPerSecond: 300).stepped(faster: true) == Pace(stepsPerSecond: 1_000))
    #expect(Pace(stepsPerSecond: 300).stepped(faster: false) == Pace(stepsPerSecond: 100))
    #expect(Pace(stepsPerSecond: 5).stepped(faster: false) == Pace(stepsPerSecond: 5), "below the ladder: < never speeds it up")
    #expect(Pace(stepsPerSecond: 5).stepped(faster: true) == Pace(stepsPerSecond: 10))
  }

  @Test func aBadEtaIsRefusedAndStopEnds() {
    var m = SessionMachine(state: .running)
    #expect(m.update(.setLearningRate(-1), learningRate: 1) == [.notify("η must be a positive number, got -1", .error)])
    // + past Float's largest: the product named, not called infinite or not positive.
    #expect(m.update(.scaleLearningRate(2), learningRate: 3e38) == [.notify("η 6e+38 is beyond the largest 32-bit float, 3.4e38", .error)])
    #expect(m.update(.scaleLearningRate(0.5), learningRate: 2e-38) == [.notify("η 1e-38 is below the smallest 32-bit float, 1.2e-38", .error)])
    #expect(m.update(.scaleLearningRate(2), learningRate: 1e38) == [.setLearningRate(2e38), .log(.learningRate(from: 1e38, to: 2e38))])
    #expect(m.update(.save(path: "m.safetensors"), learningRate: 1) == [.save(path: "m.safetensors")])
    #expect(m.update(.stop, learningRate: 1) == [.stop])
  }
}
