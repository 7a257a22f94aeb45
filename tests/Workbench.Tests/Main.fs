module Workbench.Tests.Main

open Expecto
open Expecto.Impl

/// Every test assembly: lib/Workbench's tests (this one) and the other test projects.
let private assemblies =
    [ typeof<Workbench.Tests.Marker>.Assembly
      typeof<Workbench.Notebooks.Tests.Marker>.Assembly
      typeof<Workbench.Cli.Tests.Marker>.Assembly ]

[<EntryPoint>]
let main argv =
    let tests = assemblies |> List.choose testFromAssembly |> fun ts -> TestList(ts, Normal)
    // CI reads a closing line `N passed, N failed` alone on a line (see .ci/run).
    let printer =
        { defaultConfig.printer with
            summary = fun config summary -> async {
                do! defaultConfig.printer.summary config summary
                let failed = summary.failed.Length + summary.errored.Length
                printfn "\n%d passed, %d failed, %d skipped" summary.passed.Length failed summary.ignored.Length } }
    runTestsWithCLIArgs [ CLIArguments.Printer printer; CLIArguments.No_Spinner ] argv tests
