import Foundation
import Terminal
import RunEvents
import Training

/// How a pending SIGINT, SIGTERM or SIGHUP ends a run.
func stopReasonFromSignals() -> RunSummary.Ending? {
  switch StopSignals.pending {
  case nil: nil
  case SIGINT: .interrupted
  case SIGHUP: .hangup
  case SIGQUIT: .quitSignal
  default: .terminated
  }
}

extension RunSummary.Ending {
  /// The exit status of a run that ended this way: 128 + the signal for one
  /// stopped by a signal (SIGPIPE's for a closed stdout), as shells expect,
  /// so `nntop … && next` does not go on; 74 for a failed write; nil for 0.
  var exitStatus: Int32? {
    switch self {
    case .interrupted: 128 + SIGINT
    case .terminated: 128 + SIGTERM
    case .hangup: 128 + SIGHUP
    case .quitSignal: 128 + SIGQUIT
    case .outputClosed: 128 + SIGPIPE
    case .writeFailed: 74
    case .failed: 1
    case .completed, .quit, .diverged, .earlyStopped: nil
    }
  }
}

/// Ctrl-Z's handler tells the training clock that the process stopped.
extension ProcessStops: ProcessStopObserver {}
