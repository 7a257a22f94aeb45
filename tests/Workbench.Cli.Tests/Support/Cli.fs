namespace Workbench.Cli.Tests

open System
open System.IO

/// Identifies this test assembly to the runner in tests/Workbench.Tests.
type Marker = class end

/// Runs the `workbench` command in process, capturing stdout, stderr and the exit code.
module Cli =
    /// Runs `workbench args` in process, capturing this call's console output through the
    /// per-flow ConsoleRouter (so parallel tests and notebook sessions do not mix their streams).
    let run (args: string list) =
        let out, err = new StringWriter(), new StringWriter()
        let code =
            use _capture = global.Workbench.Notebooks.Engine.ConsoleRouter.Capture(out, err)
            global.Workbench.Cli.Program.Main(List.toArray args)
        code, out.ToString(), err.ToString()

    /// The repository checkout.
    let repoRoot = Workbench.Notebooks.Tests.Repo.root

    /// A fresh temporary folder, deleted by the caller with `cleanup`.
    let tempDir () =
        let d = Path.Combine(Path.GetTempPath(), "wb-test-" + Guid.NewGuid().ToString("N"))
        Directory.CreateDirectory d |> ignore
        d
