import Foundation
import Testing
import TestSupport

/// Every kind of bad input: one line on stderr naming the problem, an exit
/// code from 1 to 127, nothing on stdout, never a trap or a backtrace.
@Suite(.serialized)
struct BadInputTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let arguments: [String]
    /// File to create first (name, contents).
    var file: (String, [UInt8])? = nil
    let message: String
    /// The exit code, where it says something (66: an input file is missing).
    var status: Int32? = nil
    var testDescription: String { name }
  }

  static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

  static let cases: [Case] = [
    Case(name: "missing file", arguments: ["--data", "nope.csv"], message: "nope.csv: no such file", status: 66),
    Case(name: "empty file", arguments: ["--data", "empty.csv"], file: ("empty.csv", []), message: "empty.csv: the file is empty"),
    Case(name: "binary file", arguments: ["--data", "blob.csv"], file: ("blob.csv", [0x7F, 0x45, 0x4C, 0x46, 0, 1, 2]), message: "blob.csv: binary data"),
    Case(name: "header only", arguments: ["--data", "h.csv"], file: ("h.csv", text("a,b,y\n")), message: "h.csv:1: a header but no data rows"),
    Case(name: "ragged row", arguments: ["--data", "r.csv"], file: ("r.csv", text("a,b,y\n1,2,0\n1,2\n")), message: "r.csv:3: row has 2 fields"),
    Case(name: "non-numeric cell", arguments: ["--data", "n.csv"], file: ("n.csv", text("a,b,y\n1,two,0\n")), message: "n.csv:2:3: \"two\" in column \"b\" is not a number"),
    Case(name: "empty cell", arguments: ["--data", "e.csv"], file: ("e.csv", text("a,b,y\n1,,0\n")), message: "e.csv:2:3: empty cell"),
    Case(name: "NaN cell", arguments: ["--data", "nan.csv"], file: ("nan.csv", text("a,b,y\n1,2,0\nNaN,2,1\n")), message: "nan.csv:3:1: missing cell (NaN) in column \"a\": --missing drop leaves such rows out"),
    Case(name: "a cell beyond fp32", arguments: ["--data", "big.csv"], file: ("big.csv", text("a,b,y\n1,2,0\n1e39,2,1\n")), message: "big.csv:3:1: 1e39 in column \"a\" is beyond the 32-bit float range"),
    Case(name: "infinite cell", arguments: ["--data", "inf.csv"], file: ("inf.csv", text("a,b,y\n1,Infinity,0\n")), message: "inf.csv:2:3: infinite value"),
    Case(name: "unknown target", arguments: ["--data", "t.csv", "--target", "price"], file: ("t.csv", text("a,b,y\n1,2,0\n3,4,1\n")), message: "no column \"price\" for --target; the columns are a, b, y"),
    Case(name: "single class", arguments: ["--data", "s.csv"], file: ("s.csv", text("a,y\n1,x\n2,x\n")), message: "has only one class"),
    Case(name: "zero learning rate", arguments: ["--lr", "0"], message: "--lr must be a positive number"),
    Case(name: "negative learning rate", arguments: ["--lr=-0.5"], message: "--lr must be a positive number"),
    Case(name: "negative learning rate, spaced", arguments: ["--lr", "-1"], message: "--lr must be a positive number, got -1"),
    Case(name: "negative batch", arguments: ["--batch", "-5"], message: "--batch must be at least 1"),
    Case(name: "negative epochs", arguments: ["--epochs", "-1"], message: "--epochs must be at least 1"),
    Case(name: "negative val-split, spaced", arguments: ["--val-split", "-0.1"], message: "--val-split must be in 0..<1"),
    Case(name: "NaN learning rate", arguments: ["--lr", "nan"], message: "--lr must be a positive number"),
    Case(name: "learning rate beyond Float", arguments: ["--lr", "1e308"], message: "--lr 1e308 is beyond the largest 32-bit float, 3.4e38"),
    Case(name: "learning rate below Float", arguments: ["--lr", "1e-50"], message: "--lr 1e-50 is below the smallest 32-bit float, 1.2e-38"),
    Case(name: "min-lr below Float", arguments: ["--reduce-lr-on-plateau", "3", "--min-lr", "1e-45"], message: "--min-lr 1e-45 is below the smallest 32-bit float, 1.2e-38"),
    Case(name: "L2 beyond Float", arguments: ["--l2", "1e39"], message: "--l2 1e39 is beyond the largest 32-bit float, 3.4e38"),
    Case(name: "split beyond Double", arguments: ["--val-split", "1e400"], message: "--val-split must be in 0..<1, got 1e400"),
    Case(name: "a task nntop has not", arguments: ["--task", "ranking"], message: "The value 'ranking' is invalid for '--task <task>'"),
    Case(name: "a missing policy nntop has not", arguments: ["--missing", "zero"], message: "The value 'zero' is invalid for '--missing <missing>'"),
    Case(name: "a task for built-in data", arguments: ["--data", "xor", "--task", "regression"], message: "--task, --missing and --decimal apply to CSV files, not xor"),
    Case(name: "by position on built-in data", arguments: ["predict", "--load", "m.safetensors", "--data", "xor", "--by-position"], message: "--by-position, --missing and --decimal apply to CSV files, not xor"),
    Case(
      name: "classification of one class", arguments: ["--data", "one.csv", "--task", "classification"], file: ("one.csv", text("a,y\n1,0.5\n2,0.5\n")),
      message: "one.csv: target column \"y\" has only one class (0.5): nothing to learn"),
    Case(
      name: "regression of names", arguments: ["--data", "n.csv", "--task", "regression"], file: ("n.csv", text("a,y\n1,cat\n2,dog\n")),
      message: "n.csv:2:3: target \"cat\" in column \"y\" is not a finite number (--task regression)"),
    Case(name: "a gzip file cut short", arguments: ["--data", "d.csv.gz"], file: ("d.csv.gz", [0x1F, 0x8B, 0x08, 0x00, 0, 0]), message: "d.csv.gz: the gzip data is cut short"),
    Case(name: "zero-width layer", arguments: ["--layers", "64,0,32"], message: "a layer of width 0 has no units"),
    Case(name: "batch 0", arguments: ["--batch", "0"], message: "--batch must be at least 1"),
    Case(name: "val-split 1", arguments: ["--val-split", "1"], message: "--val-split must be in 0..<1"),
    Case(name: "val-split 1.5", arguments: ["--val-split", "1.5"], message: "--val-split must be in 0..<1"),
    Case(name: "negative val-split", arguments: ["--val-split=-0.2"], message: "--val-split must be in 0..<1"),
    Case(name: "unknown flag", arguments: ["--learning-rate", "0.1"], message: "Unknown option '--learning-rate'"),
    Case(name: "bad activation", arguments: ["--activation", "swish"], message: "--activation must be sigmoid, tanh, relu, leaky-relu or linear"),
    Case(name: "loss without probabilities", arguments: ["--output", "linear", "--loss", "bce"], message: "bce needs probabilities"),
    Case(name: "unknown preset", arguments: ["--preset", "wobbly"], message: "--preset must be one of healthy, vanishing, exploding, dead-relu, saturated"),
    Case(name: "dead fraction 1", arguments: ["--dead-fraction", "1"], message: "--dead-fraction must be in 0..<1"),
    Case(name: "zero patience", arguments: ["--early-stop", "0"], message: "--early-stop takes a patience of at least 1 epoch"),
    Case(name: "factor without plateau", arguments: ["--lr-factor", "0.5"], message: "--lr-factor goes with --reduce-lr-on-plateau"),
    Case(name: "threads 0", arguments: ["--threads", "0"], message: "--threads must be from 1 to 64"),
    Case(name: "missing checkpoint", arguments: ["predict", "--load", "none.safetensors", "--data", "digits"], message: "none.safetensors: no such file", status: 66),
    Case(name: "resume from a missing checkpoint", arguments: ["--load", "none.safetensors"], message: "none.safetensors: no such file", status: 66),
    Case(name: "save into a missing folder", arguments: ["--data", "xor", "--save", "no/such/m.safetensors"], message: "no/such/m.safetensors: cannot save there: no folder", status: 73),
    Case(name: "save onto a device", arguments: ["--data", "xor", "--save", "/dev/null"], message: "/dev/null: is not a regular file to save to", status: 73),
    Case(name: "save onto a folder", arguments: ["--data", "xor", "--save", "."], message: ".: is a folder, not a file to save to", status: 73),
    Case(name: "not a checkpoint", arguments: ["predict", "--load", "x.safetensors", "--data", "digits"], file: ("x.safetensors", text("hello")), message: "x.safetensors: not a safetensors file"),
    Case(name: "checkpoints with nowhere to go", arguments: ["--checkpoint-every", "2"], message: "--checkpoint-every needs --save FILE"),
    Case(name: "checkpoint every 0", arguments: ["--checkpoint-every", "0", "--save", "m.safetensors"], message: "--checkpoint-every takes at least 1 epoch"),
    Case(name: "tensorboard dir is a file", arguments: ["--data", "xor", "--tensorboard", "tb"], file: ("tb", text("x")), message: "tb: exists and is not a directory"),
    Case(name: "replay a missing log", arguments: ["replay", "none.jsonl"], message: "none.jsonl: no such file", status: 66),
    Case(name: "plot a missing log", arguments: ["plot", "none.jsonl", "--out", "p.svg"], message: "none.jsonl: no such file", status: 66),
    Case(name: "a missing theme file", arguments: ["--data", "xor", "--theme", "none.toml"], message: "none.toml: no such file", status: 66),
    Case(name: "replay a CSV", arguments: ["replay", "d.csv"], file: ("d.csv", text("a,b\n1,2\n")), message: "d.csv: not an nntop run log (no \"run\" line; d.csv:1: skipped: not a JSON line"),
    Case(name: "replay a foreign log", arguments: ["replay", "o.jsonl"], file: ("o.jsonl", text("{\"type\":\"epoch\"}\n")), message: "o.jsonl: not an nntop run log"),
    Case(name: "watch a CSV that logs no loss", arguments: ["watch", "d.csv"], file: ("d.csv", text("a,b\n1,2\n")), message: "d.csv: no loss column among 2 (looked for names like train_loss", status: 65),
    Case(
      name: "watch an event file that is no TFRecord", arguments: ["watch", "events.out.tfevents.1.x"], file: ("events.out.tfevents.1.x", text("not a record, only text\n")),
      message: ".: no loss tag among 0 (looked for names like train_loss, loss/train, val_loss, epoch_loss); ./events.out.tfevents.1.x: byte 0: the record framing is damaged", status: 65),
    Case(name: "watch a file that is no run log", arguments: ["watch", "d.jsonl"], file: ("d.jsonl", text("a,b\n1,2\n")), message: "d.jsonl: not an nntop run log (no \"run\" line; d.jsonl:1: skipped: not a JSON line", status: 65),
    Case(name: "watch a run dir with no log yet, without a terminal", arguments: ["watch", "runs/none"], message: "runs/none/log.jsonl: no run log yet", status: 66),
    Case(name: "compare runs one of which has no log yet, without a terminal", arguments: ["watch", "d.csv", "runs/none"], file: ("d.csv", text("step,train_loss\n1,0.5\n")), message: "runs/none: no run log yet", status: 66),
    Case(name: "replay a missing log among several", arguments: ["replay", "none.jsonl", "other.jsonl"], message: "none.jsonl: no such file", status: 66),
    Case(name: "replay speed 0", arguments: ["replay", "r.jsonl", "--speed", "0"], message: "--speed must be a positive number"),
    Case(name: "negative replay speed", arguments: ["replay", "r.jsonl", "--speed", "-2"], message: "--speed must be a positive number"),
    Case(name: "replay speed beyond Double", arguments: ["replay", "r.jsonl", "--speed", "1e400"], message: "--speed must be a positive number, got 1e400"),
    Case(name: "bench seconds beyond Double", arguments: ["bench", "--seconds", "1e400"], message: "--seconds must be a positive number, got 1e400"),
    Case(name: "plot without --out", arguments: ["plot", "r.jsonl"], message: "Missing expected argument '--out"),
    Case(name: "bench into a missing folder", arguments: ["bench", "--workload", "tiny", "--seconds", "60", "--json", "no/such/b.json"], message: "no/such/b.json: cannot save there: no folder", status: 73),
    Case(name: "plot into a missing folder", arguments: ["plot", "r.jsonl", "--out", "no/such/dir/p.svg"], file: ("r.jsonl", text(BadInputTests.minimalLog)), message: "no/such/dir/p.svg: cannot save there: no folder", status: 73),
    Case(name: "a preset on a loaded model", arguments: ["--data", "xor", "--load", "m.safetensors", "--preset", "dead-relu"], message: "--preset, --layers, --activation, --output and --loss cannot change a --load'ed model's architecture"),
    Case(name: "resume into another run's log", arguments: ["--data", "xor", "--load", "m.safetensors", "--log", "r.jsonl"], file: ("r.jsonl", text(BadInputTests.minimalLog)), message: "r.jsonl records a 2-4-1 network, not the loaded"),
  ]

  /// A run log of a 2-4-1 network with nothing in it but its header.
  static let minimalLog = #"{"type":"run","data":"toy","network":"2-4-1","layers":[[4,2],[1,4]],"activations":["tanh","sigmoid"]}"# + "\n"

  @Test(arguments: BadInputTests.cases)
  func badInputGivesOneClearLine(_ c: Case) throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    if let (name, bytes) = c.file { dir.write(name, bytes: bytes) }
    if c.arguments.contains("m.safetensors"), c.arguments.contains("--load") {
      // A real checkpoint (of xor's 2-8-1 network) to resume from.
      let saved = try NNTopProcess.run(["--headless", "--data", "xor", "--layers", "8", "--epochs", "1", "--save", "m.safetensors"], in: dir.path)
      #expect(saved.status == 0)
    }
    let subcommands: Set = ["predict", "replay", "watch", "plot", "bench"]
    let args = subcommands.contains(c.arguments[0]) ? c.arguments : ["--headless"] + c.arguments
    let r = try NNTopProcess.run(args, in: dir.path)
    #expect(r.exitedNormally, "killed by a signal")
    #expect((1...127).contains(r.status), "exit status \(r.status)")
    #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)")
    #expect(r.stderr.hasPrefix("nntop: ") && r.stderr.contains(c.message), "stderr: \(r.stderr)")
    #expect(r.stdout.isEmpty, "stdout: \(r.stdout)")
    if let status = c.status { #expect(r.status == status, "exit status") }
    #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrace"))
  }
}
