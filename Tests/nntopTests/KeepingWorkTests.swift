import Foundation
import Testing
import TestSupport

/// Work is not dropped silently: a resumed model trained on is not thrown
/// away by `q` without a question; a network too large is refused before it
/// is allocated; a damaged log still replays.
@Suite(.serialized)
struct KeepingWorkTests {
  static func status(_ screen: [String]) -> String { screen.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? "" }

  func savedStep(_ path: String) throws -> Int {
    let r = try NNTopProcess.run(["predict", "--load", path, "--data", "xor"])
    #expect(r.status == 0)
    // The checkpoint's own account of where training stood.
    let data = try #require(FileManager.default.contents(atPath: path))
    let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let header = try #require(try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any])
    let metadata = try #require(header["__metadata__"] as? [String: String])
    let text = try #require(metadata["training"])
    let training = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    return try #require(training["step"] as? Int)
  }

  @Test func quittingAResumedRunAsksAndSavesBackToTheLoadedFile() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    #expect(try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "2", "--save", "m.safetensors"], in: dir.path).status == 0)
    let before = try savedStep(dir.file("m.safetensors"))
    let tmux = Tmux()
    try tmux.launchNNTop(in: dir, "--data xor --load m.safetensors")
    try tmux.waitFor("the paused dashboard") { Self.status($0).contains("PAUSED") }
    try tmux.send("n")
    try tmux.waitFor("one step") { Self.status($0).contains("step \(before + 1)") }
    try tmux.send("q")
    try tmux.waitFor("the question") { Self.status($0).contains("unsaved training: s saves to m.safetensors and quits · q quits unsaved · Esc goes on") }
    try tmux.send("Escape")
    try tmux.waitFor("the status line again") { Self.status($0).contains("PAUSED") }
    try tmux.send("q")
    try tmux.waitFor("the question again") { Self.status($0).contains("unsaved training") }
    try tmux.send("s")
    #expect(try dir.exitStatus() == "EXIT=0")
    #expect(try savedStep(dir.file("m.safetensors")) == before + 1, "the step trained was saved back")
  }

  @Test func quittingAResumedRunThatSavedAsksNothing() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    #expect(try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", "--save", "m.safetensors"], in: dir.path).status == 0)
    let tmux = Tmux()
    try tmux.launchNNTop(in: dir, "--data xor --load m.safetensors")
    try tmux.waitFor("the paused dashboard") { Self.status($0).contains("PAUSED") }
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0", "nothing trained since the load: nothing to lose")
  }

  @Test func aNetworkTooLargeForMemoryIsRefusedInOneLine() throws {
    let r = try NNTopProcess.run(["--headless", "--data", "xor", "--layers", "65536,65536", "--epochs", "1"])
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1)
    // 2·65536 + 65536 + 65536² + 65536 + 65536 + 1 weights and biases.
    #expect(r.stderr.contains("network 2-65536-65536-1 has 4,295,294,977 parameters: training it needs about"), "\(r.stderr)")
    #expect(r.stderr.contains("GB of memory") && r.stderr.contains("available"))
    let overflow = try NNTopProcess.run(["--headless", "--data", "xor", "--layers", "4294967296,4294967296"])
    #expect(overflow.status == 64 && overflow.stderr.contains("too large"), "\(overflow.stderr)")
  }

  @Test func replayShowsALogWithADamagedLineAndNamesIt() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    #expect(try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "3", "--log", "run.jsonl"], in: dir.path).status == 0)
    var lines = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let torn = try #require(lines.firstIndex { $0.contains(#""type":"sample""#) })
    lines[torn] = String(lines[torn].prefix(lines[torn].count / 2))  // torn in the middle of the file
    try lines.joined(separator: "\n").write(toFile: dir.file("run.jsonl"), atomically: true, encoding: .utf8)
    let r = try NNTopProcess.run(["replay", "run.jsonl"], in: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("run.jsonl:\(torn + 1): skipped: not a JSON line"), "\(r.stderr)")
    #expect(r.stdout.contains("3 epochs"), "\(r.stdout)")
  }
}
