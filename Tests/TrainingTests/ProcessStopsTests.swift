import Foundation
import Testing

import RunEvents
@testable import Training

/// The clock of stopped time (Ctrl-Z) that training time leaves out.
struct ProcessStopsTests {
  @Test func aStopCountsFromStoppingToResumedAndAStopInProgressCountsToNow() {
    let stops = ProcessStops()  // not the process's: its trainers in other tests stay undisturbed
    let before = stops.stoppedSeconds
    stops.stopping()
    usleep(200_000)
    let during = stops.stoppedSeconds - before
    #expect(during >= 0.19 && during < 5, "a stop in progress counts up to now: \(during)")
    stops.resumed()
    let after = stops.stoppedSeconds - before
    #expect(after >= during && after < 5)
    usleep(100_000)
    #expect(stops.stoppedSeconds - before == after, "no stop in progress: the clock stands")
  }
}
