import RunEvents

/// A run another tool logs (a CSV logger's file, TensorBoard's event files):
/// followed live, with nothing to send commands to.
public protocol ReadOnlyRun {
  /// What it is, for messages: `a CSV log`, `a TensorBoard log`.
  static var kind: String { get }
  /// The file or folder followed.
  var path: String { get }
  var view: RunView? { get }
  /// Why it cannot be shown (yet), if so.
  var problem: String? { get }
  /// Damage skipped on the way (a record failing its checksum), the newest last.
  var warnings: [String] { get }
  /// Reads what changed (`now`: seconds on any steady clock); true when the view changed.
  mutating func poll(now: Double) -> Bool
}
