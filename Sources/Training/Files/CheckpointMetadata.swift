import RunEvents
import Foundation

/// The checkpoint's metadata, defined once for writing and reading: each
/// `__metadata__` entry of the safetensors header is one of these types as
/// a JSON string. Fields a reader may miss (older checkpoints) are optional.
enum CheckpointMetadata {
  /// `architecture`: the widths `[in, h₁, …, out]`, one activation per layer, the loss.
  struct Architecture: Codable, Equatable {
    var sizes: [Int]
    var activations: [String]
    var loss: String
  }

  /// `encoding`: what the outputs mean.
  struct Encoding: Codable, Equatable {
    /// `binary`, `one-hot` or `regression`.
    var kind: String
    var classes: [String]?
    var names: [String]?
    var mean: [Float]?
    var scale: [Float]?
  }

  /// `training`: where training stood, so a run resumes exactly.
  struct TrainingState: Codable, Equatable {
    var step: Int?
    var epoch: Int?
    var trainingTime: Double?
    var lr: Float?
    var optimizer: String?
    var optimizerSteps: Int?
    var momentum: Float?
    var batch: Int?
    /// A string: a UInt64 seed does not survive a JSON number (a Double).
    var seed: String?
    var data: String?
    var l2: Float?
    var valSplit: Double?

    enum CodingKeys: String, CodingKey {
      case step, epoch, lr, optimizer, momentum, batch, seed, data, l2
      case trainingTime = "training_time"
      case optimizerSteps = "optimizer_steps"
      case valSplit = "val_split"
    }
  }

  /// The optimiser's moment tensors: `optimizer.m.layers.L.weight`, `….bias`
  /// (and `optimizer.v.…` for Adam), slot `2L` the weights, `2L+1` the bias.
  static func momentName(_ moment: String, slot: Int) -> String {
    "optimizer.\(moment).layers.\(slot / 2).\(slot % 2 == 0 ? "weight" : "bias")"
  }

  /// `value` as the JSON string stored in the header. Non-finite numbers
  /// become strings rather than failing the save.
  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  /// The entry `text` read as `T`, or nil when it is not one.
  static func decode<T: Decodable>(_ type: T.Type, from text: String) -> T? {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try? decoder.decode(type, from: Data(text.utf8))
  }
}
