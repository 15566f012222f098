/// The `event` line, both directions: `{"type":"event","event":name,"step":S, …fields}`.
extension EventRecord {
  public var json: JSON {
    let fields: [(String, JSON)] =
      switch kind {
      case .pause, .resume, .reset, .stop: []
      case .step(let count): [("count", .int(count))]
      case .learningRate(let from, let to): [("from", .finite(from)), ("to", .finite(to))]
      case .reducedLearningRate(let epoch, let from, let to): [("epoch", .int(epoch)), ("from", .finite(from)), ("to", .finite(to))]
      case .diverged(let loss, let eta, let at): [("loss", .finite(loss)), ("lr", .finite(eta)), ("where", .string(at))]
      case .rollback(let epoch, let from, let eta): [("to_epoch", .int(epoch)), ("from_lr", .finite(from)), ("lr", .finite(eta))]
      case .save(let path, let ok, let automatic, let error):
        [("path", .string(path)), ("ok", .bool(ok))] + (automatic ? [("auto", .bool(true))] : []) + (error.map { [("error", .string($0))] } ?? [])
      case .earlyStop(let epoch, let best, let loss): [("epoch", .int(epoch)), ("best_epoch", .int(best)), ("best_loss", .finite(loss))]
      case .finished(let epoch): [("epoch", .int(epoch))]
      case .overfitting(let since, let best, let bestLoss, let loss):
        [("since", .int(since)), ("best_epoch", .int(best)), ("best_val_loss", .finite(bestLoss)), ("val_loss", .finite(loss))]
      case .pace(let from, let to): [("from", .finite(from)), ("to", .finite(to))]
      case .refused(let command, let reason): [("command", .string(command)), ("reason", .string(reason))]
      case .resumeRun(let from, let epoch, let epochs, let eta, let mode):
        [("from", .string(from)), ("epoch", .int(epoch)), ("epochs", epochs.map(JSON.int) ?? .null), ("lr", .finite(eta)), ("mode", .string(mode))]
      case .other(_, let fields): fields.objectValue?.filter { !["type", "event", "step", "command_id"].contains($0.0) } ?? []
      }
    let id: [(String, JSON)] = commandID.map { [("command_id", .int($0))] } ?? []
    return .object([("type", .string("event")), ("event", .string(kind.name)), ("step", .int(step))] + id + fields)
  }

  /// Reads an `event` line; fields it lacks read as NaN, 0 or empty (an
  /// event is worth showing even when a field is missing).
  public init(json f: JSON) {
    func float(_ key: String) -> Float { Float(f[key]?.doubleValue ?? .nan) }
    func int(_ key: String) -> Int { f[key]?.intValue ?? 0 }
    let name = f["event"]?.stringValue ?? "?"
    let kind: EventKind =
      switch name {
      case "pause": .pause
      case "resume": .resume
      case "reset": .reset
      case "step": .step(count: int("count"))
      case "lr": .learningRate(from: float("from"), to: float("to"))
      case "reduce-lr": .reducedLearningRate(epoch: int("epoch"), from: float("from"), to: float("to"))
      case "diverged": .diverged(loss: f["loss"]?.doubleValue ?? .nan, learningRate: float("lr"), at: f["where"]?.stringValue ?? "?")
      case "rollback": .rollback(toEpoch: int("to_epoch"), fromLearningRate: float("from_lr"), learningRate: float("lr"))
      case "save":
        .save(path: f["path"]?.stringValue ?? "", ok: f["ok"]?.boolValue == true, automatic: f["auto"]?.boolValue == true, error: f["error"]?.stringValue)
      case "early-stop": .earlyStop(epoch: int("epoch"), bestEpoch: int("best_epoch"), bestLoss: f["best_loss"]?.doubleValue ?? .nan)
      case "finished": .finished(epoch: int("epoch"))
      case "overfitting":
        .overfitting(
          since: int("since"), bestEpoch: int("best_epoch"), bestLoss: f["best_val_loss"]?.doubleValue ?? .nan,
          validationLoss: f["val_loss"]?.doubleValue ?? .nan)
      // A missing or null pace is full speed.
      case "pace": .pace(from: f["from"]?.doubleValue, to: f["to"]?.doubleValue)
      case "stop": .stop
      case "refused": .refused(command: f["command"]?.stringValue ?? "?", reason: f["reason"]?.stringValue ?? "")
      case "resume-run":
        .resumeRun(from: f["from"]?.stringValue ?? "", epoch: int("epoch"), epochs: f["epochs"]?.intValue, learningRate: float("lr"), mode: f["mode"]?.stringValue ?? "")
      default: .other(name: name, fields: f)
      }
    self.init(step: f["step"]?.intValue ?? 0, kind, commandID: f["command_id"]?.intValue)
  }
}
