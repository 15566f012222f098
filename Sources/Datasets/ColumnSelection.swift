/// Which columns of a CSV file to learn from, and how to read them.
public struct ColumnSelection: Sendable, Equatable {
  /// The column to predict; nil means the last one.
  public var target: String?
  /// Columns to leave out.
  public var drop: [String]
  /// False when every column is a feature (data to predict on).
  public var hasTarget: Bool
  /// What the target column holds.
  public var targetKind: TargetKind
  /// What to do with a feature cell that holds no value.
  public var missing: MissingCells
  /// How the file writes its decimals.
  public var decimal: DecimalMark

  /// More distinct whole numbers than this are values, not classes (under `--task auto`).
  public static let maxWholeNumberClasses = 100

  /// Whether `distinct` whole numbers in `rows` rows are few enough to be
  /// classes: at most 100, and at most 10 or a tenth of the rows (a class
  /// for every row or two is a measurement, not a label).
  public static func fewClasses(_ distinct: Int, rows: Int) -> Bool {
    distinct <= maxWholeNumberClasses && distinct <= max(10, rows / 10)
  }

  /// What a target column holds: judged from its cells (`--task auto`:
  /// strings, or a few whole numbers such as 1 or 2.0, are classes), or
  /// said (`--task classification|regression`, or a saved model's task).
  public enum TargetKind: String, Sendable, Equatable, CaseIterable {
    case inferred = "auto"
    case classes = "classification"
    case values = "regression"
  }

  /// `--missing`: an empty cell (or NA, NaN, null, ?…) is an error, drops
  /// its row, or takes its column's mean. A row whose target is missing is
  /// an error, or is dropped under `drop` and `mean` alike.
  public enum MissingCells: String, Sendable, Equatable, CaseIterable {
    case error, drop, mean
  }

  /// The same columns, missing cells met as `policy` says and decimals read as `decimal` says.
  public func reading(missing policy: MissingCells, decimal: DecimalMark) -> ColumnSelection {
    var copy = self
    copy.missing = policy
    copy.decimal = decimal
    return copy
  }

  /// `--decimal`: how numbers write their decimals. Under `auto` a file
  /// split by commas writes `3.14`, and one split by semicolons or tabs
  /// writes what its first decimal number writes.
  public enum DecimalMark: String, Sendable, Equatable, CaseIterable {
    case auto, point, comma
  }

  public init(target: String? = nil, drop: [String] = [], hasTarget: Bool = true, targetKind: TargetKind = .inferred, missing: MissingCells = .error, decimal: DecimalMark = .auto
  ) {
    self.target = target
    self.drop = drop
    self.hasTarget = hasTarget
    self.targetKind = targetKind
    self.missing = missing
    self.decimal = decimal
  }
}
