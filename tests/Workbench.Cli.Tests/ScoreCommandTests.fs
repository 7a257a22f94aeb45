module Workbench.Cli.Tests.ScoreCommandTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testList "Cli.score" [
        test "prints metrics per model and writes scores.parquet" {
            let dir = Cli.tempDir ()
            try
                let code, out, err = Cli.run [ "score"; "--preset"; "classroom"; "--voters"; "10000"; "--regime"; "uk-like"; "--seed"; "4"; "--out"; dir ]
                Expect.equal code 0 err
                let j = JsonNode.Parse out
                Expect.equal (j.["regime"].GetValue<string>()) "uk-like" "regime"
                Expect.isGreaterThan (j.["support"].["auc"].GetValue<float>()) 0.5 "support AUC"
                Expect.isGreaterThan (j.["support"].["trainingSize"].GetValue<int>()) 100 "training size"
                Expect.equal (j.["uplift"].AsArray().Count) 2 "two uplift models"
                Expect.equal (j.["segments"].AsArray().Count) 5 "five classical segments"
                Expect.isGreaterThan (FileInfo(Path.Combine(dir, "scores.parquet")).Length) 1000L "scores written"
            finally Directory.Delete(dir, true)
        }
        test "an invalid regime file lists every error; an unknown regime name exits 2" {
            let dir = Cli.tempDir ()
            try
                let bad = Path.Combine(dir, "bad.json")
                File.WriteAllText(bad, """{ "name": "", "minimumUnitHouseholds": 0 }""")
                let code, _, err = Cli.run [ "score"; "--preset"; "classroom"; "--voters"; "10000"; "--regime"; bad ]
                Expect.equal code 2 "invalid"
                Expect.stringContains err "$.minimumUnitHouseholds" "first error"
                Expect.stringContains err "$.name" "second error"
                let code2, _, err2 = Cli.run [ "score"; "--preset"; "classroom"; "--regime"; "mars-like" ]
                Expect.equal code2 2 "unknown"
                Expect.stringContains err2 "mars-like" "names it"
            finally Directory.Delete(dir, true)
        }
    ]

[<Tests>]
let areas =
    test "Cli.areas: representative against random area sampling as JSON; invalid counts exit 2" {
        let code, out, err = Cli.run [ "areas"; "--preset"; "classroom"; "--voters"; "20000"; "--areas"; "6"; "--doors"; "400"; "--replicates"; "5"; "--seed"; "2" ]
        Expect.equal code 0 err
        let j = System.Text.Json.Nodes.JsonNode.Parse out
        Expect.equal [ for m in j.["methods"].AsArray() -> m.["method"].GetValue<string>() ] [ "representative"; "random" ] "both methods"
        Expect.equal (j.["trueShares"].AsArray().Count) 5 "five parties"
        let code, _, err = Cli.run [ "areas"; "--preset"; "classroom"; "--voters"; "20000"; "--areas"; "100000"; "--doors"; "400" ]
        Expect.equal code 2 "too many areas"
        Expect.stringContains err "--areas" "names the option"
    }
