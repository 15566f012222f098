import Foundation
import Testing
import TestSupport

/// The monkey test: the real `nntop` in tmux, driven for a while
/// (`NNTOP_SOAK_SECONDS`, default 60) by a seeded random stream of keys,
/// η typing, resizes (down to 1×1 and up to 300×100) and pauses. Nothing may
/// crash, resident memory at the end must be within 10 % of its value after
/// warm-up, and `q` must still end the run with status 0.
///
/// `NNTOP_SOAK_SEED` picks the sequence (printed, with the RSS numbers, on a
/// `soak:` line); given the seed the moves are the same, only their timing
/// against the trainer differs. `Benchmarks/soak.sh` runs it for 10 minutes.
@Suite(.serialized)
struct SoakTests {
  /// SplitMix64: small, seedable, the same on every platform.
  struct Random: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
  }

  /// One thing the monkey does: tmux key names (`send-keys KEY…`), literal
  /// text (`send-keys -l`), a resize, or a pause.
  enum Move: CustomStringConvertible {
    case keys([String])
    case text(String)
    case resize(Int, Int)
    case pause(Double)

    var description: String {
      switch self {
      case .keys(let k): k.joined(separator: " ")
      case .text(let t): "'\(t)'"
      case .resize(let w, let h): "resize \(w)×\(h)"
      case .pause(let s): String(format: "pause %.2fs", s)
      }
    }
  }

  // The dashboard's keys (Sources/Dashboard/State/Key.swift) as tmux names;
  // never q, Q, F10, C-c or C-\ (quit), nor C-z, C-s, C-q (job and flow control).
  static let tableKeys = ["Space", "n", "+", "=", "-", "_", "Tab", "l", "a", "t", "s", "d", "w", "<", ">", "?", "h", "Escape"]
  static let arrows = ["Up", "Down", "Left", "Right", "Home", "End", "BTab"]
  static let garbageKeys = [
    "BSpace", "DC", "IC", "PPage", "NPage", "Enter", "F1", "F2", "F3", "F5", "F9", "F11", "F12",
    "C-a", "C-b", "C-e", "C-g", "C-k", "C-l", "C-u", "C-w", "C-x", "M-x", "M-a", "M-Enter", "y", "g", "G", "[", "]",
  ]
  /// Printable garbage: ASCII without q/Q (and without `;`, tmux's command separator), some wider scalars.
  static let garbageCharacters: [String] =
    (32...126).map { String(UnicodeScalar(UInt8($0))) }.filter { !["q", "Q", ";"].contains($0) } + ["é", "λ", "€", "∂", "字", "🙂"]
  static let numberCharacters = "0123456789.eE-+".map(String.init)
  static let sizes = [(120, 40), (80, 24), (79, 24), (80, 23), (100, 30), (60, 20), (40, 12), (20, 5), (1, 1), (2, 2), (160, 50), (200, 60), (300, 100), (81, 25)]

  static func randomMove(_ rng: inout Random) -> [Move] {
    let roll = Double.random(in: 0..<1, using: &rng)
    switch roll {
    case ..<0.42: return [.text(rng.pick(tableKeys)).literal]
    case ..<0.50: return [.keys([rng.pick(arrows)])]
    case ..<0.58:
      return [rng.chance(0.5) ? .keys([rng.pick(garbageKeys)]) : .text(rng.pick(garbageCharacters))]
    case ..<0.66: return typeLearningRate(&rng)
    case ..<0.71:
      // r, then (the run may ask y/n) n, Esc, rarely y, or nothing.
      var moves: [Move] = [.text("r"), .pause(Double.random(in: 0...0.4, using: &rng))]
      let answer = Double.random(in: 0..<1, using: &rng)
      if answer < 0.45 { moves.append(.text("n")) } else if answer < 0.8 { moves.append(.keys(["Escape"])) } else if answer < 0.9 { moves.append(.text("y")) }
      return moves
    case ..<0.79:
      // A burst: several keys in one write, as a fast typist or a paste.
      let count = Int.random(in: 2...10, using: &rng)
      return [.keys((0..<count).map { _ in rng.chance(0.7) ? literalKeyName(rng.pick(tableKeys)) : rng.pick(arrows + garbageKeys) })]
    case ..<0.90:
      if rng.chance(0.5) { let (w, h) = rng.pick(sizes); return [.resize(w, h)] }
      return [.resize(Int.random(in: 1...260, using: &rng), Int.random(in: 1...90, using: &rng))]
    default:
      return [.pause(rng.chance(0.85) ? Double.random(in: 0.1...0.8, using: &rng) : Double.random(in: 1...4, using: &rng))]
    }
  }

  /// e, a few characters (mostly those of a number), Enter or Esc.
  static func typeLearningRate(_ rng: inout Random) -> [Move] {
    var moves: [Move] = [.text("e")]
    for _ in 0..<Int.random(in: 0...8, using: &rng) {
      let r = Double.random(in: 0..<1, using: &rng)
      moves.append(r < 0.75 ? .text(rng.pick(numberCharacters)) : r < 0.9 ? .keys(["BSpace"]) : .text(rng.pick(garbageCharacters)))
    }
    if rng.chance(0.6) {
      moves.append(.keys(["Enter"]))
      // A rejected number leaves the prompt open: sometimes give up on it.
      if rng.chance(0.5) { moves += [.pause(0.1), .keys(["Escape"])] }
    } else {
      moves.append(.keys(["Escape"]))
    }
    return moves
  }

  /// tmux's name for a key given as text (`send-keys` without `-l`).
  static func literalKeyName(_ key: String) -> String {
    switch key {
    case " ": "Space"
    default: key
    }
  }

  /// The warm-up tour: every key and every listed size once, so the
  /// memory measured after warm-up has seen all of them.
  static let tour: [Move] = {
    var moves: [Move] = []
    for key in ["Space", "Space", "n", "n", "Space", "+", "-", "Tab", "Tab", "l", "a", "t", "t", "t", "t", "t", "t", "s", "d", "w", "<", ">", "?", "Escape", "?", "Tab", "l", "a"] {
      moves += [.text(key).literal, .pause(0.15)]
    }
    moves += [.text("e"), .text("0"), .text("."), .text("0"), .text("5"), .keys(["Enter"]), .pause(0.2)]
    moves += [.text("e"), .text("x"), .keys(["Enter"]), .keys(["Escape"]), .pause(0.2)]
    moves += [.text("r"), .pause(0.3), .text("n"), .pause(0.1), .keys(["Escape"]), .pause(0.2)]
    for key in arrows { moves += [.keys([key]), .pause(0.05)] }
    for (w, h) in sizes { moves += [.resize(w, h), .pause(0.3)] }
    moves += [.resize(120, 40), .pause(0.5)]
    return moves
  }()

  // MARK: The process

  /// nntop's pid: the descendant of the pane's process named `nntop`.
  static func nntopPid(_ tmux: Tmux) throws -> pid_t? {
    let panePid = try tmux.run(["list-panes", "-t", "main", "-F", "#{pane_pid}"]).split(separator: "\n").first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    guard let panePid else { return nil }
    var parents: [pid_t: [pid_t]] = [:]
    var names: [pid_t: String] = [:]
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
        let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
      else { continue }
      names[pid] = String(stat[stat.index(after: open)..<close])
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      if fields.count > 1, let ppid = pid_t(fields[1]) { parents[ppid, default: []].append(pid) }
    }
    var queue = [panePid]
    while let pid = queue.popLast() {
      if names[pid] == "nntop" { return pid }
      queue += parents[pid] ?? []
    }
    return nil
  }

  /// VmRSS in KiB, nil once the process is gone.
  static func rss(_ pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return nil }
    return Int(line.split(separator: " ").dropFirst().first ?? "")
  }

  /// Running or sleeping, not a zombie and not gone.
  static func alive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let state = status.split(separator: "\n").first(where: { $0.hasPrefix("State:") })
    else { return false }
    return !state.contains("Z") && !state.contains("X")
  }

  static func statusLine(_ screen: [String]) -> String {
    screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
  }

  static let stateWords = ["RUNNING", "PAUSED", "FINISHED", "DIVERGED"]

  static var seconds: Double {
    ProcessInfo.processInfo.environment["NNTOP_SOAK_SECONDS"].flatMap(Double.init) ?? 60
  }

  static var seed: UInt64 {
    ProcessInfo.processInfo.environment["NNTOP_SOAK_SEED"].flatMap { UInt64($0) } ?? 0x6E6E_746F_7039
  }

  @Test func aMonkeyNeitherCrashesNorLeaks() throws {
    let duration = Self.seconds, seed = Self.seed
    let dir = TemporaryDirectory("nntop-soak")
    let tmux = Tmux(width: 120, height: 40)
    var rng = Random(state: seed)
    var recent: [String] = []  // the last moves, for the failure report
    var samples: [(t: Double, kib: Int)] = []
    var finishedCleanly = false
    defer { if finishedCleanly { dir.remove() } else { print("soak: kept \(dir.path) (the log, err.txt, checkpoints)") } }

    /// What a failure report needs: the seed, the last moves, the screen, stderr.
    func context() -> String {
      let screen = (try? tmux.capture())?.joined(separator: "\n") ?? "(no screen)"
      let err = (try? String(contentsOfFile: dir.file("err.txt"), encoding: .utf8)) ?? ""
      let exit = (try? String(contentsOfFile: dir.file("exit.txt"), encoding: .utf8)) ?? "(still running)"
      return """
        seed \(seed) (NNTOP_SOAK_SEED=\(seed)), \(duration) s
        last moves: \(recent.joined(separator: " · "))
        exit: \(exit.trimmingCharacters(in: .whitespacesAndNewlines))
        stderr:
        \(err.suffix(4000))
        screen:
        \(screen)
        """
    }

    try tmux.start(
      "cd '\(dir.path)' && '\(NNTopProcess.executable)' --data spirals --log run.jsonl 2> err.txt; echo EXIT=$? > exit.txt; exec sleep 3600",
      environment: ["LANG": "C.UTF-8"])
    try tmux.waitFor("the first frame") { s in Self.stateWords.contains { Self.statusLine(s).contains($0) } }
    let pid = try #require(try Self.nntopPid(tmux), "no nntop process under the pane\n\(context())")

    func perform(_ move: Move) throws {
      recent.append(move.description)
      if recent.count > 40 { recent.removeFirst(recent.count - 40) }
      switch move {
      case .keys(let keys): try tmux.run(["send-keys", "-t", "main"] + keys)
      case .text(let text): try tmux.run(["send-keys", "-t", "main", "-l", "--", text])
      case .resize(let w, let h): try tmux.resize(width: w, height: h)
      case .pause(let s): usleep(useconds_t(s * 1_000_000))
      }
    }

    let start = Date()
    var elapsed: Double { Date().timeIntervalSince(start) }
    var lastSample = -1.0
    var warmUp: Int?
    let warmUpAt = duration * 0.25
    var moves = 0
    var crashed = false
    var queue = Self.tour
    var toured = false
    monkey: while elapsed < duration {
      if queue.isEmpty {
        toured = true
        queue = Self.randomMove(&rng)
        // Between moves mostly a short gap, sometimes none at all.
        let gap = Double.random(in: 0..<1, using: &rng)
        if gap < 0.7 { queue.append(.pause(Double.random(in: 0...0.06, using: &rng))) } else if gap < 0.9 { queue.append(.pause(0.15)) }
      }
      try perform(queue.removeFirst())
      moves += 1
      if elapsed - lastSample >= 1 {
        lastSample = elapsed
        guard Self.alive(pid), let kib = Self.rss(pid) else {
          crashed = true
          break monkey
        }
        samples.append((elapsed, kib))
        // The first sample after warm-up, once the tour is done.
        if warmUp == nil && elapsed >= warmUpAt && toured { warmUp = kib }
      }
    }
    if crashed || !Self.alive(pid) {
      Issue.record("nntop died after \(String(format: "%.1f", elapsed)) s and \(moves) moves\n\(context())")
      return
    }

    // Back to a normal terminal with nothing open, then the last sample.
    try perform(.resize(120, 40))
    try perform(.keys(["Escape"]))
    try perform(.pause(0.4))
    try perform(.keys(["Escape"]))
    try perform(.pause(1))
    let final = try #require(Self.rss(pid), "nntop gone at the end\n\(context())")
    samples.append((elapsed, final))
    let peak = samples.map(\.kib).max() ?? final
    let baseline = try #require(warmUp ?? samples.first?.kib)
    let change = Double(final - baseline) / Double(baseline) * 100
    let trace = stride(from: 0, to: samples.count, by: max(samples.count / 10, 1)).map { "\(Int(samples[$0].t))s:\(samples[$0].kib)" }
    print(
      "soak: seed=\(seed) seconds=\(Int(duration)) moves=\(moves) warmup_rss_kib=\(baseline) final_rss_kib=\(final) max_rss_kib=\(peak) change=\(String(format: "%+.1f", change))% trace=\(trace.joined(separator: ","))"
    )
    #expect(Self.alive(pid), "nntop died at the end\n\(context())")
    #expect(abs(change) <= 10, "RSS \(baseline) KiB after warm-up, \(final) KiB at the end (\(String(format: "%+.1f", change)) %), max \(peak)\n\(context())")

    // The dashboard still draws its status line.
    do {
      try tmux.waitFor("the status line", timeout: 15) { s in Self.stateWords.contains { Self.statusLine(s).contains($0) } }
    } catch {
      Issue.record("no status line at the end: \(error)\n\(context())")
    }

    // q quits with status 0 (answering q again if it asks about saving).
    try perform(.text("q"))
    var exit: String?
    let deadline = Date().addingTimeInterval(45)
    var askedAgain = false
    while Date() < deadline {
      if let text = try? String(contentsOfFile: dir.file("exit.txt"), encoding: .utf8) {
        exit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        break
      }
      if !askedAgain && Date() > deadline.addingTimeInterval(-42) {
        askedAgain = true
        try perform(.text("q"))
      }
      usleep(50_000)
    }
    #expect(exit == "EXIT=0", "nntop did not quit cleanly: \(exit ?? "still running")\n\(context())")
    let lines = (try? String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8))?.split(separator: "\n") ?? []
    let objects = lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    #expect(objects.allSatisfy { $0 != nil }, "a log line is not complete JSON\n\(context())")
    let events = Dictionary(grouping: objects.compactMap { $0?["event"] as? String }, by: { $0 }).mapValues(\.count)
    print("soak: events \(events.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    let last = objects.last ?? nil
    #expect(last?["type"] as? String == "summary" && last?["ending"] as? String == "quit", "the log does not end with the quit summary\n\(context())")
    finishedCleanly = exit == "EXIT=0"
  }
}

extension SoakTests.Move {
  /// A key given as a name or character: literal text except for the names
  /// tmux must translate (Space, Tab, Escape).
  var literal: SoakTests.Move {
    guard case .text(let key) = self else { return self }
    return ["Space", "Tab", "Escape"].contains(key) ? .keys([key]) : self
  }
}
