import Dashboard
import RunEvents

/// Several runs in one dashboard: each run's own feed (a watched run, a
/// replay, another tool's log), their latest views sent together. The keys
/// go to the selected run's feed; a replay's clock keys go to every replay,
/// so the runs play on one clock.
struct ComparedFeed: DashboardFeed {
  private var feeds: [any DashboardFeed]
  private let names: [String]
  private var views: [RunView?]
  private var selected = 0

  init(feeds: [any DashboardFeed], names: [String]) {
    self.feeds = feeds
    self.names = names
    views = Array(repeating: nil, count: feeds.count)
  }

  mutating func poll(now: Double) -> [DashboardMessage] {
    var messages: [DashboardMessage] = []
    var changed = false
    for i in feeds.indices {
      for message in feeds[i].poll(now: now) {
        switch message {
        case .snapshot(let view):
          views[i] = view
          changed = true
        case .replayStatus where i == selected:
          messages.append(message)
        case .note(let text, let level):
          messages.append(.note("\(ComparedRun.letter(i)) \(names[i]): \(text)", level))
        default:
          break
        }
      }
    }
    if changed { messages.insert(.runs(zip(names, views).map { ComparedRun(name: $0, view: $1) }), at: 0) }
    return messages
  }

  mutating func perform(_ effect: DashboardEffect) {
    switch effect {
    case .selectRun(let index):
      selected = index
    case .replay:
      for i in feeds.indices { feeds[i].perform(effect) }
    default:
      feeds[selected].perform(effect)
    }
  }
}
