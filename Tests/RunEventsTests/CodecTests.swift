import Foundation
import Testing
import RunEvents

/// The run log's one codec: every record read back is the record written,
/// and lines written by hand (DESIGN.md's field names) read as they say.
struct CodecTests {
  static let info = RunInfo(
    dataName: "moons", networkDescription: "2-8-1 tanh→sigmoid",
    layerShapes: [LayerShape(inputs: 2, outputs: 8), LayerShape(inputs: 8, outputs: 1)], activations: ["tanh", "sigmoid"],
    imageShape: nil, classNames: ["a", "b"], isClassification: true, trainCount: 80, epochs: 5,
    points: [PlanePoint(x: 0.5, y: -1.25, label: 1)])

  static let layer = LayerStatistics(
    inputs: 2, outputs: 8, gradientNorm: 0.5, biasGradientNorm: 0.125, weightNorm: 2, updateRatio: 0.001, activationMean: 0.25,
    activationStd: 1.5, deadFraction: 0, saturatedFraction: 0.75, nonFinite: false)

  /// One event of every kind.
  static let events: [RunEvent] = [
    .run(RunHeader(mode: "headless", info: info, batchSize: 16, learningRate: 0.2, lossFunction: "bce", settings: [("seed", .string("3"))])),
    .sample(
      RunSample(
        step: 40, epoch: 1, epochProgress: 0.5, time: 1.25, learningRate: 0.2,
        loss: Series.Bucket(x: 40, min: 0.25, max: 0.75, sum: 2, count: 4, last: 0.5), metric: Series.Bucket(x: 40, 0.875),
        layers: [layer, layer], health: [LayerHealth(status: .saturated, reason: "75% flat", hint: "lower the gain"), LayerHealth(status: .ok)])),
    .weights(WeightsRecord(step: 40, layers: [.init(weights: Array(repeating: 0.125, count: 16), bias: Array(repeating: -1.5, count: 8)), .init(weights: Array(repeating: 2, count: 8), bias: [0.25])])),
    .epoch(EpochRecord(epoch: 1, step: 50, time: 1.5, learningRate: 0.2, loss: 0.5, validationLoss: 0.625, accuracy: 0.75, validationAccuracy: 0.5, samplesPerSecond: 1000, layers: [layer, layer], health: [LayerHealth(status: .ok), LayerHealth(status: .ok)])),
    .event(EventRecord(step: 1, .pause)),
    .event(EventRecord(step: 2, .resume)),
    .event(EventRecord(step: 3, .step(count: 5))),
    .event(EventRecord(step: 4, .learningRate(from: 0.2, to: 0.4))),
    .event(EventRecord(step: 5, .reducedLearningRate(epoch: 2, from: 0.4, to: 0.04))),
    .event(EventRecord(step: 6, .reset)),
    .event(EventRecord(step: 7, .diverged(loss: 12.5, learningRate: 8, at: "layer 2"))),
    .event(EventRecord(step: 8, .rollback(toEpoch: 1, fromLearningRate: 8, learningRate: 0.02))),
    .event(EventRecord(step: 9, .save(path: "m.safetensors", ok: true, automatic: true, error: nil))),
    .event(EventRecord(step: 9, .save(path: "/x/m.safetensors", ok: false, automatic: false, error: "cannot create"))),
    .event(EventRecord(step: 10, .earlyStop(epoch: 3, bestEpoch: 1, bestLoss: 0.25))),
    .event(EventRecord(step: 11, .finished(epoch: 5))),
    .event(EventRecord(step: 12, .resumeRun(from: "m.safetensors", epoch: 5, epochs: nil, learningRate: 0.1, mode: "dashboard"))),
    .event(EventRecord(step: 13, .overfitting(since: 6, bestEpoch: 4, bestLoss: 0.5, validationLoss: 0.625))),
    .event(EventRecord(step: 14, .pace(from: nil, to: 100))),
    .event(EventRecord(step: 15, .pace(from: 10, to: nil))),
    .epoch(EpochRecord(
      epoch: 15, step: 150, time: 2, learningRate: 0.1, loss: 0.125, validationLoss: 0.75,
      overfitting: OverfittingVerdict(
        since: 6, bestEpoch: 4, bestStep: 40, bestValidationLoss: 0.5, validationLoss: 0.75, trainingLoss: 0.125, bestTrainingLoss: 0.25,
        reason: "validation loss 0.750 is 1.5× its best", hint: "try --l2"))),
    .summary(RunSummary(
      last: EpochRecord(
        epoch: 20, step: 200, time: 4, learningRate: .nan, loss: 0.0625, validationLoss: 0.875,
        overfitting: OverfittingVerdict(
          since: 6, bestEpoch: 4, bestStep: 40, bestValidationLoss: 0.5, validationLoss: 0.875, trainingLoss: 0.0625, bestTrainingLoss: 0.25,
          reason: "r", hint: "h")),
      best: nil, epochs: 20, steps: 200, time: 4, ending: .completed)),
    .summary(RunSummary(
      last: EpochRecord(epoch: 5, step: 250, time: 3.5, learningRate: .nan, loss: 0.125, validationLoss: 0.25, accuracy: 0.875, validationAccuracy: 0.75),
      best: EpochRecord(epoch: 4, step: 0, time: 0, learningRate: .nan, loss: .nan, validationAccuracy: 0.8125), epochs: 5, steps: 250, time: 3.5, ending: .completed)),
  ]

  @Test(arguments: events)
  func everyRecordReadsBackAsWritten(_ event: RunEvent) throws {
    let line = event.line
    #expect(line.hasSuffix("\n") && !line.dropLast().contains("\n"))
    let read = try RunEvent(json: try JSON(parsing: String(line.dropLast())))
    if case .summary(let a) = event, case .summary(let b) = read {
      // NaN is never equal to itself: compare the fields a summary line carries.
      #expect(a.ending == b.ending && a.epochs == b.epochs && a.steps == b.steps && a.time == b.time)
      #expect(a.last?.loss == b.last?.loss && a.last?.validationAccuracy == b.last?.validationAccuracy && a.best?.validationAccuracy == b.best?.validationAccuracy)
      #expect(b.best?.epoch == a.best?.epoch && b.last?.overfitting == a.last?.overfitting)
    } else {
      #expect(read == event, "\(line)")
    }
  }

  @Test func handWrittenLinesReadAsTheDesignSays() throws {
    func read(_ text: String) throws -> RunEvent { try RunEvent(json: try JSON(parsing: text)) }
    #expect(try read(#"{"type":"event","event":"lr","step":10,"from":0.1,"to":0.2}"#) == .event(EventRecord(step: 10, .learningRate(from: 0.1, to: 0.2))))
    #expect(try read(#"{"type":"event","event":"rollback","step":7,"to_epoch":2,"from_lr":1,"lr":0.1}"#) == .event(EventRecord(step: 7, .rollback(toEpoch: 2, fromLearningRate: 1, learningRate: 0.1))))
    guard case .sample(let s) = try read(#"{"type":"sample","step":9,"loss":[0.5,0.25,1,4],"layers":[{"shape":[8,2],"grad_norm":0.5,"status":"dead"}]}"#) else {
      Issue.record("not a sample")
      return
    }
    #expect(s.loss.mean == 0.5 && s.loss.min == 0.25 && s.loss.max == 1 && s.loss.count == 4)
    #expect(s.metric == s.loss, "a sample without a metric shows its loss there")
    #expect(s.layers.first?.outputs == 8 && s.layers.first?.inputs == 2 && s.layers.first?.gradientNorm == 0.5)
    #expect(s.health.first?.status == .dead)
    // An event of another source or version is kept, fields and all.
    let other = try read(#"{"type":"event","event":"uploaded","step":3,"command_id":7,"reason":"scheduler"}"#)
    guard case .event(let e) = other, case .other(let name, let fields) = e.kind else {
      Issue.record("not kept: \(other)")
      return
    }
    #expect(name == "uploaded" && fields["reason"]?.stringValue == "scheduler" && e.step == 3 && e.commandID == 7)
    #expect(
      try read(#"{"type":"event","event":"refused","step":3,"command_id":8,"command":"set-lr","reason":"OneCycleLR sets η"}"#)
        == .event(EventRecord(step: 3, .refused(command: "set-lr", reason: "OneCycleLR sets η"), commandID: 8)))
    let again = try read(other.line.trimmingCharacters(in: .newlines))
    #expect(again == other)
  }

  @Test func theHeaderSaysItsSchemaAndANewerOneIsRefused() throws {
    guard case .run(let header) = Self.events[0] else { return }
    let json = header.json
    #expect(json["schema"]?.intValue == RunHeader.schemaVersion && json["source"]?.stringValue == "nntop")
    #expect(json["seed"]?.stringValue == "3", "settings follow the known fields")
    let newer = #"{"type":"run","schema":99,"layers":[[1,2]],"activations":["relu"]}"# + "\n"
    #expect {
      try RunRecording(bytes: Array(newer.utf8), file: "new.jsonl")
    } throws: { error in
      "\(error)".contains("new.jsonl") && "\(error)".contains("newer") && "\(error)".contains("schema 99")
    }
    // An older log (no schema field) still reads.
    let older = #"{"type":"run","layers":[[1,2]],"activations":["relu"]}"# + "\n"
    #expect(try RunRecording(bytes: Array(older.utf8), file: "old.jsonl").header.schema == 1)
  }

  @Test func aRecordingDropsWhatAResumedCheckpointDidNotKeep() throws {
    let lines = [
      Self.events[0], Self.events[1],
      .sample(RunSample(step: 90, epoch: 2, epochProgress: 0, time: 2, learningRate: 0.2, loss: Series.Bucket(x: 90, 0.5), metric: Series.Bucket(x: 90, 0.5))),
      .summary(RunSummary(last: nil, best: nil, epochs: 2, steps: 90, time: 2, ending: .quit)),
      .event(EventRecord(step: 40, .resumeRun(from: "m.safetensors", epoch: 1, epochs: 3, learningRate: 0.2, mode: "headless"))),
    ].map(\.line).joined()
    let recording = try RunRecording(bytes: Array(lines.utf8), file: "r.jsonl")
    #expect(recording.events.compactMap(\.step) == [40, 40], "the step-90 sample and the summary are gone")
    #expect(!recording.complete)
  }
}
