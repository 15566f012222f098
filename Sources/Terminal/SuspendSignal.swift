import Foundation
import Synchronization

/// Ctrl-Z (SIGTSTP), then `fg`: the process stops with the terminal given
/// back to the shell, and the stop is not training time (the observer,
/// `ProcessStops` in Training, is told around it).
/// Headless, the handler stops the process itself (it only calls
/// async-signal-safe functions); with the dashboard it only asks, and the UI
/// loop ends curses, stops, and redraws the whole screen after `fg`
/// (`TerminalScreen.suspend()`), since curses must not be called from a
/// signal handler.
public enum SuspendSignal {
  private static let requested = Atomic<Bool>(false)
  private static let deferred = Atomic<Bool>(false)
  /// Safe as `nonisolated(unsafe)`: written only by `install`, before the
  /// handler that reads it exists, and never again while it can run (nntop
  /// installs once per process, on the main thread).
  nonisolated(unsafe) private static var observer: (any ProcessStopObserver)?

  /// Installs the handler; `deferred` when a UI loop polls `takeRequest()`.
  /// `observer` is told when the process stops and goes on; its methods
  /// must be async-signal-safe (they run in the handler).
  public static func install(deferred: Bool, observer: any ProcessStopObserver) {
    // Every global the handler touches is initialised here, not lazily inside it.
    Self.deferred.store(deferred, ordering: .relaxed)
    Self.requested.store(false, ordering: .relaxed)
    Self.observer = observer
    StopSignals.unblock([SIGTSTP, SIGCONT])
    installSignalHandler(SIGTSTP, flags: SA_RESTART) { _ in
      if SuspendSignal.deferred.load(ordering: .relaxed) {
        SuspendSignal.requested.store(true, ordering: .relaxed)
      } else {
        SuspendSignal.stopProcess()
      }
    }
  }

  /// Whether Ctrl-Z was pressed since the last call.
  public static func takeRequest() -> Bool { requested.exchange(false, ordering: .relaxed) }

  /// Stops the whole process (SIGSTOP) and returns once it is continued,
  /// the time in between counted as stopped.
  public static func stopProcess() {
    observer?.stopping()
    kill(getpid(), SIGSTOP)
    observer?.resumed()
  }
}

/// Told around a stop of the whole process (Ctrl-Z, then `fg`).
public protocol ProcessStopObserver: Sendable {
  func stopping()
  func resumed()
}
