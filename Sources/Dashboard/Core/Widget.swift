/// Something drawn into an area of a `Buffer` — the dashboard's panels, its
/// charts, the status line. Rendering is pure: the same widget, area and
/// theme give the same cells, which is what the golden screens test.
public protocol Widget {
  func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols)
}

extension DecisionBoundaryView: Widget {}
extension GradientPanel: Widget {}
extension Heatmap: Widget {}
extension HeatmapLegend: Widget {}
extension HelpOverlay: Widget {}
extension LineChart: Widget {}
extension LogBar: Widget {}
extension Sparkline: Widget {}
extension StatusBar: Widget {}
