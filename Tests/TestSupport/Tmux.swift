import Foundation

/// A private tmux server running one command in a detached window, read with
/// `capture-pane` and driven with `send-keys`: the dashboard as a person sees it.
public final class Tmux {
  public let socket: String
  public let width: Int
  public let height: Int

  public struct Failure: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
  }

  public init(width: Int = 120, height: Int = 40) {
    socket = "nntop-test-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    self.width = width
    self.height = height
  }

  deinit { _ = try? run(["kill-server"]) }

  /// Runs a tmux command on the private server; returns its stdout.
  ///
  /// Spawned with posix_spawn and reaped with waitpid, output through a
  /// file: `new-session` forks the tmux server, which keeps inherited pipes
  /// open, and Foundation's Process was seen waiting for ever on its client.
  @discardableResult
  public func run(_ arguments: [String]) throws -> String {
    let outputPath = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString.prefix(6)).out"
    defer { unlink(outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, arguments.first == "new-session" ? "/dev/null" : outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    // A clean signal state for tmux and what it runs: test threads block
    // signals (libdispatch does), and a blocked mask survives exec.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t(), all = sigset_t()
    sigemptyset(&empty)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArgs, environ)
    guard spawned == 0 else { throw Failure(description: "cannot run tmux (error \(spawned)): is it installed?") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
  }

  /// Starts `command` (a shell command line) in a new session of the given
  /// size, with `environment` set for it. NO_COLOR is cleared unless given:
  /// `swift test` sets it for its own output, and the dashboard would obey.
  public func start(_ command: String, environment: [String: String] = [:]) throws {
    let env = environment.merging(["NO_COLOR": ""]) { given, _ in given }.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
    try run(["new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height)] + env + [command])
  }

  /// The screen as lines of text.
  public func capture() throws -> [String] {
    var lines = try run(["capture-pane", "-p", "-t", "main"]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }  // the newline after the last row
    return lines
  }

  public func send(_ keys: String...) throws {
    try run(["send-keys", "-t", "main"] + keys)
  }

  public func resize(width: Int, height: Int) throws {
    try run(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
  }

  /// A pane variable such as `alternate_on` or `cursor_flag`.
  public func pane(_ variable: String) throws -> String {
    try run(["display-message", "-p", "-t", "main", "#{\(variable)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Waits until the screen satisfies `condition`; returns that screen.
  @discardableResult
  public func waitFor(_ what: String, timeout: Double = 30, _ condition: ([String]) -> Bool) throws -> [String] {
    let deadline = Date().addingTimeInterval(timeout)
    var screen: [String] = []
    while Date() < deadline {
      screen = try capture()
      if condition(screen) { return screen }
      usleep(50_000)
    }
    throw Failure(description: "timed out waiting for \(what); the screen was:\n" + screen.joined(separator: "\n"))
  }
}
