import Foundation

/// `--tensorboard DIR`: an event file TensorBoard reads — TFRecord framing
/// (length, masked CRC-32C of the length, the bytes, their masked CRC-32C)
/// around `Event` protocol buffers. Records are gathered and written whole,
/// with one `write`, at least every second (and at the end), so a run
/// killed at any moment leaves whole records and loses at most the last
/// second; a `write` per event cost up to 150 µs on this machine's disks.
///
/// Tags: `loss/train`, `accuracy/train` (or `rmse/train`), `learning_rate`,
/// `grad_norm/W1`…, `update_ratio/W1`… at every log sample; `loss/validation`
/// and `accuracy/validation` every epoch; histograms `weights/W1`… and
/// `gradients/W1`… with the log's weights lines.
public final class TensorBoardWriter {
  /// The event file.
  public let path: String
  private let fd: Int32
  private var closed = false
  /// Why the event file stopped: the first write that failed (the session
  /// reports it and ends the run, as for the run log).
  public private(set) var failure: String?
  private var pending: [UInt8] = []
  private var lastFlush = ContinuousClock.now
  static let flushInterval = Duration.seconds(1)

  /// Creates `directory` if needed and a new event file in it.
  public init(directory: String) throws(TensorBoardError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw TensorBoardError("\(directory): exists and is not a directory")
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw TensorBoardError("\(directory): cannot create the directory")
    }
    let now = Date().timeIntervalSince1970
    let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
    path = directory + "/events.out.tfevents.\(Int(now)).\(host).\(getpid()).nntop"
    // A new file, never one already there.
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw TensorBoardError("\(path): cannot create the event file (\(String(cString: strerror(errno))))") }
    // The first event names the format.
    write(event(step: 0) { $0.string(3, "brain.Event:2") })
  }

  deinit { close() }

  public func close() {
    guard !closed else { return }
    flush()
    closed = true
    if fsync(fd) != 0, failure == nil { failure = "\(path): cannot write the event file (\(String(cString: strerror(errno))))" }
    Foundation.close(fd)
  }

  // MARK: - Summaries

  /// A session that resumes after `step` (a checkpoint's): a `SessionLog`
  /// START at the next step, on which TensorBoard drops what earlier files
  /// hold from there on — the steps a killed run logged past its checkpoint.
  public func sessionStart(after step: Int) {
    write(event(step: step + 1) { e in e.message(7) { log in log.int64(1, 1) } })  // SessionLog.status = START
  }

  /// Scalars at one step, in one event.
  public func scalars(_ values: [(tag: String, value: Double)], step: Int) {
    let finite = values.filter { $0.value.isFinite }
    guard !finite.isEmpty else { return }
    write(
      event(step: step) { e in
        e.message(5) { summary in
          for (tag, value) in finite {
            summary.message(1) { v in
              v.string(1, tag)
              v.float(2, Float(value))
            }
          }
        }
      })
  }

  /// A histogram of `values` (non-finite values are left out).
  public func histogram(_ tag: String, _ values: UnsafeBufferPointer<Float>, step: Int) {
    guard let h = Histogram(values) else { return }
    write(
      event(step: step) { e in
        e.message(5) { summary in
          summary.message(1) { v in
            v.string(1, tag)
            v.message(5) { p in
              p.double(1, h.min)
              p.double(2, h.max)
              p.double(3, Double(h.count))
              p.double(4, h.sum)
              p.double(5, h.sumOfSquares)
              p.packedDoubles(6, h.limits)
              p.packedDoubles(7, h.counts)
            }
          }
        }
      })
  }

  // MARK: - Framing

  private func event(step: Int, _ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
    var e = ProtobufWriter()
    e.double(1, Date().timeIntervalSince1970)
    e.int64(2, Int64(step))
    body(&e)
    return e.bytes
  }

  /// One TFRecord.
  static func record(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(data.count + 16)
    let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
    out += length
    withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { out += $0 }
    out += data
    withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { out += $0 }
    return out
  }

  private func write(_ event: [UInt8]) {
    guard !closed, failure == nil else { return }
    pending += Self.record(event)
    if pending.count >= 1 << 16 || ContinuousClock.now - lastFlush >= Self.flushInterval { flush() }
  }

  /// Writes the gathered records.
  public func flush() {
    lastFlush = ContinuousClock.now
    guard !closed, failure == nil, !pending.isEmpty else { return }
    if let error = pending.withUnsafeBytes({ OutputFile.writeAll(fd, $0) }) {
      failure = "\(path): cannot write the event file (\(String(cString: strerror(error))))"
    }
    pending.removeAll(keepingCapacity: true)
  }
}

/// Equal-width buckets between the smallest and largest value, as
/// TensorBoard's `HistogramProto` carries them (each bucket's right edge).
struct Histogram {
  static let bucketCount = 30
  var min: Double
  var max: Double
  var count: Int
  var sum: Double
  var sumOfSquares: Double
  var limits: [Double]
  var counts: [Double]

  init?(_ values: UnsafeBufferPointer<Float>) {
    var lo = Double.infinity, hi = -Double.infinity, n = 0, sum = 0.0, squares = 0.0
    for v in values where v.isFinite {
      let d = Double(v)
      lo = Swift.min(lo, d)
      hi = Swift.max(hi, d)
      sum += d
      squares += d * d
      n += 1
    }
    guard n > 0 else { return nil }
    (min, max, count, self.sum, sumOfSquares) = (lo, hi, n, sum, squares)
    guard hi > lo else {
      limits = [hi]
      counts = [Double(n)]
      return
    }
    let buckets = Self.bucketCount
    let width = (hi - lo) / Double(buckets)
    limits = (1...buckets).map { lo + Double($0) * width }
    limits[buckets - 1] = hi
    counts = Array(repeating: 0, count: buckets)
    for v in values where v.isFinite {
      let i = Swift.min(Int((Double(v) - lo) / width), buckets - 1)
      counts[i] += 1
    }
  }
}

public struct TensorBoardError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
