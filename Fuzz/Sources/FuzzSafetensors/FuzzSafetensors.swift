import Interop
import Training

// safetensors container, then the nntop checkpoint on top of it (metadata
// JSON, architecture, encoding, tensor shapes). Thrown `CheckpointError`s
// are expected; only traps, crashes and hangs count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
  guard let file = try? Safetensors(bytes: bytes, file: "fuzz.safetensors") else { return 0 }
  _ = try? Checkpoint(file, file: "fuzz.safetensors")
  return 0
}
