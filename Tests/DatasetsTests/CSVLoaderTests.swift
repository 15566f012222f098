import Datasets
import NeuralNet
import Testing
import TestSupport

/// CSV files as people really have them, and every way one can be bad.
struct CSVLoaderTests {
  func load(_ text: String, _ columns: ColumnSelection = ColumnSelection()) throws -> Dataset {
    try CSVLoader.parse(text: text, file: "data.csv", columns: columns)
  }

  func error(_ text: String, _ columns: ColumnSelection = ColumnSelection()) -> DataError? {
    do {
      _ = try load(text, columns)
      return nil
    } catch {
      return error as? DataError
    }
  }

  @Test func readsQuotedFieldsBOMAndCRLF() throws {
    let text = "\u{FEFF}\"sepal, length\",\"width \"\"cm\"\"\",species\r\n5.1, 3.5 ,setosa\r\n\"4.9\",3.0,\"versi\ncolor\"\r\n\r\n\r\n"
    let d = try load(text)
    #expect(d.featureNames == ["sepal, length", "width \"cm\""])
    #expect(d.features == Matrix([[5.1, 3.5], [4.9, 3.0]]))
    #expect(d.targets == .classes(labels: [0, 1], names: ["setosa", "versi\ncolor"]))
  }

  @Test func integerLabelsAreClassesAndRealsAreRegression() throws {
    let classes = try load("a,b,y\n1,2,3\n4,5,10\n6,7,3\n")
    #expect(classes.targets == .classes(labels: [0, 1, 0], names: ["3", "10"]))
    let regression = try load("a,y\n1,0.5\n2,1.5\n3,2\n")
    #expect(regression.targets == .values(Matrix([[0.5], [1.5], [2]]), names: ["y"]))
  }

  @Test func targetAndDropChooseColumns() throws {
    let d = try load("id,label,x1,x2\n7,a,1,2\n8,b,3,4\n", ColumnSelection(target: "label", drop: ["id"]))
    #expect(d.featureNames == ["x1", "x2"])
    #expect(d.features == Matrix([[1, 2], [3, 4]]))
    #expect(d.targets.classNames == ["a", "b"])
  }

  @Test func semicolonAndTabDelimitersAreDetected() throws {
    let semi = try load("a;b;y\n1;2;x\n3;4;z\n")
    #expect(semi.features == Matrix([[1, 2], [3, 4]]))
    let tab = try load("a\tb\ty\n1\t2\tx\n3\t4\tz\n")
    #expect(tab.features == Matrix([[1, 2], [3, 4]]))
  }

  @Test func unlabeledDataKeepsEveryColumn() throws {
    let d = try load("a,b\n1,2\n3,4\n", ColumnSelection(hasTarget: false))
    #expect(d.featureCount == 2 && d.count == 2 && d.targets == .unlabeled(count: 2))
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var columns = ColumnSelection()
    let expected: String
    var testDescription: String { name }
  }

  static let badInputs: [Bad] = [
    Bad(name: "header only", text: "a,b,y\n", expected: "data.csv:1: a header but no data rows"),
    Bad(name: "blank lines only", text: "\n\n  \n", expected: "data.csv: no header row (the file holds only blank lines)"),
    Bad(name: "ragged row", text: "a,b,y\n1,2,0\n3,4\n", expected: "data.csv:3: row has 2 fields, the header has 3"),
    Bad(name: "non-numeric", text: "a,b,y\n1,2,0\n3,abc,1\n", expected: "data.csv:3:3: \"abc\" in column \"b\" is not a number"),
    Bad(name: "empty cell", text: "a,b,y\n1,,0\n3,4,1\n", expected: "data.csv:2:3: empty cell in column \"b\": --missing drop leaves such rows out, --missing mean fills a feature with its column's mean"),
    Bad(name: "NaN", text: "a,b,y\nnan,2,0\n3,4,1\n", expected: "data.csv:2:1: missing cell (nan) in column \"a\": --missing drop leaves such rows out, --missing mean fills a feature with its column's mean"),
    Bad(name: "infinity", text: "a,b,y\n1,2,0\n-inf,4,1\n", expected: "data.csv:3:1: infinite value \"-inf\" in column \"a\""),
    Bad(name: "overflow", text: "a,b,y\n1,2,0\n1e999,4,1\n", expected: "data.csv:3:1: infinite value \"1e999\" in column \"a\""),
    Bad(name: "single class", text: "a,y\n1,cat\n2,cat\n", expected: "data.csv: target column \"y\" has only one class (cat): nothing to learn"),
    Bad(name: "empty target", text: "a,y\n1,\n2,x\n", expected: "data.csv:2:3: empty target in column \"y\": --missing drop leaves such rows out"),
    Bad(name: "unclosed quote", text: "a,y\n1,\"x\n2,y\n", expected: "data.csv:2:3: quoted field is never closed"),
    Bad(name: "text after quote", text: "a,y\n\"1\"x,2\n", expected: "data.csv:2:4: unexpected text after a closing quote"),
    Bad(
      name: "unknown target", text: "a,b,y\n1,2,0\n", columns: ColumnSelection(target: "price"),
      expected: "data.csv: no column \"price\" for --target; the columns are a, b, y"),
    Bad(
      name: "unknown drop", text: "a,b,y\n1,2,0\n", columns: ColumnSelection(drop: ["c"]),
      expected: "data.csv: --drop names no column \"c\"; the columns are a, b, y"),
    Bad(name: "only a target", text: "y\n1\n0\n", expected: "data.csv: no feature columns left besides the target \"y\""),
  ]

  @Test(arguments: CSVLoaderTests.badInputs)
  func badInputIsOneClearLine(_ bad: Bad) {
    let e = error(bad.text, bad.columns)
    #expect(e?.description == bad.expected)
    #expect(e.map { !$0.description.contains("\n") } ?? false)
    #expect(e.map { (1..<128).contains($0.exitCode) } ?? false)
  }

  @Test func columnsCountCharactersNotBytes() {
    // "é" is two bytes: the column of the bad cell is still 4.
    #expect(error("é,b,y\né,x,0\n")?.description.hasPrefix("data.csv:2:1:") == true)
    #expect(error("a,b,y\n1é,x,0\n")?.column == 1)
    #expect(error("a,b,y\n1,é,0\n")?.column == 3)
    #expect(error("a,b,y\né1,2,0\n")?.line == 2)
  }
}
