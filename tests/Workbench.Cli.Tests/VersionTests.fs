module Workbench.Cli.Tests.VersionTests

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
