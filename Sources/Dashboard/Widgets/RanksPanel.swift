import NumberFormat
import RunEvents

/// A torch.distributed run's ranks, a row each: its step, its pace and how it
/// compares (`straggler: 38 % slower` than the median pace, `lost: silent
/// 14 s`). When they do not all fit, the flagged ranks come first.
public struct RanksPanel {
  public var ranks: [RankStatus]

  public init(ranks: [RankStatus]) { self.ranks = ranks }

  /// Rows it wants: one per rank.
  public var preferredHeight: Int { ranks.count }

  static func word(_ condition: RankStatus.Condition) -> String {
    switch condition {
    case .ok: "ok"
    case .straggler: "straggler"
    case .lost: "lost"
    case .ended: "ended"
    }
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0 else { return }
    let cut = ranks.count > area.height
    let listed = cut ? Array(ranks.sorted { ($0.condition == .ok ? 1 : 0, $0.rank) < ($1.condition == .ok ? 1 : 0, $1.rank) }.prefix(area.height - 1)) : ranks
    var y = area.y
    for status in listed {
      let color = status.condition == .ok || status.condition == .ended ? theme.ok : status.condition == .lost ? theme.bad : theme.warn
      let pace = status.stepsPerSecond.map { "\(ChartFormat.count($0)) steps/s" } ?? "–"
      var x = buffer.setString(x: area.x, y: y, pad("r\(status.rank)", to: 4) + pad("step \(status.step.grouped)", to: 13) + pad(pace, to: 12),
        style: theme.base, maxWidth: area.width)
      let verdict = Self.word(status.condition) + (status.note.map { ": \($0)" } ?? "")
      x = buffer.setString(x: x, y: y, truncate(verdict, to: max(area.right - x, 0), symbols: symbols),
        style: theme.badge(color, emphasis: status.condition == .straggler || status.condition == .lost), maxWidth: max(area.right - x, 0))
      y += 1
    }
    if cut {
      let hidden = ranks.count - listed.count
      buffer.setString(x: area.x, y: y, truncate("+\(hidden) more ranks, flagged first", to: area.width, symbols: symbols), style: theme.dimmed)
    }
  }
}
