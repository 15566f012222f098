import Interop
import ArgumentParser
import Dashboard
import Datasets
import Terminal
import Foundation
import NeuralNet
import RunEvents
import Training

/// `nntop`: htop for neural-network training.
struct NNTop: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nntop",
    abstract: "htop for neural-network training: train an MLP in the terminal, watch it learn, steer it live.",
    discussion: """
      Without a subcommand, nntop trains (see `nntop train --help`): on a terminal it opens the \
      live dashboard; with --headless, or when output is not a terminal, it prints one line per epoch.
      """,
    version: "0.1.0",
    subcommands: [Train.self, WatchRun.self, Example.self, Predict.self, Replay.self, Plot.self, Bench.self, Themes.self],
    defaultSubcommand: Train.self)

  /// Parses the command line, runs it, and exits; every failure becomes one
  /// line on stderr and an exit code below 128.
  static func runAndExit() -> Never {
    do {
      var command = try parseAsRoot()
      // A kernel set asked for by name that cannot run is a usage error, not a silent fallback.
      if let problem = KernelSet.requestProblem { throw RunFailure(message: problem, code: 64) }
      try command.run()
      Foundation.exit(0)
    } catch {
      exitWithMessage(for: error)
    }
  }

  static func exitWithMessage(for error: Error) -> Never {
    let (message, code) = describe(error)
    if code == 0 {
      print(message)
      Foundation.exit(0)
    }
    warn(message)
    Foundation.exit(code)
  }

  /// The one-line message and exit code of any error nntop can meet.
  static func describe(_ error: Error) -> (String, Int32) {
    switch error {
    case let e as DataError: return (e.description, e.exitCode)
    case let e as ArchitectureError: return (e.description, 64)
    case let e as CheckpointError: return (e.description, e.unreadable ? 66 : 65)
    case let e as RunLogError: return (e.description, 73)
    case let e as RunFailure: return (e.message, e.code)
    case let e as ThemeError: return (e.description, e.unreadable ? 66 : 65)
    case let e as RecordingError: return (e.description, e.unreadable ? 66 : 65)
    case let e as TensorBoardError: return (e.description, 73)
    case let e as OutputError: return (e.description, e.code)
    case let e as TerminalError: return (e.description, 69)
    default:
      let code = exitCode(for: error).rawValue
      if code == 0 { return (fullMessage(for: error), 0) }
      return (oneLine(NNTop.message(for: error)) + " (see nntop --help)", code == 1 ? 64 : code)
    }
  }
}

/// One line on stderr: `nntop: …` (a warning; the command goes on).
func warn(_ message: String) {
  FileHandle.standardError.write(Data(("nntop: " + message + "\n").utf8))
}

/// Folds ArgumentParser's multi-line messages (lists of choices) into one line.
func oneLine(_ message: String) -> String {
  let parts = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  guard let head = parts.first else { return message }
  let rest = parts.dropFirst().map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
  return rest.isEmpty ? head : head + " " + rest.joined(separator: ", ")
}

/// A run that ended badly on purpose: a message and an exit code.
struct RunFailure: Error {
  var message: String
  var code: Int32 = 1
}

extension Activation: ExpressibleByArgument {}
extension Loss: ExpressibleByArgument {}
extension Initializer: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
