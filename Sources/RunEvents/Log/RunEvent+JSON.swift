/// The run log's codec: each line is one `RunEvent`, told apart by `type`.
/// Every record's JSON, both directions, is beside its type (Records/).
extension RunEvent {
  /// The event as one log line's object.
  public var json: JSON {
    switch self {
    case .run(let header): header.json
    case .sample(let sample): sample.json
    case .weights(let weights): weights.json
    case .epoch(let epoch): epoch.json
    case .event(let event): event.json
    case .summary(let summary): summary.json
    }
  }

  /// Reads one log line's object.
  public init(json: JSON) throws(RecordError) {
    switch json["type"]?.stringValue {
    case "run": self = .run(try RunHeader(json: json))
    case "sample": self = .sample(try RunSample(json: json))
    case "weights": self = .weights(WeightsRecord(json: json))
    case "epoch": self = .epoch(EpochRecord(json: json))
    case "event": self = .event(EventRecord(json: json))
    case "summary": self = .summary(try RunSummary(json: json))
    default: throw RecordError("a line without a known \"type\"")
    }
  }

  /// One line of the log file, newline included.
  public var line: String { json.serialized + "\n" }
}
