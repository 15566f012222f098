@testable import NeuralNet
import Testing

/// The choice between one thread and two for a step's small work, driven
/// with made-up step times.
struct TwoThreadChoiceTests {
  /// Runs `steps` steps, each taking `parallel` or `serial` by the way the
  /// choice says it runs; returns how many of them ran on two threads.
  func run(_ choice: inout TwoThreadChoice, steps: Int, parallel: Duration, serial: Duration) -> Int {
    var twoThreadSteps = 0
    for _ in 0..<steps {
      if choice.parallel { twoThreadSteps += 1 }
      choice.record(choice.parallel ? parallel : serial)
    }
    return twoThreadSteps
  }

  @Test func triesBothWaysThenKeepsTheFaster() {
    let trial = TwoThreadChoice.trialSteps, kept = TwoThreadChoice.keptSteps
    var choice = TwoThreadChoice()
    // The trial: two threads first, then one.
    #expect(run(&choice, steps: trial, parallel: .microseconds(50), serial: .microseconds(60)) == trial)
    #expect(run(&choice, steps: trial, parallel: .microseconds(50), serial: .microseconds(60)) == 0)
    // Two threads were faster: all of the kept steps take them.
    #expect(run(&choice, steps: kept, parallel: .microseconds(50), serial: .microseconds(60)) == kept)
    // The machine changes: the next trial finds one thread faster and keeps it.
    #expect(run(&choice, steps: 2 * trial, parallel: .microseconds(120), serial: .microseconds(60)) == trial)
    #expect(run(&choice, steps: kept, parallel: .microseconds(120), serial: .microseconds(60)) == 0)
    // And a trial later, two threads again.
    _ = run(&choice, steps: 2 * trial, parallel: .microseconds(40), serial: .microseconds(60))
    #expect(choice.parallel)
  }

  @Test func aFewSlowStepsDoNotDecide() {
    // Two threads are faster in most steps, but a third of them (a page
    // fault, an evaluation pass between steps) take 10 ms: the median holds.
    var choice = TwoThreadChoice()
    var step = 0
    for _ in 0..<(2 * TwoThreadChoice.trialSteps) {
      let parallel: Duration = step % 3 == 0 ? .milliseconds(10) : .microseconds(50)
      choice.record(choice.parallel ? parallel : .microseconds(60))
      step += 1
    }
    #expect(choice.parallel)
  }

  @Test func sortedSampleKeepsOrderAndFindsTheMedian() {
    var sample = SortedSample(capacity: 8)
    #expect(sample.median == .zero)
    for ms in [5, 1, 4, 2, 3] { sample.insert(.milliseconds(ms)) }
    #expect(sample.median == .milliseconds(3))
    sample.insert(.milliseconds(0))
    #expect(sample.median == .milliseconds(3))  // the upper of 2 and 3
    sample.removeAll()
    sample.insert(.milliseconds(7))
    #expect(sample.median == .milliseconds(7))
  }
}
