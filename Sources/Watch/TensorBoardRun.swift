import Foundation
import Interop
import RunEvents

/// A TensorBoard log directory followed live: every `events.out.tfevents.*`
/// file under it (not only the newest: a run restarted, or `add_scalars`'
/// sub-folders, write several), found as they appear. Their scalars become
/// named series, a tag's name prefixed with its file's sub-folder (TensorBoard's
/// "run"): `loss_train/loss`, `validation/epoch_loss`. Read-only.
public struct TensorBoardRun: ReadOnlyRun {
  public let directory: String
  public private(set) var view: RunView?
  /// Why nothing can be shown yet (no event file, no loss tag), if so.
  public private(set) var problem: String?
  /// Each event file's follower, by its path under `directory`.
  private var files: [String: TFRecordFollower] = [:]
  /// The scalars by series name: step → value (a later value at a step replaces the earlier).
  private var scalars: [String: [Int: Double]] = [:]
  /// The series in the order they were first seen.
  private var names: [String] = []
  /// What each series is read as (`MetricName`): its tag, with the split its folder names.
  private var keys: [String: String] = [:]
  private var eventWarnings: [String] = []
  private var lastScan = -Double.infinity

  public var path: String { directory }
  public static let kind = "a TensorBoard log"

  public init(directory: String) {
    self.directory = directory
  }

  /// Damaged records and lost framing, in every file (the newest last).
  public var warnings: [String] { files.keys.sorted().flatMap { files[$0]!.warnings } + eventWarnings }

  public static func isEventFile(_ name: String) -> Bool { (name as NSString).lastPathComponent.hasPrefix("events.out.tfevents.") }

  /// The log directory `path` names: an event file's folder, or a folder
  /// with event files in it or below it; nil otherwise.
  public static func logDirectory(at path: String) -> String? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
    if !isDirectory.boolValue {
      guard isEventFile(path) else { return nil }
      let folder = (path as NSString).deletingLastPathComponent
      return folder.isEmpty ? "." : folder
    }
    return eventFiles(under: path).isEmpty ? nil : path
  }

  /// The event files under `directory`, as paths relative to it (four folders deep at most).
  static func eventFiles(under directory: String) -> [String] {
    guard let walk = FileManager.default.enumerator(atPath: directory) else { return [] }
    var found: [String] = []
    while let relative = walk.nextObject() as? String {
      if walk.level > 4 { walk.skipDescendants() }
      if isEventFile(relative) { found.append(relative) }
    }
    return found.sorted()
  }

  /// Reads what the event files gained (and looks for new files every
  /// second); true when the view changed.
  public mutating func poll(now: Double = 0) -> Bool {
    if now - lastScan >= 1 {
      lastScan = now
      for relative in Self.eventFiles(under: directory) where files[relative] == nil {
        files[relative] = TFRecordFollower(path: (directory as NSString).appendingPathComponent(relative))
      }
    }
    var gained = false
    for relative in files.keys.sorted() {
      let run = (relative as NSString).deletingLastPathComponent
      for record in files[relative]!.poll() {
        do {
          for scalar in try TensorBoardScalar.scalars(inEvent: record) {
            let name = run.isEmpty ? scalar.tag : run + "/" + scalar.tag
            if scalars[name] == nil {
              names.append(name)
              keys[name] = Self.key(tag: scalar.tag, folder: run)
            }
            scalars[name, default: [:]][scalar.step] = scalar.value
            gained = true
          }
        } catch {
          eventWarnings.append("\(relative): an event that is not a protocol buffer: \(error)")
          if eventWarnings.count > 20 { eventWarnings.removeFirst() }
        }
      }
    }
    guard gained || view == nil && problem == nil else { return false }
    rebuild()
    return true
  }

  /// A tag with the split its folder says, where the tag says none: the
  /// folder's last word when it is a split (Keras' `train/` and
  /// `validation/`, `add_scalars`' `Loss_val/`), never the rest of a folder
  /// name (`runs/May04_…_test-gpu` is no test split, `lr_0.1/` no η).
  static func key(tag: String, folder: String) -> String {
    let splits = MetricName.validationWords.union(["train", "training"])
    guard Set(MetricName.words(tag)).isDisjoint(with: splits),
      let last = (folder as NSString).lastPathComponent.split(separator: "_").last.map({ $0.lowercased() }), splits.contains(last)
    else { return tag }
    return last + "/" + tag
  }

  private mutating func rebuild() {
    guard !files.isEmpty else {
      problem = "\(directory): no TensorBoard event files (events.out.tfevents.*) yet"
      return
    }
    let series = names.map { name in
      ScalarRunView.Scalars(name: name, points: scalars[name]!.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, key: keys[name])
    }
    let folder = (directory as NSString).standardizingPath
    let builder = ScalarRunView(
      dataName: (folder as NSString).lastPathComponent, description: "TensorBoard: \(files.count) event file\(files.count == 1 ? "" : "s")",
      source: "tensorboard", origin: "tensorboard · read-only", seriesKind: "tag")
    do {
      view = try builder.view(series)
      problem = nil
    } catch {
      problem = "\(directory): \(error)"
    }
  }
}
