module Workbench.Cli.Tests.VersionTests

open System.IO
open System.Text.Json
open Expecto

[<Tests>]
let tests =
    testList "Cli.Version" [
        test "version prints library, cli and runtime versions as JSON" {
            let code, out, _ = Cli.run [ "version" ]
            Expect.equal code 0 "exit code"
            use doc = JsonDocument.Parse out
            for key in [ "workbench"; "cli"; "runtime" ] do
                Expect.isTrue (doc.RootElement.TryGetProperty(key) |> fst) $"has {key}"
        }
        test "an unknown command is a usage error with exit code 2" {
            let code, _, err = Cli.run [ "no-such-command" ]
            Expect.equal code 2 "exit code"
            Expect.stringContains err "no-such-command" "names the bad token"
        }
    ]

[<Tests>]
let docs =
    test "Cli.docs: docs/parameters.md is exactly what workbench docs generates from the [Param] metadata, with every documented type" {
        let committed = File.ReadAllText(Path.Combine(Cli.repoRoot, "docs", "parameters.md"))
        let code, out, err = Cli.run [ "docs" ]
        Expect.equal code 0 err
        Expect.equal out committed "docs/parameters.md is stale: run `dotnet run --project lib/Workbench.Cli -c Release -- docs --out docs/parameters.md`"
        for t in Workbench.Parameters.DocumentedTypes() do Expect.stringContains out ("## " + t.Name + " (") (t.Name + " has a table")
        Expect.stringContains out "| `epsilon` |" "opinion-dynamics parameters are documented"
        Expect.stringContains out "| `canvass` | Canvass |" "built-in channels with their calibration"
        Expect.stringContains out "| `canvassContactsPerVote` | 30 | 20 | 14 |" "the evidence presets with their sources"
    }
