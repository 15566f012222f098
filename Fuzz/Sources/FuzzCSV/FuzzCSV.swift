import Datasets
import FuzzSupport

// CSV tokenizer and loader. The input is a CSV file: read through the file
// path (`CSVLoader.load`, which also runs the empty/gzip/NUL/UTF-8 checks)
// (gzip inflated) and as in-memory text (`CSVLoader.parse`, where invalid
// UTF-8 has already become U+FFFD) under other column selections, tasks and
// ways of meeting missing cells. Thrown `DataError`s are the
// expected outcome for most inputs; only traps, crashes and hangs count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  let path = ScratchFile.write(bytes, named: "fuzz.csv")
  _ = try? CSVLoader.load(path: path)
  // Columns chosen from the header, as for a saved model: the first column is the target.
  _ = try? CSVLoader.load(path: path) { header in ColumnSelection(target: header.first, targetKind: .classes) }
  let text = String(decoding: bytes, as: UTF8.self)
  _ = try? CSVLoader.parse(text: text, file: "fuzz.csv", columns: ColumnSelection(hasTarget: false))
  _ = try? CSVLoader.parse(text: text, file: "fuzz.csv", columns: ColumnSelection(targetKind: .classes))
  _ = try? CSVLoader.parse(text: text, file: "fuzz.csv", columns: ColumnSelection(target: "y", drop: ["a"], targetKind: .values))
  // Missing cells left out or filled, under every task.
  for kind in ColumnSelection.TargetKind.allCases {
    _ = try? CSVLoader.parse(text: text, file: "fuzz.csv", columns: ColumnSelection(targetKind: kind, missing: .drop))
    _ = try? CSVLoader.parse(text: text, file: "fuzz.csv", columns: ColumnSelection(targetKind: kind, missing: .mean))
  }
  return 0
}
