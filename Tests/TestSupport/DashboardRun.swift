import Foundation

extension Tmux {
  /// `nntop ARGS` in this tmux server, in `dir` (its pid in pid.txt), then
  /// its exit status written to exit.txt, then a pause so the pane (and the
  /// restored terminal) can be inspected.
  public func launchNNTop(in dir: TemporaryDirectory, _ arguments: String, environment: [String: String] = ["LANG": "C.UTF-8"]) throws {
    try start(
      "cd '\(dir.path)' && sh -c 'echo $$ > pid.txt; exec \"$0\" \"$@\"' '\(NNTopProcess.executable)' \(arguments); echo EXIT=$? > exit.txt; exec sleep 600",
      environment: environment)
  }
}

extension TemporaryDirectory {
  /// The pid `Tmux.launchNNTop` recorded.
  public func recordedPID() throws -> pid_t {
    let text = try String(contentsOfFile: file("pid.txt"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    guard let pid = pid_t(text) else { throw Tmux.Failure(description: "pid.txt holds \(text)") }
    return pid
  }

  /// `EXIT=N` once the launched nntop has exited.
  public func exitStatus(timeout: Double = 30) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: file("exit.txt"), encoding: .utf8), !text.isEmpty { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
      usleep(50_000)
    }
    throw Tmux.Failure(description: "nntop did not exit")
  }
}
