namespace Workbench.Tests

/// Identifies this test assembly to the runner (Main.fs).
type Marker = class end
