import Foundation
import NeuralNet

/// Where `--data` points: a built-in data set by name, a CSV file or an IDX file.
public enum DataSource: Sendable, Equatable {
  case builtin(String)
  case csv(path: String)
  case idx(path: String)

  /// The built-in data sets, in the order `--help` lists them.
  public static let builtinNames = ["digits", "spirals", "xor", "moons", "circles", "gaussians", "sine", "seed-example"]

  /// Interprets a `--data` value: a built-in name, else a file (IDX by its
  /// magic number or MNIST's naming, CSV otherwise).
  public init(spec: String) throws(DataError) {
    if Self.builtinNames.contains(spec) {
      self = .builtin(spec)
      return
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory) else {
      throw DataError(
        .unreadable, file: spec,
        "no such file (and not a built-in data set: \(Self.builtinNames.joined(separator: ", ")))")
    }
    // An IDX file by the two zero bytes its magic number starts with, or by
    // its name when the number is wrong (the loader says how).
    let csvName = URL(fileURLWithPath: spec).lastPathComponent.lowercased().contains(".csv")
    if !isDirectory.boolValue && !csvName && (IDXLoader.startsLikeIDX(spec) || IDXLoader.namedLikeIDX(spec)) {
      self = .idx(path: spec)
    } else {
      self = .csv(path: spec)
    }
  }

  /// The files the data is read from (none for a built-in set).
  public var files: [String] {
    switch self {
    case .builtin: []
    case .csv(let path): [path]
    case .idx(let path): [path, IDXLoader.labelsPath(for: path)]
    }
  }

  /// Whether examples come from a generator (and so depend on the seed).
  public var isGenerated: Bool {
    if case .builtin(let name) = self { return name != "digits" && name != "seed-example" }
    return false
  }

  /// Loads the data. Generated sets use `seed`; CSV honours `columns`.
  public func load(seed: UInt64, columns: ColumnSelection = ColumnSelection()) throws(DataError) -> Dataset {
    switch self {
    case .csv(let path): return try CSVLoader.load(path: path, columns: columns)
    case .idx(let path):
      guard columns.target == nil && columns.drop.isEmpty else {
        throw DataError(.usage, file: path, "--target and --drop apply to CSV files, not IDX")
      }
      return try IDXLoader.load(imagesPath: path)
    case .builtin(let name):
      guard columns.target == nil && columns.drop.isEmpty else {
        throw DataError(.usage, "--target and --drop apply to CSV files, not the built-in \(name) data")
      }
      var rng = SeededGenerator(seed: seed ^ 0x5EED_DA7A)
      switch name {
      case "digits": return Digits.load()
      case "spirals": return SyntheticData.spirals(&rng)
      case "xor": return SyntheticData.xor(&rng)
      case "moons": return SyntheticData.moons(&rng)
      case "circles": return SyntheticData.circles(&rng)
      case "gaussians": return SyntheticData.gaussians(&rng)
      case "sine": return SyntheticData.sine(&rng)
      default: return SyntheticData.seedExample()
      }
    }
  }
}
