import Foundation
import Testing
import RunEvents
import TestSupport
@testable import Watch

/// A torch.distributed run's ranks, each in its own log, merged into one view.
struct RankMergeTests {
  /// A sample of the two-layer run in `LogFollowerTests.header`.
  func sample(step: Int, time: Double, gradient: Double) -> String {
    let layer = #"{"shape":[4,2],"grad_norm":\#(gradient),"weight_norm":1,"update_ratio":0.001}"#
    let out = #"{"shape":[1,4],"grad_norm":0.5,"weight_norm":1,"update_ratio":0.001}"#
    return #"{"type":"sample","step":\#(step),"time":\#(time),"lr":0.1,"loss":[0.5,0.4,0.6,2],"layers":[\#(layer),\#(out)]}"#
  }

  func header(rank: Int) -> String {
    LogFollowerTests.header.replacingOccurrences(of: #""pid":1"#, with: #""pid":1,"rank":\#(rank),"world_size":2,"sync_every":16"#)
  }

  func write(_ path: String, _ lines: [String]) {
    FileManager.default.createFile(atPath: path, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
  }

  /// Rank 0's and rank 1's logs: each header, then its samples.
  func writeRanks(_ dir: TemporaryDirectory, _ zero: [String], _ one: [String]) {
    write(dir.file("log.jsonl"), [header(rank: 0)] + zero)
    write(dir.file("log.rank1.jsonl"), [header(rank: 1)] + one)
  }

  /// Both ranks' logs at step 10, alike.
  func writeRanksAtStepTen(_ dir: TemporaryDirectory) {
    writeRanks(dir, [sample(step: 10, time: 1, gradient: 0.2)], [sample(step: 10, time: 1, gradient: 0.2)])
  }

  /// The two ranks at step 10, watched and read once (at time 0).
  func watchedRanksAtStepTen(_ dir: TemporaryDirectory) -> WatchedRun {
    writeRanksAtStepTen(dir)
    var run = WatchedRun(path: dir.path)
    _ = run.poll(now: 0)
    return run
  }

  @Test func layersAreMergedOverRanksAndAStragglerIsFlagged() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // Rank 0: 10 steps a second of training time; rank 1: 5, and its first layer's gradient vanishes.
    writeRanks(
      dir, [1, 2, 3].map { sample(step: 10 * $0, time: Double($0), gradient: 0.2) },
      [1, 2, 3].map { sample(step: 10 * $0, time: Double(2 * $0 - 1), gradient: 1e-9) })
    var run = WatchedRun(path: dir.path)
    let changed = run.poll(now: 0)
    #expect(changed)
    #expect(run.rankCount == 2)
    let view = try #require(run.view)
    #expect(view.ranks.map(\.rank) == [0, 1] && view.ranks.map(\.step) == [30, 30])
    #expect(view.ranks.map(\.stepsPerSecond) == [10, 5])
    // The median of 10 and 5 is 7.5; 5 is a third below it.
    #expect(view.ranks.map(\.condition) == [.ok, .straggler])
    #expect(view.ranks[1].note == "33 % slower")
    #expect(abs(view.layers[0].gradientNorm - (0.2 + 1e-9) / 2) < 1e-12 && view.layers[1].gradientNorm == 0.5)
    #expect(view.gradientSpread == [1e-9...0.2, 0.5...0.5])
    #expect(view.health.map(\.status) == [.vanishing, .ok], "the worst rank's verdict")
    #expect(view.health[0].reason == "rank 1: fc1 ‖∂J/∂W‖ 1.0e-09 < 1.0e-06")
    #expect(view.origin == "pytorch · 2 ranks · elsewhere · pid 1")
  }

  @Test func aRankWhoseLogStopsWhileAnotherGoesOnIsLostAndAPauseIsNot() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var run = watchedRanksAtStepTen(dir)
    // Both logs stand still (a pause): no rank is lost.
    _ = run.poll(now: 30)
    #expect(run.view?.ranks.map(\.condition) == [.ok, .ok])
    // Rank 0 goes on, rank 1 does not.
    try LogFollowerTests().append(dir.file("log.jsonl"), sample(step: 20, time: 2, gradient: 0.2) + "\n")
    _ = run.poll(now: 31)
    #expect(run.view?.ranks.map(\.condition) == [.ok, .ok], "one second of silence is not lost")
    _ = run.poll(now: 42)
    let view = try #require(run.view)
    #expect(view.ranks.map(\.condition) == [.ok, .lost])
    #expect(view.ranks[1].note == "silent 42 s")
    #expect(view.notice?.text == "rank 1 lost: silent 42 s")
  }

  @Test func onlyRankZerosLineDuringAPauseIsNoLoss() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var run = watchedRanksAtStepTen(dir)
    // Paused at step 10, rank 0 alone acknowledges a save: its log grows, its step does not.
    try LogFollowerTests().append(dir.file("log.jsonl"), #"{"type":"event","event":"save","step":10,"command_id":4,"path":"checkpoints/step-10.safetensors","ok":true}"# + "\n")
    _ = run.poll(now: 1)
    _ = run.poll(now: 60)
    #expect(run.view?.ranks.map(\.condition) == [.ok, .ok])
  }

  @Test func aRankWithoutAGradientNormLeavesTheSpreadToTheOthers() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // A frozen layer (no grad) is written as null: NaN here.
    writeRanks(dir, [sample(step: 10, time: 1, gradient: 0.2).replacingOccurrences(of: #""grad_norm":0.2"#, with: #""grad_norm":null"#)], [sample(step: 10, time: 1, gradient: 0.3)])
    var run = WatchedRun(path: dir.path)
    _ = run.poll(now: 0)
    let view = try #require(run.view)
    #expect(view.gradientSpread == [0.3...0.3, 0.5...0.5])
  }

  @Test func ranksAreComparedAtTheLatestStepTheyAllMeasured() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // Rank 1's line for step 20 is not written yet: step 10 is compared, not rank 0's 20 with rank 1's 10.
    writeRanks(dir, [sample(step: 10, time: 1, gradient: 0.2), sample(step: 20, time: 2, gradient: 0.4)], [sample(step: 10, time: 1, gradient: 0.3)])
    var run = WatchedRun(path: dir.path)
    _ = run.poll(now: 0)
    let view = try #require(run.view)
    #expect(view.gradientSpread[0] == 0.2...0.3 && abs(view.layers[0].gradientNorm - 0.25) < 1e-12)
    #expect(view.step == 20, "the curves are rank 0's")
  }

  @Test func aSingleLogNamedAloneIsNotMerged() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    writeRanksAtStepTen(dir)
    var run = WatchedRun(path: dir.file("log.rank1.jsonl"))
    _ = run.poll(now: 0)
    #expect(run.rankCount == 1 && run.view?.ranks.isEmpty == true && run.view?.step == 10)
  }
}
