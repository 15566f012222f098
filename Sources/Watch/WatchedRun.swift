import Diagnosis
import Foundation
import RunEvents

/// A run nntop did not train, followed through its run directory (or one
/// log): `log.jsonl`, and under torch.distributed every rank's
/// `log.rank{R}.jsonl` too, found as they appear. One log's view is shown as
/// it is; several ranks' are merged (`RankMerge`).
public struct WatchedRun {
  /// The run directory; rank 0's log inside it is `log.jsonl`.
  public let directory: String
  public let logPath: String
  public var commandsPath: String { directory + "/commands.jsonl" }
  public private(set) var view: RunView?
  /// Rank 0's log first, then the other ranks' in rank order.
  private var logs: [RankLog]
  private let thresholds: HealthThresholds
  /// Whether the other ranks' logs are looked for (a directory was named).
  private let findsRanks: Bool
  private var lastScan = -Double.infinity
  private var merge = RankMerge()

  /// `path`: a run directory, or a run log inside one (that log alone).
  public init(path: String, thresholds: HealthThresholds = HealthThresholds()) {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    if exists && !isDirectory.boolValue || path.hasSuffix(".jsonl") {
      logPath = path
      directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
      findsRanks = false
    } else {
      directory = path
      logPath = (path as NSString).appendingPathComponent("log.jsonl")
      findsRanks = true
    }
    self.thresholds = thresholds
    logs = [RankLog(path: logPath, rank: 0, thresholds: thresholds, now: 0)]
  }

  /// Lines skipped as damaged, in every log.
  public var warnings: [String] { logs.flatMap(\.warnings) }

  /// The ranks whose logs are followed.
  public var rankCount: Int { logs.count }

  /// Whether the run directory holds other ranks' logs (a torch.distributed run).
  public var hasRankLogs: Bool { findsRanks && !Self.rankLogs(in: directory).isEmpty }

  /// The `log.rank{R}.jsonl` files in `directory`, by rank.
  static func rankLogs(in directory: String) -> [(rank: Int, name: String)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.compactMap { name in
      guard name.hasPrefix("log.rank"), name.hasSuffix(".jsonl"), let rank = Int(name.dropFirst("log.rank".count).dropLast(".jsonl".count)), rank > 0
      else { return nil }
      return (rank, name)
    }.sorted { $0.rank < $1.rank }
  }

  /// Reads what the logs gained, looks for new ranks' logs and checks the
  /// processes now and then (`now`: seconds on any steady clock); true when
  /// the view changed.
  public mutating func poll(now: Double) -> Bool {
    var changed = false
    let scan = now - lastScan >= 1
    if scan {
      lastScan = now
      if findsRanks { findRankLogs(now: now) }
    }
    for i in logs.indices { changed = logs[i].poll(now: now) || changed }
    if scan {
      for i in logs.indices { changed = logs[i].checkProcess() || changed }
    }
    if logs.count > 1 {
      let merged = merge.view(of: logs, now: now)
      changed = changed || merged != view
      view = merged
    } else if changed {
      view = logs[0].view
    }
    return changed
  }

  /// Adds the `log.rank{R}.jsonl` files not followed yet.
  private mutating func findRankLogs(now: Double) {
    for (rank, name) in Self.rankLogs(in: directory) where !logs.contains(where: { $0.rank == rank }) {
      logs.append(RankLog(path: (directory as NSString).appendingPathComponent(name), rank: rank, thresholds: thresholds, now: now))
    }
    logs[1...].sort { $0.rank < $1.rank }
  }
}
