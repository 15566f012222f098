/// The colours of the dashboard, by role. Built-in themes live in `themes/`
/// (embedded in the binary); users add their own TOML files.
public struct Theme: Sendable, Equatable {
  public var name: String
  public var description: String
  /// No colour: verdicts in reverse video, the heatmap in shading characters.
  public var monochrome: Bool
  public var background: Color
  public var text: Color
  public var dim: Color
  public var border: Color
  public var title: Color
  public var accent: Color
  public var train: Color
  public var validation: Color
  public var axis: Color
  public var marks: Color
  public var ok: Color
  public var warn: Color
  public var bad: Color
  public var running: Color
  public var paused: Color
  public var finished: Color
  public var diverged: Color
  /// The diverging heatmap ramp, most negative first; the middle entry is zero.
  public var heatmap: [Color]
  public var classes: [Color]
  /// Draw the heatmap with shading characters (mono, or too few colours for a ramp).
  public var heatmapShading: Bool
  /// The colours of compared runs, in every theme the colour-blind-safe
  /// Okabe–Ito set (orange, sky blue, bluish green, vermillion, blue,
  /// reddish purple, yellow), as near as xterm-256 has them.
  public var runs: [Color] = [.indexed(214), .indexed(117), .indexed(36), .indexed(166), .indexed(25), .indexed(175), .indexed(227)]

  // MARK: - Styles by role

  public var base: Style { Style(fg: text, bg: background) }
  public var dimmed: Style { Style(fg: dim, bg: background, dim: monochrome) }
  public var borderStyle: Style { Style(fg: border, bg: background) }
  public var titleStyle: Style { Style(fg: title, bg: background, bold: true) }
  public var accentStyle: Style { Style(fg: accent, bg: background, bold: true) }

  /// The style of a series or mark colour on the panel background.
  public func ink(_ color: Color) -> Style { Style(fg: color, bg: background) }

  /// A badge: coloured text, or reverse video when monochrome.
  public func badge(_ color: Color, emphasis: Bool) -> Style {
    monochrome ? Style(bg: background, bold: emphasis, reverse: emphasis) : Style(fg: color, bg: background, bold: true)
  }

  /// The colour of compared run `k` (cycling through the palette).
  public func runColor(_ k: Int) -> Color { runs.isEmpty ? text : runs[k % runs.count] }

  /// The colour of class `k` (cycling through the palette).
  public func classColor(_ k: Int) -> Color { classes.isEmpty ? text : classes[k % classes.count] }

  /// The theme on a terminal with only `colors` colours (8 or 16): chromatic
  /// colours go to the nearest system colour of the same kind, greys to the
  /// system grey that reads on the theme's background (white on dark, black
  /// on light), so no border or label vanishes; the heatmap falls back to
  /// shading.
  public func reduced(to colors: Int) -> Theme {
    guard colors < 256 else { return self }
    var t = self
    let luminance = text.rgb.map { ($0.r * 3 + $0.g * 6 + $0.b) / 10 } ?? 255
    let darkBackground = luminance >= 128
    func map(_ c: Color) -> Color {
      guard case .indexed(let i) = c, Int(i) >= colors, let rgb = c.rgb else { return c }
      if max(rgb.r, rgb.g, rgb.b) - min(rgb.r, rgb.g, rgb.b) < 48 {
        return darkBackground ? .indexed(7) : .indexed(0)
      }
      return c.reduced(to: colors, chromaticOnly: true)
    }
    t.text = map(text)
    t.dim = map(dim)
    t.border = map(border)
    t.title = map(title)
    t.accent = map(accent)
    t.train = map(train)
    t.validation = map(validation)
    t.axis = map(axis)
    t.marks = map(marks)
    t.ok = map(ok)
    t.warn = map(warn)
    t.bad = map(bad)
    t.running = map(running)
    t.paused = map(paused)
    t.finished = map(finished)
    t.diverged = map(diverged)
    t.heatmap = heatmap.map(map)
    t.classes = classes.map(map)
    t.runs = runs.map(map)
    t.background = background.reduced(to: colors)
    t.heatmapShading = true
    return t
  }

  /// Every colour the theme can paint with no colour at all (NO_COLOR, `TERM=dumb`).
  public var withoutColor: Theme {
    var t = self
    t.monochrome = true
    t.heatmapShading = true
    for keyPath: WritableKeyPath<Theme, Color> in [
      \.background, \.text, \.dim, \.border, \.title, \.accent, \.train, \.validation, \.axis, \.marks, \.ok, \.warn, \.bad,
      \.running, \.paused, \.finished, \.diverged,
    ] { t[keyPath: keyPath] = .default }
    t.heatmap = heatmap.map { _ in .default }
    t.classes = [.default]
    t.runs = [.default]
    return t
  }
}

extension Theme {
  /// An RGB-interpolated ramp from `negative` through `zero` to `positive`,
  /// `steps` colours on each side (2·steps + 1 in all), in the 256-colour palette.
  static func ramp(negative: Color, zero: Color, positive: Color, steps: Int) -> [Color] {
    guard let n = negative.rgb, let z = zero.rgb, let p = positive.rgb else {
      return Array(repeating: negative, count: steps) + [zero] + Array(repeating: positive, count: steps)
    }
    func mix(_ a: (r: Int, g: Int, b: Int), _ b: (r: Int, g: Int, b: Int), _ t: Double) -> Color {
      Color.nearest(
        r: Int((Double(a.r) + (Double(b.r) - Double(a.r)) * t).rounded()),
        g: Int((Double(a.g) + (Double(b.g) - Double(a.g)) * t).rounded()),
        b: Int((Double(a.b) + (Double(b.b) - Double(a.b)) * t).rounded()))
    }
    let s = max(steps, 1)
    let negatives = (0..<s).map { i in mix(n, z, Double(i) / Double(s)) }
    let positives = (1...s).map { i in mix(z, p, Double(i) / Double(s)) }
    return negatives + [zero] + positives
  }
}
