/// `workbench simulate --regime`: a scenario under another data regime, recorded in the run's manifest; knowledge quality in the summary.
module Workbench.Cli.Tests.SimulateRegimeTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testList "Cli.simulate.regime" [
        test "simulate scored-targeting --regime eu-gdpr runs under that regime, says so, reports each campaign's knowledge quality, and verifies" {
            Cli.withDir (fun dir ->
                let out = Path.Combine(dir, "run")
                let code, stdout, err = Cli.run [ "simulate"; "scored-targeting"; "--regime"; "eu-gdpr"; "--voters"; "10000"; "--replicates"; "1"; "--out"; out ]
                Expect.equal code 0 err
                let summary = JsonNode.Parse stdout
                Expect.equal (summary.["regime"].GetValue<string>()) "eu-gdpr" "the regime of the run"
                for s in summary.["spend"].AsArray() do
                    let auc = s.["supportAuc"].GetValue<float>()
                    Expect.isTrue (auc > 0.5 && auc < 1.0) (sprintf "%O: support AUC %f" s.["arm"] auc)
                    Expect.isNotNull s.["turnoutCorrelation"] "turnout correlation reported"
                let manifest = File.ReadAllText(Path.Combine(out, "manifest.json"))
                Expect.stringContains manifest "eu-gdpr" "the manifest records the regime"
                let vcode, _, verr = Cli.run [ "verify"; out ]
                Expect.equal vcode 0 (sprintf "a rerun from the manifest gives the same bytes: %s" verr))
        }
        test "an unknown --regime is refused with exit 2 naming the flag and the regimes" {
            let code, _, err = Cli.run [ "simulate"; "classroom"; "--regime"; "martian" ]
            Expect.equal code 2 err
            Expect.stringContains err "--regime must be one of" "names the flag"
            Expect.stringContains err "uk-like" "lists the regimes"
        }
    ]
