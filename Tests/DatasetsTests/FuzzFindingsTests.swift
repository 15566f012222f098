import Foundation
import Testing
import TestSupport

@testable import Datasets

/// Inputs the fuzzers (Fuzz/) found crashing the readers, each now an
/// error or a reading, never a trap. The inputs are in Fuzz/Regressions/.
struct FuzzFindingsTests {
  @Test(arguments: [
    "x,y\n1,0\n2,9999999999999999999\n",
    "x,y\n1,0\n2,9223372036854775807\n",
    "x,y\n1,0\n2,-9999999999999999999\n",
    "\u{FEFF}(,y\r\n1,555555555555555555555551\r\n3,8\r\n",
  ])
  func integerLabelsBeyondIntAreValuesNotAClassTrap(_ text: String) throws {
    let d = try CSVLoader.parse(text: text, file: "big.csv")
    guard case .values = d.targets else {
      Issue.record("labels beyond 2^53 are not exact class names: \(d.targets)")
      return
    }
  }

  @Test func anIDXLabelThatIsNotAWholeNumberIsAnError() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // Two 1×1 images; float (0x0D) labels 0 and 1e30.
    let images: [UInt8] = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2]
    var labels: [UInt8] = [0, 0, 0x0D, 1, 0, 0, 0, 2, 0, 0, 0, 0]
    withUnsafeBytes(of: Float(1e30).bitPattern.bigEndian) { labels += $0 }
    dir.write("train-labels-idx1-ubyte", bytes: labels)
    let path = dir.write("train-images-idx3-ubyte", bytes: images)
    #expect { _ = try IDXLoader.load(imagesPath: path) } throws: {
      ($0 as? DataError)?.description.contains("label 2 is 1e+30, not a whole number") == true
    }
  }
}
