import Foundation

/// Installs `handler` for `signal` with an empty mask. The handler must only
/// do async-signal-safe work (store into atomics, raise, kill). The one
/// place that touches `struct sigaction`, whose handler field glibc and
/// Darwin spell differently.
func installSignalHandler(_ signal: Int32, flags: Int32 = 0, _ handler: @convention(c) (Int32) -> Void) {
  var action = sigaction()
  #if canImport(Glibc)
    action.__sigaction_handler.sa_handler = handler
  #else
    action.__sigaction_u.__sa_handler = handler
  #endif
  sigemptyset(&action.sa_mask)
  action.sa_flags = flags
  sigaction(signal, &action, nil)
}
