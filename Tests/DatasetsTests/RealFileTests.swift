import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport

/// Files as users have them: classes written 1.0, European decimals,
/// missing cells, gzip, a comma ending every line, a name given twice.
struct RealFileTests {
  let csv = CSVLoaderTests()

  func load(_ text: String, _ columns: ColumnSelection = ColumnSelection()) throws -> Dataset { try csv.load(text, columns) }

  func message(_ text: String, _ columns: ColumnSelection = ColumnSelection()) -> String? { csv.error(text, columns)?.description }

  @Test func wholeNumbersWrittenWithADecimalPointAreClasses() throws {
    let d = try load("a,y\n1,1.0\n2,2.0\n3,3.0\n4,2\n")
    #expect(d.targets == .classes(labels: [0, 1, 2, 1], names: ["1", "2", "3"]))
    #expect(d.targetReason == "\"y\" holds 3 whole numbers; --task regression fits them as numbers")
    #expect(d.summary == "data.csv: 4 examples × 1 feature, 3 classes (\"y\" holds 3 whole numbers; --task regression fits them as numbers)")
    let real = try load("a,y\n1,0.5\n2,1.5\n")
    #expect(real.targetReason == "\"y\" holds numbers that are not whole")
  }

  @Test func manyWholeNumbersAreValuesUnlessTheTaskSaysClasses() throws {
    // 101 values in 2,020 rows: more than 100. 64 in 64 rows: more than a tenth of the rows.
    let text = "a,y\n" + (0..<2020).map { "\($0),\($0 % 101 * 10)\n" }.joined()
    let values = try load(text)
    #expect(!values.targets.isClassification)
    #expect(values.targetReason == "\"y\" holds 101 distinct whole numbers in 2,020 rows, too many to be classes; --task classification makes classes of them")
    let classes = try load(text, ColumnSelection(targetKind: .classes))
    #expect(classes.targets.classNames.count == 101 && classes.targets.classNames.prefix(3) == ["0", "10", "20"])
    #expect(classes.targetReason == "--task classification")
    let everyRow = try load("a,y\n" + (0..<64).map { "\($0),\($0 + 1)e11\n" }.joined())
    #expect(!everyRow.targets.isClassification && everyRow.targetReason?.contains("64 distinct whole numbers in 64 rows") == true)
    // 100 classes in 1,000 rows (digits-like data with many classes) are classes.
    #expect(try load("a,y\n" + (0..<1000).map { "\($0),\($0 % 100)\n" }.joined()).targets.classNames.count == 100)
  }

  @Test func taskRegressionFitsWholeNumbersAsValues() throws {
    let d = try load("a,y\n1,1.0\n2,2\n3,3\n", ColumnSelection(targetKind: .values))
    #expect(d.targets == .values(Matrix([[1], [2], [3]]), names: ["y"]))
    #expect(message("a,y\n1,cat\n2,dog\n", ColumnSelection(targetKind: .values)) == "data.csv:2:3: target \"cat\" in column \"y\" is not a finite number (--task regression)")
  }

  @Test func taskClassificationMakesClassesOfRealNumbers() throws {
    let d = try load("a,y\n1,0.5\n2,1.5\n3,0.5\n", ColumnSelection(targetKind: .classes))
    #expect(d.targets == .classes(labels: [0, 1, 0], names: ["0.5", "1.5"]))
  }

  @Test func europeanFilesReadDecimalCommas() throws {
    let d = try load("a;b;y\n3,14;-0,5;1,25\n2;1e3;2,5\n")
    #expect(d.features == Matrix([[3.14, -0.5], [2, 1000]]))
    #expect(d.targets == .values(Matrix([[1.25], [2.5]]), names: ["y"]))
    #expect(d.readingNotes == ["decimals written with a comma (3,14)"])
    // A point in such a file is named, not read as something else.
    #expect(message("a;y\n3,14;1\n2.5;2\n") == "data.csv:3:1: \"2.5\" in column \"a\" has a decimal point, but this file writes decimals with a comma (3,14)")
    // Commas in quoted names or in words are not decimal marks; the first decimal decides.
    let names = try load("a;y\n1;\"x,2\"\n1;class 1,2\n2.5;b\n")
    #expect(names.features == Matrix([[1], [1], [2.5]]) && names.readingNotes.isEmpty)
    #expect(message("a;y\n2.5;b\n3,5;c\n") == "data.csv:3:1: \"3,5\" in column \"a\" has a decimal comma, but this file writes decimals with a point (3.14)")
  }

  @Test func missingCellsAreAnErrorThatNamesTheFlag() {
    #expect(message("a,b,y\n1,NA,0\n3,4,1\n") == "data.csv:2:3: missing cell (NA) in column \"b\": --missing drop leaves such rows out, --missing mean fills a feature with its column's mean")
    #expect(message("a,y\n1,?\n2,1\n") == "data.csv:2:3: missing target (?) in column \"y\": --missing drop leaves such rows out")
  }

  @Test func missingDropLeavesTheRowsOut() throws {
    let d = try load("a,b,y\n1,NA,0\n3,4,1\n5,,0\n7,8,null\n9,10,0\n", ColumnSelection(missing: .drop))
    #expect(d.features == Matrix([[3, 4], [9, 10]]))
    #expect(d.targets == .classes(labels: [1, 0], names: ["0", "1"]))
    #expect(d.readingNotes == ["2 rows with a missing cell left out (--missing drop)", "1 row without a target left out (--missing drop)"])
    #expect(message("a,y\nNA,1\n,2\n", ColumnSelection(missing: .drop)) == "data.csv: no row is left to learn from: 2 rows with a missing cell left out (--missing drop)")
  }

  @Test func missingMeanFillsTheColumnsMean() throws {
    // b's mean over the rows that have it: (4 + 10) / 2 = 7; the row without a target is left out.
    let d = try load("a,b,y\n1,NA,0\n3,4,1\n5,,0\n9,10,1\n2,2,\n", ColumnSelection(missing: .mean))
    #expect(d.features == Matrix([[1, 7], [3, 4], [5, 7], [9, 10]]))
    #expect(d.readingNotes == ["1 row without a target left out (--missing mean)", "2 missing cells filled with the column's mean (--missing mean)"])
    #expect(message("a,b,y\n1,NA,0\n3,,1\n", ColumnSelection(missing: .mean)) == "data.csv: column \"b\" has no values: there is no mean to fill it with; --drop it")
  }

  @Test func aMarkIsAMissingTargetAmongNumbersAndAClassAmongNames() throws {
    // Continents: NA is North America.
    let names = try load("a,continent\n1,EU\n2,NA\n3,AS\n")
    #expect(names.targets.classNames == ["AS", "EU", "NA"])
    #expect(message("a,y\n1,2\n2,NA\n3,1\n") == "data.csv:3:3: missing target (NA) in column \"y\": --missing drop leaves such rows out")
    let numbers = try load("a,y\n1,2\n2,NA\n3,1\n", ColumnSelection(missing: .drop))
    #expect(numbers.count == 2 && numbers.targets.classNames == ["1", "2"])
    // A target column with no values at all (rows waiting for a prediction) is no target.
    let waiting = try load("a,b,y\n1,2,\n3,4,\n")
    #expect(waiting.targets == .unlabeled(count: 2) && waiting.readingNotes == ["the target column \"y\" holds no values: no target"])
  }

  @Test func targetsBeyondFloatAreNamedNotMadeInfinite() {
    #expect(message("a,y\n1,1e39\n2,5\n", ColumnSelection(targetKind: .values)) == "data.csv:2:3: target \"1e39\" in column \"y\" is beyond the 32-bit float range (±3.4e38)")
    #expect(message("a,y\n1,1e39\n2,0.5\n") == "data.csv:2:3: target \"1e39\" in column \"y\" is beyond the 32-bit float range (±3.4e38)")
    #expect(message("a;y\n1,5;2,5\n2;2.5\n", ColumnSelection(targetKind: .values)) == "data.csv:3:3: target \"2.5\" in column \"y\" has a decimal point, but this file writes decimals with a comma (3,14)")
  }

  @Test func aCommaThatCouldGroupThousandsIsNotGuessed() throws {
    // 1,234 alone: 1.234, or 1234 with a thousands separator? Refused, and --decimal says.
    #expect(message("pop\tarea\n1,234\t5\n2,500\t7\n") == "data.csv:2: \"1,234\" could be 1.234 or 1234, and no other number in the file says which: --decimal comma reads it as the first (nntop reads no thousands separators)")
    #expect(try load("pop\tarea\n1,234\t5\n2,500\t7\n", ColumnSelection(hasTarget: false, decimal: .comma)).features == Matrix([[1.234, 5], [2.5, 7]]))
    // Another number decides: 2,5 has one decimal, so the comma is the decimal mark; so does 0,565 (no thousands there).
    #expect(try load("pop\tarea\n1,234\t2,5\n", ColumnSelection(hasTarget: false)).features == Matrix([[1.234, 2.5]]))
    #expect(try load("x;y\n1,386;-0,565\n", ColumnSelection(hasTarget: false)).features == Matrix([[1.386, -0.565]]))
    #expect(message("a,b\n1,2\n", ColumnSelection(hasTarget: false, decimal: .comma)) == "data.csv: --decimal comma needs a file split by semicolons or tabs; this one is split by commas")
  }

  @Test func detectionSeesQuotedNumbersBlankFirstLinesAndCarriageReturns() throws {
    // Every field quoted, as some spreadsheets export: the decimal comma is still seen.
    let quoted = try load("\"a\";\"y\"\n\"1,5\";\"x\"\n\"2,5\";\"z\"\n")
    #expect(quoted.features == Matrix([[1.5], [2.5]]))
    // A blank line before the header: the delimiter is still the header's.
    let blank = try load("\n\na;b;y\n1;2;x\n3;4;z\n")
    #expect(blank.featureNames == ["a", "b"] && blank.features == Matrix([[1, 2], [3, 4]]))
    // Old Mac line ends (CR alone).
    let cr = try load("a;y\r1,5;x\r2;z\r")
    #expect(cr.features == Matrix([[1.5], [2]]))
  }

  @Test func aCommaEndingEveryLineMakesNoColumn() throws {
    let d = try load("a,b,y,\n1,2,x,\n3,4,z,\n")
    #expect(d.featureNames == ["a", "b"] && d.targetName == "y")
    #expect(d.targets.classNames == ["x", "z"])
    // Rows without the trailing comma read the same; a value under the unnamed column is named.
    #expect(try load("a,b,y,\n1,2,x\n3,4,z\n").featureNames == ["a", "b"])
    #expect(message("a,b,y,\n1,2,x,\n3,4,z,9\n") == "data.csv:3:7: \"9\" is in column 4, which the header does not name")
  }

  @Test func aNameGivenTwiceIsRefused() {
    #expect(message("x,y,x,label\n1,2,3,a\n") == "data.csv:1: column \"x\" appears twice in the header (columns 1 and 3); rename one")
  }

  @Test func gzipFilesAreReadAsTheyAre() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let text = "a,b,y\n" + (0..<500).map { "\($0),\(Double($0) / 4),\($0 % 3)\n" }.joined()
    let plain = dir.write("data.csv", bytes: Array(text.utf8))
    let compressed = try gzip(plain, into: dir.file("data.csv.gz"))
    let original = try CSVLoader.load(path: plain)
    let read = try CSVLoader.load(path: compressed)
    #expect(read.features == original.features && read.targets == original.targets && read.featureNames == ["a", "b"])
    // Two members, as `cat a.gz b.gz` makes them: the rows of both.
    let second = dir.write("more.csv", bytes: Array("7,8,1\n".utf8))
    let two = try gzip(second, into: dir.file("more.csv.gz"))
    let joined = dir.write("joined.csv.gz", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: compressed))) + Array(try Data(contentsOf: URL(fileURLWithPath: two))))
    #expect(try CSVLoader.load(path: joined).count == 501)
    // Damaged: a byte of the deflate stream changed.
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: compressed)))
    bytes[bytes.count / 2] ^= 0xFF
    let damaged = dir.write("damaged.csv.gz", bytes: bytes)
    #expect { _ = try CSVLoader.load(path: damaged) } throws: { error in
      let text = (error as? DataError)?.description ?? ""
      return text.hasPrefix("\(damaged): the gzip data is damaged") || text.contains("not a number") || text.contains("not UTF-8")
    }
  }

  /// The file compressed by the system's gzip (an independent writer).
  func gzip(_ path: String, into output: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -c '\(path)' > '\(output)'"]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return output
  }

  @Test func gzippedIDXFilesAreReadAsMNISTHandsThemOut() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let images = dir.write("t-images-idx3-ubyte", bytes: [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255, 128, 1])
    let labels = dir.write("t-labels-idx1-ubyte", bytes: [0, 0, 0x08, 1, 0, 0, 0, 2, 3, 5])
    let gzImages = try gzip(images, into: images + ".gz")
    _ = try gzip(labels, into: labels + ".gz")
    let plain = try DataSource(spec: images).load(seed: 1)
    let source = try DataSource(spec: gzImages)
    #expect(source == .idx(path: gzImages))
    let read = try source.load(seed: 1)
    #expect(read.features == plain.features && read.targets == plain.targets && read.targets.classNames == ["3", "5"])
  }

  @Test func anIDXFileWithAWrongMagicNumberIsCalledSo() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.write("train-images-idx3-ubyte", bytes: [0, 0, 0x20, 3, 0, 0, 0, 1])
    #expect(try DataSource(spec: path) == .idx(path: path))
    // A CSV file whose name holds "idx" is still a CSV file; so is a text file named so.
    let csv = dir.write("my-idx.csv.gz", bytes: [0x1F, 0x8B])
    #expect(try DataSource(spec: csv) == .csv(path: csv))
    let tsv = dir.write("covid_idx.tsv", bytes: Array("a\tb\n1\t2\n".utf8))
    #expect(try DataSource(spec: tsv) == .csv(path: tsv))
    // No name to go by, but two zero bytes: IDX, named as such.
    let unnamed = dir.write("images", bytes: [0, 0, 0x20, 3])
    #expect(try DataSource(spec: unnamed) == .idx(path: unnamed))
    #expect { _ = try DataSource(spec: path).load(seed: 1) } throws: { error in
      (error as? DataError)?.description == "\(path): not an IDX file: its magic number is 00 00 20 03, and an IDX file starts 00 00, a type (08 unsigned byte, 09 byte, 0B short, 0C int, 0D float, 0E double), then 1-4 dimensions"
    }
  }
}
