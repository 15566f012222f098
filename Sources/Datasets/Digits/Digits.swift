import RunEvents
import NeuralNet

/// The UCI handwritten digits (1,797 images of 8×8 pixels, values 0–16,
/// classes 0–9), E. Alpaydin and C. Kaynak, CC BY 4.0; see PROVENANCE.md.
/// Embedded in the binary (`DigitsData.swift`), so a copied `nntop` needs no
/// resource files.
enum Digits {
  static let imageCount = 1797
  static let side = 8

  static func load() -> Dataset {
    let width = side * side
    var pixels = [Float]()
    pixels.reserveCapacity(imageCount * width)
    var labels = [Int]()
    labels.reserveCapacity(imageCount)
    digitsEncoded.withUTF8Buffer { text in
      precondition(text.count == imageCount * (width + 1), "embedded digits data is corrupt")
      for image in 0..<imageCount {
        let base = image * (width + 1)
        for p in 0..<width { pixels.append(Float(text[base + p] - UInt8(ascii: "A"))) }
        labels.append(Int(text[base + width] - UInt8(ascii: "0")))
      }
    }
    return Dataset(
      name: "digits", featureNames: (0..<width).map { "r\($0 / side)c\($0 % side)" },
      features: Matrix(rows: imageCount, cols: width, storage: pixels),
      targets: .classes(labels: labels, names: (0...9).map(String.init)),
      imageShape: ImageShape(rows: side, cols: side))
  }
}
