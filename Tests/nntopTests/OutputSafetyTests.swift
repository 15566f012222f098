import Foundation
import Testing
import TestSupport

/// What nntop writes, and what it never writes over (DESIGN.md, "Command
/// line"): never a file it did not write, never a file the same command
/// reads; replacing its own earlier output is said; every write is checked.
@Suite(.serialized)
struct OutputSafetyTests {
  static let data = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.1,0.1,0\n0.9,0.1,1\n0.1,0.9,1\n0.9,0.9,0\n"

  func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

  @Test func theDataIsNeverWrittenOverEvenWithForce() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let csv = dir.write("data.csv", Self.data)
    for flag in ["--save", "--log"] {
      for force in [[], ["--force"]] {
        let r = try NNTopProcess.run(["--headless", "--data", "data.csv", "--epochs", "1", flag, "data.csv"] + force, in: dir.path)
        #expect(r.status == 73, "\(flag) \(force): \(r.stderr)")
        #expect(r.stderr.contains("data.csv: is also what this command reads"), "\(r.stderr)")
        #expect(contents(csv) == Self.data, "\(flag) \(force) changed the data")
      }
    }
  }

  @Test func aUsersFileIsReplacedOnlyWithForce() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let notes = "my notes\n"
    for (flag, name) in [("--save", "notes.safetensors"), ("--log", "notes.jsonl")] {
      let path = dir.write(name, notes)
      let refused = try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", flag, name], in: dir.path)
      #expect(refused.status == 73)
      #expect(refused.stderr.contains("\(name): not a \(flag == "--save" ? "checkpoint" : "run log") nntop wrote; refusing to replace it (--force replaces it)"), "\(refused.stderr)")
      #expect(refused.stdout.isEmpty, "refused before training")
      #expect(contents(path) == notes)
      let forced = try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", flag, name, "--force"], in: dir.path)
      #expect(forced.status == 0, "\(forced.stderr)")
      #expect(forced.stderr.contains("replacing \(name) (--force)"))
      #expect(contents(path) != notes)
    }
  }

  @Test func anEarlierOutputIsReplacedAndSaid() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let args = ["--headless", "--data", "xor", "--epochs", "1", "--log", "run.jsonl", "--save", "m.safetensors"]
    let first = try NNTopProcess.run(args, in: dir.path)
    #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
    let second = try NNTopProcess.run(args + ["--seed", "2"], in: dir.path)
    #expect(second.status == 0)
    #expect(second.stderr.contains("replacing run.jsonl (an earlier nntop run log)"), "\(second.stderr)")
    #expect(second.stderr.contains("replacing m.safetensors (an earlier nntop checkpoint)"), "\(second.stderr)")
    #expect(contents(dir.file("run.jsonl"))?.contains(#""seed":"2""#) == true, "the log is the new run's")
  }

  @Test func twoOutputsOfOneCommandMustDiffer() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["--headless", "--data", "xor", "--log", "x", "--save", "x"], in: dir.path)
    #expect(r.status == 64)
    #expect(r.stderr.contains("--log x and --save x are the same file"))
    #expect(!FileManager.default.fileExists(atPath: dir.file("x")))
  }

  @Test func plotNeverWritesOverItsLogOrAForeignFile() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    #expect(try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "2", "--log", "run.jsonl"], in: dir.path).status == 0)
    let log = contents(dir.file("run.jsonl"))
    let onItself = try NNTopProcess.run(["plot", "run.jsonl", "--out", "run.jsonl", "--force"], in: dir.path)
    #expect(onItself.status == 73 && onItself.stderr.contains("is also what this command reads"))
    #expect(contents(dir.file("run.jsonl")) == log)
    let picture = dir.write("holiday.svg", "<svg>mine</svg>\n")
    let foreign = try NNTopProcess.run(["plot", "run.jsonl", "--out", "holiday.svg"], in: dir.path)
    #expect(foreign.status == 73 && foreign.stderr.contains("not a SVG plot nntop wrote"), "\(foreign.stderr)")
    #expect(contents(picture) == "<svg>mine</svg>\n")
    #expect(try NNTopProcess.run(["plot", "run.jsonl", "--out", "run.svg"], in: dir.path).status == 0)
    let again = try NNTopProcess.run(["plot", "run.jsonl", "--out", "run.svg"], in: dir.path)
    #expect(again.status == 0 && again.stderr.contains("replacing run.svg (an earlier nntop SVG plot)"))
  }

  @Test func benchNeverWritesOverAForeignFile() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let mine = dir.write("results.json", "{\"mine\": true}\n")
    let r = try NNTopProcess.run(["bench", "--workload", "tiny", "--seconds", "0.1", "--json", "results.json"], in: dir.path)
    #expect(r.status == 73 && r.stderr.contains("not a benchmark results nntop wrote"), "\(r.stderr)")
    #expect(contents(mine) == "{\"mine\": true}\n")
    #expect(!r.stdout.contains("samples/s"), "refused before measuring")
  }

  // MARK: - Failed writes

  @Test func aLogOnAFullDeviceEndsTheRunWith74AndStillSaves() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "50", "--log", "/dev/full", "--save", "m.safetensors"], in: dir.path)
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("/dev/full: cannot write the run log (No space left on device)"), "\(r.stderr)")
    #expect(r.stdout.contains("saved m.safetensors"), "the checkpoint is what can still be saved")
    #expect(!r.stdout.contains("epoch 50/50"), "training stopped at the failure, not at the end")
    #expect(try NNTopProcess.run(["predict", "--load", "m.safetensors", "--data", "xor"], in: dir.path).status == 0)
  }

  @Test func standardOutputOnAFullDeviceIs74() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["-c", "'\(NNTopProcess.executable)' --headless --data xor --epochs 5 > /dev/full"], in: dir.path, shell: true)
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("standard output: cannot write (No space left on device)"))
  }

  /// Whether this user may mount a tmpfs (root, outside a locked-down
  /// container); the small-disk tests are skipped where not.
  static let canMountTmpfs: Bool = {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    return (try? withSmallDisk(in: dir, kilobytes: 64) { _ in }) != nil
  }()

  /// Runs `body` with a tmpfs of `kilobytes` mounted at `dir/disk`; throws
  /// where it cannot be mounted.
  static func withSmallDisk(in dir: TemporaryDirectory, kilobytes: Int, _ body: (String) throws -> Void) throws {
    let disk = dir.file("disk")
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
    let mounted = try NNTopProcess.run(["-c", "mount -t tmpfs -o size=\(kilobytes)k tmpfs '\(disk)'"], in: dir.path, shell: true)
    guard mounted.status == 0 else { throw Tmux.Failure(description: "cannot mount a tmpfs: \(mounted.stderr)") }
    defer { _ = try? NNTopProcess.run(["-c", "umount '\(disk)'"], in: "/", shell: true) }
    try body(disk)
  }

  @Test(.enabled(if: canMountTmpfs, "mounting a tmpfs needs root"))
  func aFullDiskStopsTheLogAndTheEventFileWith74() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try Self.withSmallDisk(in: dir, kilobytes: 64) { _ in try fillTheDisk(dir) }
  }

  func fillTheDisk(_ dir: TemporaryDirectory) throws {
    let r = try NNTopProcess.run(
      ["--headless", "--data", "spirals", "--epochs", "5000", "--log", "disk/run.jsonl", "--tensorboard", "disk/tb", "--save", "m.safetensors"], in: dir.path)
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("No space left on device"), "\(r.stderr)")
    #expect(r.stdout.contains("saved m.safetensors"))
    // What reached the disk reads back: every line but a torn last one is whole.
    let lines = (contents(dir.file("disk/run.jsonl")) ?? "").split(separator: "\n")
    #expect(lines.count > 1)
    #expect(lines.dropLast().allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    // The event file alone, on the same disk emptied again.
    try FileManager.default.removeItem(atPath: dir.file("disk/run.jsonl"))
    try FileManager.default.removeItem(atPath: dir.file("disk/tb"))
    let events = try NNTopProcess.run(["--headless", "--data", "spirals", "--epochs", "5000", "--tensorboard", "disk/tb"], in: dir.path)
    #expect(events.status == 74, "\(events.stderr)")
    #expect(events.stderr.contains("cannot write the event file (No space left on device)"), "\(events.stderr)")
  }

  @Test(.enabled(if: canMountTmpfs, "mounting a tmpfs needs root"))
  func aCheckpointThatDoesNotFitFailsWith74AndLeavesNoTemporary() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try Self.withSmallDisk(in: dir, kilobytes: 64) { disk in try saveTooLarge(dir, disk: disk) }
  }

  func saveTooLarge(_ dir: TemporaryDirectory, disk: String) throws {
    // 64-256-10 is 19,210 parameters: 77 kB of weights, more than the disk holds.
    let r = try NNTopProcess.run(["--headless", "--data", "digits", "--layers", "256", "--epochs", "1", "--save", "disk/m.safetensors"], in: dir.path)
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("the final checkpoint was not saved: disk/m.safetensors: cannot write (No space left on device)"), "\(r.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: disk).isEmpty, "a temporary was left behind")
  }

  @Test func staleTemporariesOfACheckpointAreRemovedAtItsNextSave() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // One left by a process that is gone (pid beyond any live one), one of a live process (this one).
    let stale = dir.write(".m.safetensors.4194303.tmp", "half a checkpoint")
    let live = dir.write(".m.safetensors.\(getpid()).tmp", "another save in progress")
    let other = dir.write(".n.safetensors.4194303.tmp", "another file's")
    let r = try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", "--save", "m.safetensors"], in: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: live))
    #expect(FileManager.default.fileExists(atPath: other))
  }
}
