import RunEvents
import Foundation
import Datasets
import NeuralNet
import Testing
import TestSupport

/// Files on disk: unreadable ones, IDX, and the data-set specs of --data.
struct DataFileTests {
  @Test func unusableFilesAreNamed() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let cases: [(String, [UInt8], String)] = [
      ("empty.csv", [], "the file is empty"),
      ("binary.csv", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0x01], "binary data (a NUL byte at offset 5), not CSV text"),
      ("latin1.csv", Array("a,y\n".utf8) + [0xE9, 0x2C, 0x31, 0x0A], "not UTF-8 text (invalid byte 0xE9 at offset 4)"),
      ("data.csv.gz", [0x1F, 0x8B, 0x08, 0x00], "the gzip data is cut short (the file ends inside it)"),
    ]
    for (name, bytes, message) in cases {
      let path = dir.write(name, bytes: bytes)
      #expect {
        _ = try CSVLoader.load(path: path)
      } throws: { error in
        (error as? DataError)?.description.hasPrefix("\(path): \(message)") == true
      }
    }
    #expect(throws: DataError.self) { _ = try DataSource(spec: dir.file("missing.csv")) }
    #expect { _ = try CSVLoader.load(path: dir.path) } throws: { ($0 as? DataError)?.exitCode == 66 }
  }

  /// Writes an MNIST-style pair: 3 images of 2×2 and their labels.
  func writeIDX(_ dir: TemporaryDirectory, labels: [UInt8] = [7, 1, 7], truncate: Bool = false) -> String {
    var images: [UInt8] = [0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2]
    images += [0, 255, 128, 1, 2, 3, 4, 5, 9, 8, 7, 6]
    if truncate { images.removeLast() }
    var labelFile: [UInt8] = [0, 0, 0x08, 1, 0, 0, 0, UInt8(labels.count)]
    labelFile += labels
    dir.write("train-labels-idx1-ubyte", bytes: labelFile)
    return dir.write("train-images-idx3-ubyte", bytes: images)
  }

  @Test func readsIDXImagesWithTheirLabels() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = writeIDX(dir)
    #expect(try DataSource(spec: path) == .idx(path: path))
    let d = try DataSource(spec: path).load(seed: 1)
    #expect(d.features == Matrix([[0, 255, 128, 1], [2, 3, 4, 5], [9, 8, 7, 6]]))
    #expect(d.targets == .classes(labels: [1, 0, 1], names: ["1", "7"]))
    #expect(d.imageShape == ImageShape(rows: 2, cols: 2))
  }

  @Test func badIDXFilesAreNamed() {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let truncated = writeIDX(dir, truncate: true)
    #expect { _ = try IDXLoader.load(imagesPath: truncated) } throws: {
      ($0 as? DataError)?.description.contains("IDX header promises 12 elements") == true
    }
    let mismatched = writeIDX(dir, labels: [1, 2])
    #expect { _ = try IDXLoader.load(imagesPath: mismatched) } throws: {
      ($0 as? DataError)?.description.contains("2 labels for 3 images") == true
    }
    // 0xFFFFFFFF × 0xFFFF × 0xFFFF elements: the product overflows Int.
    let huge = dir.write("huge-images-idx3-ubyte", bytes: [0, 0, 8, 3, 255, 255, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 7])
    #expect { _ = try IDXLoader.load(imagesPath: huge) } throws: {
      ($0 as? DataError)?.description.contains("more than the 17-byte file holds") == true
    }
    let lonely = dir.write("t10k-images-idx3-ubyte", bytes: [0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 1, 5])
    #expect { _ = try IDXLoader.load(imagesPath: lonely) } throws: {
      ($0 as? DataError)?.description.contains("no labels file beside it") == true
    }
  }

  @Test func builtinDataSetsHaveTheirShapes() throws {
    let expected: [(String, Int, Int, Bool)] = [
      ("digits", 1797, 64, true), ("spirals", 600, 2, true), ("xor", 400, 2, true), ("moons", 500, 2, true),
      ("circles", 500, 2, true), ("gaussians", 450, 2, true), ("sine", 400, 1, false), ("seed-example", 1, 2, true),
    ]
    #expect(expected.map(\.0) == DataSource.builtinNames)
    for (name, count, width, classification) in expected {
      let d = try DataSource(spec: name).load(seed: 3)
      #expect(d.count == count && d.featureCount == width && d.targets.isClassification == classification, "\(name)")
    }
  }

  @Test func generatedDataFollowsTheSeed() throws {
    let a = try DataSource(spec: "spirals").load(seed: 1), b = try DataSource(spec: "spirals").load(seed: 1)
    let c = try DataSource(spec: "spirals").load(seed: 2)
    #expect(a.features == b.features)
    #expect(a.features != c.features)
  }

  @Test func embeddedDigitsEqualTheShippedFile() throws {
    // The .gz shipped in the package is the source of truth: decompress it
    // with gzip and compare every value with the embedded copy.
    let gz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/Datasets/Digits/digits.csv.gz").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -dc '\(gz)'"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let rows = String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ",").map { Int($0)! } }
    let digits = try DataSource(spec: "digits").load(seed: 1)
    #expect(rows.count == 1797 && digits.count == 1797)
    guard case .classes(let labels, let names) = digits.targets else { Issue.record("digits are classes"); return }
    for (i, row) in rows.enumerated() {
      #expect(digits.features.row(i).map { Int($0) } == Array(row[0..<64]), "image \(i)")
      #expect(Int(names[labels[i]]) == row[64])
    }
  }
}
