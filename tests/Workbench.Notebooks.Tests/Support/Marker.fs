namespace Workbench.Notebooks.Tests

/// Identifies this test assembly to the runner in tests/Workbench.Tests.
type Marker = class end
