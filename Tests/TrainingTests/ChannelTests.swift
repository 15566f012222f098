import Foundation
import Synchronization
import Testing
import RunEvents
import Training

/// The channel between the trainer and UI threads, under load.
struct ChannelTests {
  static func snapshot(step: Int) -> RunView {
    let info = RunInfo(
      dataName: "t", networkDescription: "2-2-1", layerShapes: [LayerShape(inputs: 2, outputs: 2), LayerShape(inputs: 2, outputs: 1)], activations: ["tanh", "sigmoid"], imageShape: nil, classNames: ["a", "b"],
      isClassification: true, trainCount: 4, epochs: nil, points: [])
    var s = RunView(info: info)
    s.step = step
    s.history.loss.append(x: Double(step), Float(step))
    return s
  }

  @Test func hundredThousandSnapshotsBetweenTwoThreads() throws {
    let channel = SnapshotChannel()
    let count = 100_000
    let reads = Atomic<Int>(0)
    let violations = Atomic<Int>(0)
    let done = Atomic<Bool>(false)
    let readerFinished = DispatchSemaphore(value: 0)
    // The reader runs on its own thread, as the UI does, until it has read the writer's last snapshot.
    let reader = Thread {
      defer { readerFinished.signal() }
      var lastSequence: UInt64 = 0
      var lastStep = -1
      while !done.load(ordering: .acquiring) || lastSequence < UInt64(count) {
        let (sequence, snapshot) = channel.latest()
        guard let snapshot else { continue }
        reads.add(1, ordering: .relaxed)
        // Latest value wins: sequences and steps never go back, and the
        // snapshot is the one its sequence number says (published step = sequence).
        if sequence < lastSequence || snapshot.step < lastStep || UInt64(snapshot.step) != sequence {
          violations.add(1, ordering: .relaxed)
        }
        lastSequence = sequence
        lastStep = snapshot.step
      }
    }
    reader.start()
    for step in 1...count { channel.publish(Self.snapshot(step: step)) }
    done.store(true, ordering: .releasing)
    // Joined: every check the reader made is in before these.
    #expect(readerFinished.wait(timeout: .now() + 60) == .success, "the reader never saw the last snapshot")
    #expect(channel.sequence == UInt64(count))
    #expect(channel.latest().snapshot?.step == count)
    #expect(violations.load(ordering: .relaxed) == 0)
    #expect(reads.load(ordering: .relaxed) > 0)
  }

  @Test func hundredThousandReadsWhileWriting() throws {
    // Both sides at full speed: 100,000 publishes and at least 100,000 reads.
    let channel = SnapshotChannel()
    let writes = 100_000
    let writerFinished = DispatchSemaphore(value: 0)
    let writer = Thread {
      for step in 1...writes { channel.publish(Self.snapshot(step: step)) }
      writerFinished.signal()
    }
    writer.start()
    var reads = 0
    var last: UInt64 = 0
    while reads < 100_000 || last < UInt64(writes) {
      let (sequence, snapshot) = channel.latest()
      #expect(sequence >= last)
      if let snapshot { #expect(UInt64(snapshot.step) == sequence) }
      last = sequence
      reads += 1
    }
    #expect(reads >= 100_000 && last == UInt64(writes))
    #expect(writerFinished.wait(timeout: .now() + 60) == .success)
  }
}
