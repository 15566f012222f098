/// The training curves since the last sample, and the layers at this step:
/// the run log's `sample` line, and (one step at a time) how the live
/// session feeds its view.
public struct RunSample: Sendable, Equatable {
  public var step: Int
  public var epoch: Int
  /// How far the current epoch is, 0..<1.
  public var epochProgress: Double
  /// Seconds of training (pauses excluded).
  public var time: Double
  public var learningRate: Float
  /// The training loss and metric of every step since the last sample.
  public var loss: Series.Bucket
  public var metric: Series.Bucket
  /// Empty when this step was not measured.
  public var layers: [LayerStatistics]
  public var health: [LayerHealth]

  public init(
    step: Int, epoch: Int, epochProgress: Double, time: Double, learningRate: Float, loss: Series.Bucket, metric: Series.Bucket,
    layers: [LayerStatistics] = [], health: [LayerHealth] = []
  ) {
    self.step = step
    self.epoch = epoch
    self.epochProgress = epochProgress
    self.time = time
    self.learningRate = learningRate
    self.loss = loss
    self.metric = metric
    self.layers = layers
    self.health = health
  }
}

extension RunSample {
  /// `{"type":"sample","step":…,"loss":[mean,min,max,count],"metric":[…],"layers":[…]}`.
  public var json: JSON {
    func bucket(_ b: Series.Bucket) -> JSON {
      .array([.finite(b.mean), .finite(b.min), .finite(b.max), .int(b.count)])
    }
    return .object([
      ("type", .string("sample")),
      ("step", .int(step)),
      ("epoch", .int(epoch)),
      ("epoch_progress", .finite(epochProgress.rounded(toPlaces: 4))),
      ("time", .finite(time.rounded(toPlaces: 4))),
      ("lr", .finite(learningRate)),
      ("loss", bucket(loss)),
      ("metric", bucket(metric)),
      ("layers", LayerJSON.json(layers, health)),
    ])
  }

  public init(json line: JSON) throws(RecordError) {
    let step = line["step"]?.intValue ?? 0
    func bucket(_ json: JSON?) -> Series.Bucket? {
      guard let v = json?.arrayValue, v.count == 4, let mean = v[0].doubleValue, let lo = v[1].doubleValue, let hi = v[2].doubleValue,
        let n = v[3].intValue, n > 0
      else { return nil }
      return Series.Bucket(x: Double(step), min: Float(lo), max: Float(hi), sum: mean * Double(n), count: n, last: Float(mean))
    }
    guard let loss = bucket(line["loss"]) else { throw RecordError("a sample without a loss") }
    let (stats, health) = LayerJSON.read(line["layers"])
    self.init(
      step: step, epoch: line["epoch"]?.intValue ?? 0, epochProgress: line["epoch_progress"]?.doubleValue ?? 0,
      time: line["time"]?.doubleValue ?? 0, learningRate: Float(line["lr"]?.doubleValue ?? .nan), loss: loss,
      metric: bucket(line["metric"]) ?? loss, layers: stats, health: health)
  }
}

/// Why a line of a run log could not be read.
public struct RecordError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
