import Diagnosis
import NumberFormat
import RunEvents

/// The view of a torch.distributed run from its ranks' logs: rank 0's
/// curves, state and notices (the lowest rank's, until rank 0's log is
/// there); per layer the mean of the ranks' latest statistics, the smallest
/// and largest ‖∂J/∂W‖, and the worst rank's verdict; each rank's step and
/// pace, a straggler and a lost rank flagged.
struct RankMerge {
  /// Seconds a rank's log may stand still while the others' go on before it is lost.
  static let lostSeconds = 10.0
  /// The ranks already said to be lost (each is said once).
  private var reported: Set<Int> = []
  /// Per rank, since when another rank's log has gained lines this one has
  /// not followed (a pause, where no log grows, is no one's fault).
  private var behindSince: [Int: Double] = [:]

  mutating func view(of logs: [RankLog], now: Double) -> RunView? {
    guard var view = logs.first(where: { $0.view != nil })?.view else { return nil }
    let paces = logs.compactMap(\.stepsPerSecond).sorted()
    let median = paces.isEmpty ? nil : (paces[(paces.count - 1) / 2] + paces[paces.count / 2]) / 2
    for log in logs {
      // Another rank's log grew since this one's, and its step went past this one's (a pause, or
      // rank 0's save acknowledgement, grows one log without any step).
      let step = log.view?.step ?? 0
      let overtaken = logs.contains { $0.rank != log.rank && $0.lastGrowth > log.lastGrowth && ($0.view?.step ?? 0) > step }
      behindSince[log.rank] = overtaken ? behindSince[log.rank] ?? now : nil
    }
    view.ranks = logs.map { log in
      var status = RankStatus(rank: log.rank, step: log.view?.step ?? 0, stepsPerSecond: log.stepsPerSecond)
      let silent = now - log.lastGrowth
      if log.processGone {
        (status.condition, status.note) = (.lost, "its process is gone")
      } else if log.ended {
        status.condition = .ended
      } else if let since = behindSince[log.rank], now - since >= Self.lostSeconds {
        (status.condition, status.note) = (.lost, "silent \(Int(silent)) s")
      } else if let pace = log.stepsPerSecond, let median, median > 0, pace < median * (1 - RankStatus.stragglerShare) {
        (status.condition, status.note) = (.straggler, "\(Int(((1 - pace / median) * 100).rounded())) % slower")
      }
      return status
    }
    for status in view.ranks where status.condition == .lost && !reported.contains(status.rank) {
      reported.insert(status.rank)
      view.notify("rank \(status.rank) lost: \(status.note ?? "")", .warning)
    }
    reported = reported.filter { rank in view.ranks.contains { $0.rank == rank && $0.condition == .lost } }
    mergeLayers(into: &view, logs)
    view.origin = origin(logs, view.origin)
    return view
  }

  /// The mean over ranks of each layer's statistics at the latest step every
  /// rank has measured (the ranks measure the same steps; a rank's line for it
  /// may not be read yet), else each rank's latest; the spread of its
  /// gradient norm, and the worst verdict (named by its rank).
  private func mergeLayers(into view: inout RunView, _ logs: [RankLog]) {
    let count = view.info.layerShapes.count
    let ranks = logs.filter { $0.measured.last?.layers.count == count && count > 0 }
    guard ranks.count > 1 else { return }
    let common = ranks.map { Set($0.measured.map(\.step)) }.reduce(Set(ranks[0].measured.map(\.step))) { $0.intersection($1) }.max()
    let chosen = ranks.map { log in (log.rank, common.flatMap { step in log.measured.last { $0.step == step } } ?? log.measured.last!) }
    view.layers = (0..<count).map { l in LayerStatistics.mean(chosen.map { $0.1.layers[l] })! }
    // A rank's norm can be missing (NaN: a frozen layer, a diverged rank): the spread is over the others.
    let spread = (0..<count).map { l -> ClosedRange<Double>? in
      let norms = chosen.map { $0.1.layers[l].gradientNorm }.filter(\.isFinite)
      guard let low = norms.min(), let high = norms.max() else { return nil }
      return low...high
    }
    view.gradientSpread = spread.allSatisfy { $0 != nil } ? spread.map { $0! } : []
    let judged = chosen.filter { $0.1.health.count == count }
    guard !judged.isEmpty else { return }
    view.health = (0..<count).map { l in
      let worst = judged.max { $0.1.health[l].status < $1.1.health[l].status }!
      var verdict = worst.1.health[l]
      if verdict.status != .ok { verdict.reason = "rank \(worst.0): \(verdict.reason)" }
      return verdict
    }
  }

  /// `pytorch · 2 ranks · vm · pid 4242 · run ended`.
  private func origin(_ logs: [RankLog], _ first: String?) -> String? {
    let parts = (first ?? "").split(separator: " · ", omittingEmptySubsequences: true).map(String.init)
    let ranks = "\(logs.count) ranks"
    guard let source = parts.first else { return ranks }
    return ([source, ranks] + parts.dropFirst()).joined(separator: " · ")
  }
}
