import RunEvents

/// One of several runs shown together: its view and what the legend calls it.
public struct ComparedRun: Sendable, Equatable {
  /// `healthy`, `runs/a`: from its path.
  public var name: String
  public var view: RunView?

  public init(name: String, view: RunView?) {
    self.name = name
    self.view = view
  }

  /// `A`, `B`, … `Z`, then `27`…: the mark on its curves and in its legend.
  public static func letter(_ index: Int) -> String {
    index < 26 ? String(UnicodeScalar(UInt8(65 + index))) : String(index + 1)
  }
}
