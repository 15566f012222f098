import Interop
import Foundation
import Testing
import TestSupport
import RunEvents
import Training

/// `nntop` run as a user runs it: the real binary, its output and exit code.
@Suite(.serialized)
struct CommandLineTests {
  @Test func headlessPrintsALinePerEpochAndASummary() throws {
    let r = try NNTopProcess.run(["--headless", "--data", "moons", "--epochs", "3"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("epoch ") }.count == 3)
    #expect(lines.contains { $0.hasPrefix("epoch 3/3") && $0.contains("val_acc") && $0.contains("samples/s") && $0.contains("η 0.1") })
    #expect(lines.last?.hasPrefix("done: 3 epochs") == true)
  }

  @Test func digitsReachNinetyFivePercentValidationAccuracy() throws {
    let r = try NNTopProcess.run(["--headless", "--data", "digits", "--epochs", "30"])
    #expect(r.status == 0)
    let last = r.stdout.split(separator: "\n").last { $0.hasPrefix("epoch 30/30") }.map(String.init) ?? ""
    let valAcc = last.components(separatedBy: "val_acc").last?.split(separator: "%").first.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    #expect((valAcc ?? 0) >= 95, "\(last)")
  }

  @Test func notATerminalMeansHeadless() throws {
    // stdout is a pipe here: no curses, plain lines, exit 0.
    let r = try NNTopProcess.run(["--data", "xor", "--epochs", "2"])
    #expect(r.status == 0 && r.stdout.contains("epoch 2/2") && !r.stdout.contains("\u{1B}["))
  }

  @Test func runLogHasHeaderEpochsAndSummary() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["--headless", "--data", "circles", "--epochs", "4", "--log", dir.file("run.jsonl")])
    #expect(r.status == 0)
    let lines = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
    let types = lines.compactMap { line -> String? in
      guard let data = line.data(using: .utf8), let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
      return obj["type"] as? String
    }
    #expect(types.filter { ["run", "epoch", "summary"].contains($0) } == ["run", "epoch", "epoch", "epoch", "epoch", "summary"])
    #expect(types.first == "run" && types.last == "summary")
    // Samples of the curves and weights for replay, between them.
    #expect(types.filter { $0 == "sample" }.count >= 4 && types.filter { $0 == "weights" }.count >= 2)
    #expect(Set(types) == ["run", "epoch", "sample", "weights", "summary"])
    let epoch = try JSONSerialization.jsonObject(with: Data(lines[types.firstIndex(of: "epoch")!].utf8)) as! [String: Any]
    let layers = epoch["layers"] as! [[String: Any]]
    #expect(layers.count == 3)
    for key in ["name", "grad_norm", "weight_norm", "update_ratio", "status"] { #expect(layers[0][key] != nil, "\(key)") }
  }

  @Test func plotAndReplayReadARunLog() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    #expect(try NNTopProcess.run(["--headless", "--data", "moons", "--epochs", "3", "--log", "run.jsonl"], in: dir.path).status == 0)
    let plot = try NNTopProcess.run(["plot", "run.jsonl", "--out", "run.svg", "--gradients"], in: dir.path)
    #expect(plot.status == 0 && plot.stdout == "wrote run.svg\n")
    let svg = try String(contentsOfFile: dir.file("run.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg ") && svg.contains("data-series=\"loss-train\"") && svg.contains("data-series=\"grad-W3\""))
    // Without a terminal, replay says what the log holds.
    let replay = try NNTopProcess.run(["replay", "run.jsonl"], in: dir.path)
    #expect(replay.status == 0)
    #expect(replay.stdout.hasPrefix("moons · 2-16-16-1") && replay.stdout.contains(" 3 epochs, 0 events"), "\(replay.stdout)")
  }

  @Test func exampleShowsExactValuesBesideTheReference() throws {
    let r = try NNTopProcess.run(["example"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("1.245499") && r.stdout.contains("reference prints 1.244"))
    #expect(r.stdout.contains("[-0.135401, -0.179977]") && r.stdout.contains("reference prints [-0.136, -0.180]"))
    #expect(r.stdout.contains("Update (η = 0.5)"))
    let slow = try NNTopProcess.run(["example", "--lr", "0.1"])
    #expect(slow.stdout.contains("Update (η = 0.1)"))
  }

  @Test func savedModelPredictsAndRefusesOtherWidths() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var csv = "x1,x2,label\n"
    for i in 0..<80 {
      let a = Double(i % 9) - 4, b = Double(i % 7) - 3
      csv += "\(a),\(b),\(a + b > 0 ? "pos" : "neg")\n"
    }
    let data = dir.write("train.csv", csv)
    let model = dir.file("m.safetensors")
    let train = try NNTopProcess.run(["--headless", "--data", data, "--epochs", "40", "--layers", "8", "--save", model])
    #expect(train.status == 0 && train.stdout.contains("saved \(model)"), "\(train.stderr)")
    let predict = try NNTopProcess.run(["predict", "--load", model, "--data", data])
    #expect(predict.status == 0, "\(predict.stderr)")
    let predictions = predict.stdout.split(separator: "\n")
    #expect(predictions.count == 80 && predictions.allSatisfy { $0 == "pos" || $0 == "neg" })
    #expect(predict.stderr.hasPrefix("accuracy ") && predict.stderr.contains("/80)"))
    // Features only: predictions, no score.
    let unlabeled = dir.write("new.csv", "x1,x2\n3,3\n-4,-3\n")
    let p2 = try NNTopProcess.run(["predict", "--load", model, "--data", unlabeled])
    #expect(p2.stdout == "pos\nneg\n" && p2.stderr.isEmpty)
    // One labelled row (one class) is scored, not refused as "nothing to learn".
    let one = dir.write("one.csv", "x1,x2,label\n3,3,pos\n")
    let p1 = try NNTopProcess.run(["predict", "--load", model, "--data", one])
    #expect(p1.status == 0 && p1.stdout == "pos\n" && p1.stderr == "accuracy 100.00% (1/1)\n", "\(p1.stderr)")
    // Other names: refused, naming the missing and the unexpected columns, never read by position unasked.
    let wide = dir.write("wide.csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n")
    let p3 = try NNTopProcess.run(["predict", "--load", model, "--data", wide])
    #expect(p3.status == 65 && p3.stderrLines.count == 1)
    #expect(
      p3.stderr == "nntop: \(wide): has no columns \"x1\", \"x2\", which \(model) was trained on; its columns \"a\", \"b\", \"c\", \"d\" are not the model's "
        + "(--by-position feeds it the columns in order)\n", "\(p3.stderr)")
    let t3 = try NNTopProcess.run(["--headless", "--data", wide, "--load", model])
    #expect(t3.status == 65 && t3.stderr.contains("has no columns \"x1\", \"x2\", which \(model) was trained on"), "\(t3.stderr)")
    // By position, asked for: another width names both widths.
    let p4 = try NNTopProcess.run(["predict", "--load", model, "--data", wide, "--by-position"])
    #expect(p4.status == 65 && p4.stderr.contains("has 4 feature columns but \(model) was trained on 2 (\"x1\", \"x2\")"), "\(p4.stderr)")
    // Renamed columns by position: the predictions of the named file.
    let renamed = dir.write("renamed.csv", csv.replacingOccurrences(of: "x1,x2,label", with: "p,q,label"))
    let refused = try NNTopProcess.run(["predict", "--load", model, "--data", renamed])
    #expect(refused.status == 65 && refused.stderr.contains("its columns \"p\", \"q\" are not the model's"), "\(refused.stderr)")
    let inOrder = try NNTopProcess.run(["predict", "--load", model, "--data", renamed, "--by-position"])
    #expect(inOrder.status == 0 && inOrder.stdout == predict.stdout && inOrder.stderr == predict.stderr, "\(inOrder.stderr)")
  }

  /// `--help` says each data set's defaults, and they are the ones its runs use.
  @Test func helpTellsEachDataSetsDefaultsTruthfully() throws {
    let help = try NNTopProcess.run(["train", "--help"]).stdout.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    #expect(help.contains("Hidden layer widths, comma-separated; \"none\" for no hidden layer. (default: 16,16 for spirals, xor, moons, circles, gaussians; 32,32 for sine; 2 for seed-example; otherwise 64,32; a --preset's own)"), "\(help)")
    #expect(help.contains("(default: tanh for sine; sigmoid for seed-example; otherwise relu; a --preset's own)"))
    #expect(help.contains("Learning rate η. (default: 0.05 for sine; 0.5 for seed-example; otherwise 0.1 for sgd, 0.01 for momentum, 0.001 for adam;"))
    #expect(help.contains("Mini-batch size. (default: 1 for seed-example; otherwise 32;"))
    #expect(!help.contains("(default: 1) (default: 1)"))
    // What the runs print: the network, its activation, η and batch.
    for (data, expected) in [
      ("spirals", "network 2-16-16-3 (relu → softmax"), ("sine", "network 1-32-32-1 (tanh → linear"),
      ("seed-example", "network 2-2-1 (sigmoid → sigmoid"), ("digits", "network 64-64-32-10 (relu → softmax"),
    ] {
      let run = try NNTopProcess.run(["--headless", "--data", data, "--epochs", "1"])
      let line = run.stdout.split(separator: "\n").first { $0.hasPrefix("network ") } ?? ""
      #expect(line.hasPrefix(expected), "\(data): \(line)")
    }
    let sine = try NNTopProcess.run(["--headless", "--data", "sine", "--epochs", "1"]).stdout
    #expect(sine.contains("sgd η=0.05 · batch 32"), "\(sine)")
    let seed = try NNTopProcess.run(["--headless", "--data", "seed-example", "--epochs", "1"]).stdout
    #expect(seed.contains("sgd η=0.5 · batch 1"), "\(seed)")
    // seed-example with only --activation changed keeps its 2-unit hidden layer, as --help says.
    let tanh = try NNTopProcess.run(["--headless", "--data", "seed-example", "--epochs", "1", "--activation", "tanh"]).stdout
    #expect(tanh.contains("network 2-2-1 (tanh → sigmoid"), "\(tanh)")
  }

  /// Real files as users have them, through the command line: the header
  /// line says which task was chosen and why, and what reading decided.
  @Test func theHeaderLineSaysWhatTheFileWasReadAs() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var european = "x;y;label\n"
    for i in 0..<90 { european += "\(i % 3),\(i % 7);-\(i % 3),5;\(i % 3 + 1),0\n" }
    european += "NA;1,5;2,0\n"
    let path = dir.write("euro.csv", european)
    let r = try NNTopProcess.run(["--headless", "--data", path, "--epochs", "1", "--missing", "drop"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.first == "nntop · euro.csv: 90 examples × 2 features, 3 classes (\"label\" holds 3 whole numbers; --task regression fits them as numbers) → 72 train / 18 validation")
    #expect(lines.dropFirst().prefix(2) == ["  decimals written with a comma (3,14)", "  1 row with a missing cell left out (--missing drop)"])
    let regression = try NNTopProcess.run(["--headless", "--data", path, "--epochs", "1", "--missing", "mean", "--task", "regression"])
    #expect(regression.stdout.hasPrefix("nntop · euro.csv: 91 examples × 2 features, regression (--task regression) → "), "\(regression.stdout)")
    // Huge values stay readable: scientific, never thirty digits.
    let huge = dir.write("huge.csv", "x,y\n" + (0..<64).map { "\(Double($0) / 64),\($0 + 1)e11\n" }.joined())
    let big = try NNTopProcess.run(["--headless", "--data", huge, "--epochs", "1", "--no-normalize", "--lr", "1e-30"])
    let epoch = big.stdout.split(separator: "\n").first { $0.hasPrefix("epoch 1/1") } ?? ""
    #expect(epoch.range(of: #"loss [0-9]\.[0-9]{2}e\+2[0-9]  val_loss [0-9]\.[0-9]{2}e\+2[0-9]"#, options: .regularExpression) != nil, "\(big.stdout)")
    #expect(big.stdout.range(of: "[0-9]{10}", options: .regularExpression) == nil, "\(big.stdout)")
  }

  @Test func savingThroughASymbolicLinkKeepsTheLink() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try FileManager.default.createDirectory(atPath: dir.file("models"), withIntermediateDirectories: true)
    #expect(try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", "--save", "models/real.safetensors"], in: dir.path).status == 0)
    try FileManager.default.createSymbolicLink(atPath: dir.file("latest.safetensors"), withDestinationPath: "models/real.safetensors")
    let before = try Checkpoint.read(from: dir.file("models/real.safetensors")).step
    let r = try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "2", "--save", "latest.safetensors"], in: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("latest.safetensors")) == "models/real.safetensors")
    #expect(try Checkpoint.read(from: dir.file("models/real.safetensors")).step > before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("models")) == ["real.safetensors"])
    // A relative link inside a linked folder: `..` is taken from where the link really is.
    try FileManager.default.createDirectory(atPath: dir.file("real/sub"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: dir.file("d1"), withDestinationPath: "real/sub")
    try FileManager.default.createSymbolicLink(atPath: dir.file("real/sub/lnk"), withDestinationPath: "../m1.safetensors")
    #expect(try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", "--save", "d1/lnk"], in: dir.path).status == 0)
    #expect(FileManager.default.fileExists(atPath: dir.file("real/m1.safetensors")) && !FileManager.default.fileExists(atPath: dir.file("m1.safetensors")))
    #expect(try Checkpoint.read(from: dir.file("d1/lnk")).epoch == 1)
    // A link to a file not there yet creates it; a loop of links is refused.
    try FileManager.default.createSymbolicLink(atPath: dir.file("next.safetensors"), withDestinationPath: "models/next.safetensors")
    #expect(try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", "--save", "next.safetensors"], in: dir.path).status == 0)
    #expect(FileManager.default.fileExists(atPath: dir.file("models/next.safetensors")))
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("next.safetensors")) == "models/next.safetensors")
    try FileManager.default.createSymbolicLink(atPath: dir.file("a.safetensors"), withDestinationPath: "b.safetensors")
    try FileManager.default.createSymbolicLink(atPath: dir.file("b.safetensors"), withDestinationPath: "a.safetensors")
    let loop = try NNTopProcess.run(["--headless", "--data", "xor", "--epochs", "1", "--save", "a.safetensors"], in: dir.path)
    #expect(loop.status == 73 && loop.stderr.contains("a.safetensors: a loop of symbolic links"), "\(loop.stderr)")
  }

  @Test func dropTakesQuotedNamesThatHoldCommas() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var csv = "x,\"price, usd\",id,label\n"
    for i in 0..<40 { csv += "\(i % 7),\(i * 3),\(i),\(i % 7 > 3 ? "hi" : "lo")\n" }
    let data = dir.write("p.csv", csv)
    let r = try NNTopProcess.run(["--headless", "--data", data, "--epochs", "1", "--drop", #""price, usd", id"#])
    #expect(r.status == 0 && r.stdout.contains("40 examples × 1 feature"), "\(r.stdout)\(r.stderr)")
  }

  @Test func labelsWithCommasAndQuotesArePrintedAsCSVFields() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var csv = "x,label\n"
    for i in 0..<60 { csv += i % 2 == 0 ? "\(i),\"yes, \"\"really\"\"\"\n" : "-\(i),no\n" }
    let data = dir.write("q.csv", csv)
    let model = dir.file("q.safetensors")
    #expect(try NNTopProcess.run(["--headless", "--data", data, "--epochs", "30", "--save", model]).status == 0)
    let r = try NNTopProcess.run(["predict", "--load", model, "--data", data])
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 60 && Set(lines) == [#""yes, ""really""""#, "no"], "\(Set(lines))")
  }

  @Test func aModelFindsItsColumnsByName() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // a = 3b − 2y + 0.5: trained to predict a (the first column) from b and y.
    var rows: [(a: Double, b: Double, y: Double)] = []
    for i in 0..<120 {
      let b = Double(i % 11) / 5 - 1, y = Double(i % 7) / 3 - 1
      rows.append((3 * b - 2 * y + 0.5, b, y))
    }
    let ordered = dir.write("abY.csv", "a,b,y\n" + rows.map { "\($0.a),\($0.b),\($0.y)\n" }.joined())
    let reversed = dir.write("yba.csv", "y,b,a\n" + rows.map { "\($0.y),\($0.b),\($0.a)\n" }.joined())
    let featuresOnly = dir.write("yb.csv", "y,b\n" + rows.map { "\($0.y),\($0.b)\n" }.joined())
    let model = dir.file("m.safetensors")
    let train = try NNTopProcess.run(["--headless", "--data", ordered, "--target", "a", "--epochs", "60", "--save", model])
    #expect(train.status == 0, "\(train.stderr)")
    // No --target: the model's own target, a, is scored — not the last column.
    let byName = try NNTopProcess.run(["predict", "--load", model, "--data", ordered])
    let explicit = try NNTopProcess.run(["predict", "--load", model, "--data", ordered, "--target", "a"])
    #expect(byName.status == 0 && byName.stdout.split(separator: "\n").count == 120)
    #expect(byName.stderr == explicit.stderr && byName.stdout == explicit.stdout)
    // --target as the loader reads names: differing in case only, the same column (once a trap).
    let folded = try NNTopProcess.run(["predict", "--load", model, "--data", ordered, "--target", "A"])
    #expect(folded.status == 0 && folded.stdout == byName.stdout && folded.stderr == byName.stderr, "\(folded.stderr)")
    let featureAsTarget = try NNTopProcess.run(["predict", "--load", model, "--data", ordered, "--target", "B"])
    #expect(featureAsTarget.status == 64 && featureAsTarget.stderr.contains("--target \"B\" is one of the columns \(model) takes as input"), "\(featureAsTarget.stderr)")
    // A column the model was not trained to predict is never scored against: an id is just left out.
    let withID = dir.write("ybid.csv", "y,b,id\n" + rows.enumerated().map { "\($1.y),\($1.b),\($0)\n" }.joined())
    let noScore = try NNTopProcess.run(["predict", "--load", model, "--data", withID])
    #expect(noScore.status == 0 && noScore.stdout == byName.stdout && noScore.stderr.isEmpty, "\(noScore.stderr)")
    let rmse = try #require(byName.stderr.split(separator: " ").dropFirst().first.flatMap { Double($0) })
    #expect(rmse < 0.5, "\(byName.stderr)")
    // Columns in another order, or only the features: the same predictions.
    let shuffled = try NNTopProcess.run(["predict", "--load", model, "--data", reversed])
    #expect(shuffled.stdout == byName.stdout && shuffled.stderr == byName.stderr)
    let bare = try NNTopProcess.run(["predict", "--load", model, "--data", featuresOnly])
    #expect(bare.stdout == byName.stdout && bare.stderr.isEmpty)
    // Whole-number targets are still numbers to a regression model.
    let whole = dir.write("whole.csv", "a,b,y\n1,0.5,0.25\n2,0.5,-0.25\n")
    let integral = try NNTopProcess.run(["predict", "--load", model, "--data", whole])
    #expect(integral.status == 0 && integral.stderr.hasPrefix("rmse "), "\(integral.stderr)")
    // A file without one of the model's columns says which.
    let partial = dir.write("ab.csv", "a,b\n1,2\n")
    let missing = try NNTopProcess.run(["predict", "--load", model, "--data", partial])
    #expect(missing.status == 65 && missing.stderr.contains("has no column \"y\", which \(model) was trained on"))
    // Resuming on the reordered file trains on the same columns and target.
    let resumed = try NNTopProcess.run(["--headless", "--data", reversed, "--load", model, "--epochs", "1"])
    #expect(resumed.status == 0 && resumed.stdout.contains("rmse"), "\(resumed.stderr)")
    let otherTask = try NNTopProcess.run(["--headless", "--data", reversed, "--load", model, "--epochs", "1", "--task", "classification"])
    #expect(otherTask.status == 64 && otherTask.stderr == "nntop: --task classification: \(model) was trained for regression\n", "\(otherTask.stderr)")
    let noTarget = try NNTopProcess.run(["--headless", "--data", featuresOnly, "--load", model, "--epochs", "1"])
    #expect(noTarget.status == 64 && noTarget.stderr.contains("has no column \"a\" for \(model) to learn"))
  }
}
