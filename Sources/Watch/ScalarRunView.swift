import Diagnosis
import RunEvents

/// A run another tool logs as named numbers over steps (TensorBoard tags,
/// CSV-logger columns), folded into a `RunView` by the one reducer: what the
/// names say (`MetricName`) decides the curves: the training loss (and
/// accuracy) as samples, validation as epochs, η, and per-layer gradient
/// norms, which `HealthMonitor` judges as it judges nntop's own. The rest go
/// to `history.others`.
struct ScalarRunView {
  /// One named series: its points in step order (a later point at the same step replaces the earlier).
  struct Scalars {
    var name: String
    var points: [(step: Int, value: Double)]
    /// The name its kind is read from (`MetricName`), when not `name` itself.
    var key: String? = nil
  }

  var dataName: String
  var description: String
  var source: String
  var origin: String
  /// What the source calls a series, for messages: `column`, `tag`.
  var seriesKind: String
  /// The epoch each step falls in, when the source says (a CSV's `epoch` column).
  var epochs: [Int: Int] = [:]

  func view(_ all: [Scalars]) throws(RecordError) -> RunView {
    let named = all.map { ($0, MetricName($0.key ?? $0.name)) }
    func chosen(_ kind: MetricName) -> Scalars? {
      let names = named.filter { $0.1 == kind }.map(\.0.name)
      return MetricName.preferred(names).flatMap { name in all.first { $0.name == name } }
    }
    let loss = chosen(.trainLoss), validationLoss = chosen(.validationLoss)
    guard loss != nil || validationLoss != nil else {
      throw RecordError("no loss \(seriesKind) among \(all.count) (looked for names like train_loss, loss/train, val_loss, epoch_loss)")
    }
    let accuracy = chosen(.trainAccuracy), validationAccuracy = chosen(.validationAccuracy), eta = chosen(.learningRate)
    var gradients: [(layer: String, scalars: Scalars)] = []
    for (scalars, kind) in named {
      if case .gradientNorm(let layer) = kind, !gradients.contains(where: { $0.layer == layer }) { gradients.append((layer, scalars)) }
    }
    let used = Set([loss, validationLoss, accuracy, validationAccuracy, eta].compactMap { $0?.name } + gradients.map(\.scalars.name))
    let isClassification = accuracy != nil || validationAccuracy != nil
    let info = RunInfo(
      dataName: dataName, networkDescription: description, layerShapes: gradients.map { _ in LayerShape(inputs: 0, outputs: 0) },
      activations: gradients.map { _ in "other" }, imageShape: nil, classNames: [], isClassification: isClassification, trainCount: 0,
      epochs: nil, points: [], moduleNames: gradients.map(\.layer))
    var view = RunView(header: RunHeader(source: source, mode: "watched", info: info, batchSize: 0, learningRate: .nan, lossFunction: nil))
    var monitor = HealthMonitor(thresholds: HealthThresholds(), families: gradients.map { _ in .other })
    monitor.layerNames = gradients.map(\.layer)

    let lookup = { (s: Scalars?) in Dictionary(s?.points.map { ($0.step, $0.value) } ?? [], uniquingKeysWith: { $1 }) }
    let accuracyAt = lookup(accuracy), validationLossAt = lookup(validationLoss), validationAccuracyAt = lookup(validationAccuracy)
    let gradientAt = gradients.map { lookup($0.scalars) }
    let etaPoints = eta?.points ?? []
    var etaIndex = 0, currentEta = Float.nan
    // Training steps and validation steps, in step order (a validation at step s after its training sample).
    let trainSteps = (loss?.points ?? []).map { ($0.step, 0, $0.value) }
    let validationSteps = Set(validationLossAt.keys).union(validationAccuracyAt.keys).map { ($0, 1, Double.nan) }
    var epochCount = 0
    for (step, kind, value) in (trainSteps + validationSteps).sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
      while etaIndex < etaPoints.count, etaPoints[etaIndex].step <= step {
        currentEta = Float(etaPoints[etaIndex].value)
        etaIndex += 1
      }
      let epoch = epochs[step] ?? epochCount
      if kind == 0 {
        let layers = gradientAt.allSatisfy({ $0[step] != nil }) && !gradients.isEmpty
          ? gradientAt.map { LayerStatistics(inputs: 0, outputs: 0, gradientNorm: $0[step]!) } : []
        let metric = accuracyAt[step].map { Float($0) } ?? .nan
        let sample = RunSample(
          step: step, epoch: epoch, epochProgress: 0, time: 0, learningRate: currentEta, loss: Series.Bucket(x: Double(step), Float(value)),
          metric: Series.Bucket(x: Double(step), metric), layers: layers)
        view.apply(.sample(monitor.judge(sample)))
      } else {
        epochCount += 1
        view.apply(.epoch(monitor.judge(EpochRecord(
          epoch: epochs[step].map { $0 + 1 } ?? epochCount, step: step, time: 0, learningRate: currentEta, loss: .nan,
          validationLoss: validationLossAt[step], validationAccuracy: validationAccuracyAt[step]))))
      }
      if currentEta.isFinite { view.learningRate = currentEta }
    }
    if let last = all.flatMap({ $0.points.map(\.step) }).max(), last > view.step { view.step = last }
    view.history.others = all.filter { !used.contains($0.name) }.map { scalars in
      var series = Series(capacity: 512)
      for p in scalars.points { series.append(x: Double(p.step), Float(p.value)) }
      return NamedSeries(name: scalars.name, series: series)
    }
    view.origin = origin
    view.state = .running
    return view
  }
}
