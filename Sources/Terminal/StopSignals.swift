import Foundation
import Synchronization

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT become a flag the loops poll, so every way out of a
/// run goes through the same clean shutdown (log summary, checkpoint,
/// terminal restored). The handler only stores into an atomic, which is
/// async-signal-safe.
public enum StopSignals {
  private static let received = Atomic<Int32>(0)

  /// Installs the handlers (idempotent), and unblocks the signals: a parent
  /// may have blocked them (libdispatch worker threads do), and a blocked
  /// mask is inherited across exec.
  public static func install() {
    unblock([SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH])
    received.store(0, ordering: .relaxed)  // initialised here, not lazily in the handler
    // SIGQUIT too: the Swift runtime's backtracer would otherwise draw a
    // crash report over the dashboard and wait for a key.
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
      installSignalHandler(sig) { signal in StopSignals.received.store(signal, ordering: .relaxed) }
    }
  }

  /// Removes `signals` from the calling thread's blocked mask.
  public static func unblock(_ signals: [Int32]) {
    var set = sigset_t()
    sigemptyset(&set)
    for s in signals { sigaddset(&set, s) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// The signal that asked to stop, or nil.
  public static var pending: Int32? {
    let s = received.load(ordering: .relaxed)
    return s == 0 ? nil : s
  }

  /// Forgets a received signal (tests).
  public static func reset() { received.store(0, ordering: .relaxed) }
}
