import Datasets
import FuzzSupport

// IDX images + labels. `IDXLoader` reads files by path and finds the labels
// file beside the images file, so one input holds both: the images file's
// bytes, the separator `|LABELS|`, the labels file's bytes. Without the
// separator there is no labels file (the "no labels file beside it" path).
let separator = Array("|LABELS|".utf8)
let imagesName = "fuzz-images-idx3-ubyte"
let labelsName = "fuzz-labels-idx1-ubyte"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  var split: Int? = nil
  if size >= separator.count {
    for i in 0...(size - separator.count) where bytes[i] == separator[0] {
      if (1..<separator.count).allSatisfy({ bytes[i + $0] == separator[$0] }) {
        split = i
        break
      }
    }
  }
  let imagesPath: String
  if let split {
    imagesPath = ScratchFile.write(UnsafeBufferPointer(rebasing: bytes[..<split]), named: imagesName)
    ScratchFile.write(UnsafeBufferPointer(rebasing: bytes[(split + separator.count)...]), named: labelsName)
  } else {
    imagesPath = ScratchFile.write(bytes, named: imagesName)
    ScratchFile.remove(named: labelsName)
  }
  _ = IDXLoader.startsLikeIDX(imagesPath)
  _ = try? IDXLoader.load(imagesPath: imagesPath)
  return 0
}
