namespace Workbench.Cli.Tests

open System
open System.IO

/// Identifies this test assembly to the runner in tests/Workbench.Tests.
type Marker = class end

/// Runs the `workbench` command in process, capturing stdout, stderr and the exit code.
module Cli =
    let private gate = obj ()

    /// Runs `workbench args` in process. Console redirection is process-wide, so calls are serialised.
    let run (args: string list) =
        lock gate (fun () ->
            let out, err = new StringWriter(), new StringWriter()
            let oldOut, oldErr = Console.Out, Console.Error
            Console.SetOut out
            Console.SetError err
            try
                let code = global.Workbench.Cli.Program.Main(List.toArray args)
                code, out.ToString(), err.ToString()
            finally
                Console.SetOut oldOut
                Console.SetError oldErr)

    /// A fresh temporary folder, deleted by the caller with `cleanup`.
    let tempDir () =
        let d = Path.Combine(Path.GetTempPath(), "wb-test-" + Guid.NewGuid().ToString("N"))
        Directory.CreateDirectory d |> ignore
        d
