module Workbench.Cli.Tests.SimulateCommandTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

let private scenario = """{ "name": "cli", "electorate": { "preset": "classroom", "voters": 10000 }, "regime": "us-like",
  "systems": [ { "name": "FPTP", "type": "fptp" }, { "name": "D'Hondt", "type": "list", "method": "dhondt" } ],
  "campaigns": [ { "party": "Red", "budget": 5000, "channels": ["canvass", "phone"] } ], "replicates": 2, "seed": 3 }"""

[<Tests>]
let tests =
    testList "Cli.simulate" [
        test "writes results.csv, results.parquet, summary.json and manifest.json and prints the summary" {
            let dir = Cli.tempDir ()
            try
                let file = Path.Combine(dir, "s.json")
                File.WriteAllText(file, scenario)
                let out = Path.Combine(dir, "out")
                let code, stdout, stderr = Cli.run [ "simulate"; file; "--out"; out; "--threads"; "2"; "--replicates"; "3" ]
                Expect.equal code 0 stderr
                let summary = JsonNode.Parse(stdout)
                Expect.equal (summary.["replicates"].GetValue<int>()) 3 "--replicates overrides the file"
                let effects = summary.["effects"].AsArray()
                Expect.isTrue (effects |> Seq.exists (fun e -> e.["party"].GetValue<string>() = "Red" && e.["system"].GetValue<string>() = "D'Hondt")) "Red under D'Hondt"
                for f in [ "results.csv"; "results.parquet"; "summary.json"; "manifest.json" ] do Expect.isTrue (File.Exists(Path.Combine(out, f))) f
                let lines = File.ReadAllLines(Path.Combine(out, "results.csv"))
                Expect.equal lines.[0] "scenario,arm,replicate,seed,system,party,votes,share,seats,turnout,spend,contacts" "header"
                Expect.equal lines.Length (1 + 3 * 2 * 2 * 5) "3 replicates × 2 arms (baseline, campaign) × 2 systems × 5 parties"
                let manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(out, "manifest.json")))
                Expect.equal (manifest.["scenarioSha256"].GetValue<string>().Length) 64 "scenario hash"
                Expect.equal (manifest.["replicateSeeds"].AsArray().Count) 3 "replicate seeds"
            finally Directory.Delete(dir, true)
        }
        test "--evidence reruns the scenario under another evidence preset, recorded in the manifest; an unknown preset exits 2 naming the flag" {
            let dir = Cli.tempDir ()
            try
                let file = Path.Combine(dir, "s.json")
                File.WriteAllText(file, scenario)
                let share (stdout: string) =
                    JsonNode.Parse(stdout).["effects"].AsArray() |> Seq.find (fun e -> e.["party"].GetValue<string>() = "Red" && e.["system"].GetValue<string>() = "FPTP")
                    |> fun e -> e.["shareChangePoints"].["mean"].GetValue<double>()
                let out = Path.Combine(dir, "opt")
                let code, optimistic, err = Cli.run [ "simulate"; file; "--evidence"; "optimistic"; "--threads"; "2"; "--out"; out ]
                Expect.equal code 0 err
                let code, central, err = Cli.run [ "simulate"; file; "--threads"; "2" ]
                Expect.equal code 0 err
                Expect.notEqual (share optimistic) (share central) "other channel effects, other results"
                let manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(out, "manifest.json")))
                Expect.equal (manifest.["scenarioJson"].["evidence"].GetValue<string>()) "optimistic" "the rerunnable scenario names the preset"
                let code, _, err = Cli.run [ "simulate"; file; "--evidence"; "rosy" ]
                Expect.equal code 2 "unknown preset"
                Expect.stringContains err "--evidence" "names the flag"
                Expect.stringContains err "pessimistic, central, optimistic" "and the valid values"
            finally Directory.Delete(dir, true)
        }
        test "a missing file or an invalid scenario exits 2 with the errors" {
            let code, _, err = Cli.run [ "simulate"; "/nonexistent/s.json" ]
            Expect.equal code 2 "missing file"
            Expect.stringContains err "does not exist" "says so"
            let dir = Cli.tempDir ()
            try
                let file = Path.Combine(dir, "bad.json")
                File.WriteAllText(file, scenario.Replace("\"Red\"", "\"Mauve\"").Replace("\"fptp\"", "\"borda\""))
                let code, _, err = Cli.run [ "simulate"; file ]
                Expect.equal code 2 "invalid scenario"
                Expect.stringContains err "$.campaigns[0].party" "names the party error"
                Expect.stringContains err "$.systems[0].type" "and the system error"
            finally Directory.Delete(dir, true)
        }
    ]
