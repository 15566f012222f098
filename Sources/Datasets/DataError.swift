/// Bad input data, with where it is: `file:line:column: message`.
///
/// Every error the data layer throws is one of these, so the command line can
/// print one clear line and exit with `exitCode` (never a trap).
public struct DataError: Error, CustomStringConvertible, Equatable {
  public enum Kind: Sendable, Equatable {
    /// The file is missing or unreadable (EX_NOINPUT, 66).
    case unreadable
    /// The content is malformed (EX_DATAERR, 65).
    case malformed
    /// A flag names something the data does not have (EX_USAGE, 64).
    case usage
  }

  public var kind: Kind
  public var file: String?
  public var line: Int?
  public var column: Int?
  public var message: String

  public init(_ kind: Kind, file: String? = nil, line: Int? = nil, column: Int? = nil, _ message: String) {
    self.kind = kind
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String {
    var location = ""
    if let file {
      location = file
      if let line {
        location += ":\(line)"
        if let column { location += ":\(column)" }
      }
      location += ": "
    }
    return location + message
  }

  public var exitCode: Int32 {
    switch kind {
    case .unreadable: 66
    case .malformed: 65
    case .usage: 64
    }
  }
}
