import Dashboard

// Theme files (TOML through nntop's own parser, then nntop's keys, colours and
// attributes), alone and as a user theme over the default. Thrown `ThemeError`s are expected; only traps, crashes and
// hangs count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = try? Theme.parse(toml: text, file: "fuzz.toml")
  // As a user theme: over the default's keys.
  _ = try? Theme.parse(toml: text, file: "fuzz.toml", inheriting: BuiltinThemes.defaultTOML)
  return 0
}
