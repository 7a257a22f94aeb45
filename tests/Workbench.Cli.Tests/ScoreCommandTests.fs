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
                let scores = Workbench.Tables.ColumnTable.ReadParquet(Path.Combine(dir, "scores.parquet"))
                Expect.equal scores.RowCount 10000 "one row per voter"
                Expect.equal (scores.Columns |> Seq.map (fun c -> c.Name, c.Type) |> List.ofSeq)
                    [ "voter", typeof<int>; "support", typeof<float32>; "turnout", typeof<float32>; "uplift", typeof<float32>
                      "true_uplift", typeof<float32>; "segment", typeof<string>; "cluster", typeof<int> ] "columns and types"
                Expect.sequenceEqual (scores["voter"].Values :?> int[]) [| 0 .. 9999 |] "voter index"
                let segments = scores["segment"].Values :?> string[] |> Set.ofArray
                Expect.equal segments.Count 5 "five segment names"
                Expect.isTrue ((scores["support"].Values :?> float32[]) |> Array.forall (fun p -> p >= 0.0f && p <= 1.0f)) "support is a probability"
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

[<Tests>]
let swing =
    testList "Cli.Swing" [
        test "swing prints the regression and the classes, and writes one CSV row per neighbourhood" {
            let dir = Cli.tempDir ()
            try
                let csv = System.IO.Path.Combine(dir, "areas.csv")
                let code, out, err = Cli.run [ "swing"; "--preset"; "classroom"; "--voters"; "20000"; "--party"; "Red"; "--seed"; "2"; "--out"; csv ]
                Expect.equal code 0 err
                use doc = System.Text.Json.JsonDocument.Parse out
                let r = doc.RootElement
                let rsq = r.GetProperty("rSquared").GetDouble()
                Expect.isTrue (rsq >= 0.0 && rsq <= 1.0) "R² in [0, 1]"
                let classes = [ for c in r.GetProperty("classes").EnumerateArray() -> c.GetProperty("class").GetString(), c.GetProperty("neighbourhoods").GetInt32() ]
                Expect.equal (List.map fst classes) [ "battle zone"; "swing street"; "stronghold"; "opponent stronghold"; "other" ] "classes"
                let lines = System.IO.File.ReadAllLines csv
                Expect.equal (lines.Length - 1) (r.GetProperty("neighbourhoods").GetInt32()) "one row per neighbourhood"
                Expect.equal (List.sumBy snd classes) (lines.Length - 1) "class counts add up"
            finally System.IO.Directory.Delete(dir, true)
        }
        test "an unknown party is exit 2 naming the parties" {
            let code, _, err = Cli.run [ "swing"; "--preset"; "classroom"; "--voters"; "20000"; "--party"; "Nobody" ]
            Expect.equal code 2 "exit 2"
            Expect.stringContains err "Red" "lists the parties"
        }
    ]

[<Tests>]
let schedule =
    testList "Cli.Schedule" [
        test "schedule prints home and answer indexes per segment and slot, and the plans" {
            let code, out, err = Cli.run [ "schedule"; "--preset"; "classroom"; "--voters"; "20000"; "--regime"; "uk-like"; "--attempts"; "2000"; "--seed"; "3" ]
            Expect.equal code 0 err
            use doc = System.Text.Json.JsonDocument.Parse out
            let r = doc.RootElement
            let first = r.GetProperty("homeIndex").EnumerateObject() |> Seq.head
            Expect.equal [ for p in first.Value.EnumerateObject() -> p.Name ] [ "morning"; "afternoon"; "evening" ] "slots"
            let plans = [ for p in r.GetProperty("plans").EnumerateArray() -> p.GetProperty("plan").GetString(), p.GetProperty("canvassContact").GetDouble() ] |> Map.ofList
            Expect.isGreaterThan plans.["scheduled by index"] plans.["random time"] "scheduling helps"
        }
        test "bad --attempts is exit 2" {
            let code, _, err = Cli.run [ "schedule"; "--preset"; "classroom"; "--voters"; "20000"; "--regime"; "uk-like"; "--attempts"; "1" ]
            Expect.equal code 2 "exit 2"
            Expect.stringContains err "--attempts" "names the flag"
        }
    ]
