import Foundation
import Testing

@testable import Training

/// The clock of stopped time (Ctrl-Z) that training time leaves out.
struct ProcessStopsTests {
  @Test func aStopCountsFromStoppingToResumedAndAStopInProgressCountsToNow() {
    let before = ProcessStops.stoppedSeconds
    ProcessStops.stopping()
    usleep(200_000)
    let during = ProcessStops.stoppedSeconds - before
    #expect(during >= 0.19 && during < 5, "a stop in progress counts up to now: \(during)")
    ProcessStops.resumed()
    let after = ProcessStops.stoppedSeconds - before
    #expect(after >= during && after < 5)
    usleep(100_000)
    #expect(ProcessStops.stoppedSeconds - before == after, "no stop in progress: the clock stands")
  }
}
