/// `workbench sensitivity` (docs/sensitivity.md): a Sobol' and a Morris analysis of a small scenario, the same bytes for
/// 1 and 2 threads and for a run planned into shards, run with `workbench sweep run` and merged; validation with exit code 2.
module Workbench.Cli.Tests.SensitivityCommandTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

let private scenario = Path.Combine(Cli.repoRoot, "tests", "sensitivity", "small.json")
let private parameters = Path.Combine(Cli.repoRoot, "tests", "sensitivity", "small-parameters.json")
/// The files an analysis writes that must not depend on how it was run (chart.html is derived from the same indices).
let private files = [ "runs.csv"; "indices.csv"; "summary.json"; "results.csv"; "results.parquet"; "runs.parquet"; "indices.parquet"; "chart.html" ]
let private sameBytes (a: string) (b: string) what =
    for f in files do Expect.sequenceEqual (File.ReadAllBytes(Path.Combine(b, f))) (File.ReadAllBytes(Path.Combine(a, f))) (sprintf "%s: %s" what f)

let private sobol (threads: int) =
    let dir = Cli.tempDir ()
    let code, out, err = Cli.run [ "sensitivity"; scenario; "--parameters"; parameters; "--method"; "sobol"; "--samples"; "8"; "--threads"; string threads; "--out"; dir ]
    Expect.equal code 0 err
    dir, out

let private reference = lazy (sobol 2)

let private usage (args: string list) (text: string) =
    let code, _, err = Cli.run ("sensitivity" :: args)
    Expect.equal code 2 (sprintf "exit 2 for %A: %s" args err)
    Expect.stringContains err text (sprintf "the message for %A names the problem" args)

[<Tests>]
let tests =
    testList "Experiments.Sensitivity.Cli" [
        test "a Sobol' analysis writes the runs and indices tables, a summary and the chart; N·(k+2) runs" {
            let dir, out = reference.Value
            let summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))
            Expect.equal (summary.["runs"].GetValue<int>()) (8 * 4) "N·(k+2) = 8·4"
            Expect.equal (summary.["method"].GetValue<string>()) "sobol" "method"
            Expect.equal (JsonNode.Parse(out).["sweepSha256"].GetValue<string>()) (summary.["sweepSha256"].GetValue<string>()) "stdout is the summary"
            let runs = File.ReadAllLines(Path.Combine(dir, "runs.csv"))
            Expect.equal runs.[0] "run,block,kind,parameter,budget,persuasion,shareGain:Red,seatGain:Red:FPTP" "runs header"
            Expect.equal runs.Length (1 + 32) "one line per run"
            let indices = File.ReadAllLines(Path.Combine(dir, "indices.csv"))
            Expect.equal indices.[0] "metric,parameter,S1,S1Low,S1High,ST,STLow,STHigh" "indices header"
            Expect.equal indices.Length (1 + 2 * 2) "two metrics × two parameters"
            let share = summary.["metrics"].[0]
            Expect.isGreaterThan (share.["variance"].GetValue<float>()) 0.0 "Red's share gain varies with the parameters"
            Expect.stringContains (File.ReadAllText(Path.Combine(dir, "chart.html"))) "Plotly.newPlot" "an offline chart page"
        }
        test "same bytes for 1 and 2 threads" {
            let one, _ = sobol 1
            sameBytes (fst reference.Value) one "1 vs 2 threads"
        }
        test "planned into 3 shards, run with 'workbench sweep run', merged and analysed: the bytes of the single run" {
            let dir = Cli.tempDir ()
            let code, out, err = Cli.run [ "sensitivity"; scenario; "--parameters"; parameters; "--samples"; "8"; "--plan-only"; "--shards"; "3"; "--out"; dir ]
            Expect.equal code 0 err
            Expect.stringContains out "sweep merge" "says how to continue"
            Expect.isTrue (File.Exists(Path.Combine(dir, "sweep.sbatch"))) "a Slurm array script"
            usage [ "--analyse"; dir ] "no merged results"
            for k in 0 .. 2 do
                let c, _, e = Cli.run [ "sweep"; "run"; dir; "--shard"; string k; "--threads"; "1" ]
                Expect.equal c 0 e
            let c, _, e = Cli.run [ "sweep"; "merge"; dir ]
            Expect.equal c 0 e
            let c, _, e = Cli.run [ "sensitivity"; "--analyse"; dir ]
            Expect.equal c 0 e
            sameBytes (fst reference.Value) dir "sharded vs single run"
        }
        test "a Morris screening: r·(k+1) runs, μ, μ* and σ per parameter" {
            let dir = Cli.tempDir ()
            let code, _, err = Cli.run [ "sensitivity"; scenario; "--parameters"; parameters; "--method"; "morris"; "--samples"; "4"; "--metrics"; "shareGain:Red"; "--seed"; "3"; "--out"; dir ]
            Expect.equal code 0 err
            let indices = File.ReadAllLines(Path.Combine(dir, "indices.csv"))
            Expect.equal indices.[0] "metric,parameter,mu,muStar,sigma" "Morris columns"
            Expect.equal (File.ReadAllLines(Path.Combine(dir, "runs.csv")).Length) (1 + 4 * 3) "r·(k+1) runs"
            let summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))
            Expect.isGreaterThan (summary.["metrics"].[0].["indices"].[0].["muStar"].GetValue<float>()) 0.0 "the budget moves Red's share"
        }
        test "--evidence runs the analysis under another preset: the plan records it, and --analyse of the planned runs gives the same indices as a direct run" {
            let planned = Cli.tempDir ()
            let code, _, err = Cli.run [ "sensitivity"; scenario; "--parameters"; parameters; "--samples"; "4"; "--evidence"; "optimistic"; "--plan-only"; "--out"; planned ]
            Expect.equal code 0 err
            let plan = JsonNode.Parse(File.ReadAllText(Path.Combine(planned, "sensitivity.json")))
            Expect.equal (plan.["scenarioJson"].["evidence"].GetValue<string>()) "optimistic" "the planned scenario names the preset"
            let c, _, e = Cli.run [ "sweep"; "run"; planned; "--all"; "--threads"; "2" ]
            Expect.equal c 0 e
            let c2, _, e2 = Cli.run [ "sweep"; "merge"; planned ]
            Expect.equal c2 0 e2
            let c3, _, e3 = Cli.run [ "sensitivity"; "--analyse"; planned ]
            Expect.equal c3 0 e3
            let direct = Cli.tempDir ()
            let c4, _, e4 = Cli.run [ "sensitivity"; scenario; "--parameters"; parameters; "--samples"; "4"; "--evidence"; "optimistic"; "--out"; direct ]
            Expect.equal c4 0 e4
            Expect.equal (File.ReadAllText(Path.Combine(planned, "indices.csv"))) (File.ReadAllText(Path.Combine(direct, "indices.csv"))) "planned and direct agree"
            let central = Cli.tempDir ()
            let c5, _, e5 = Cli.run [ "sensitivity"; scenario; "--parameters"; parameters; "--samples"; "4"; "--out"; central ]
            Expect.equal c5 0 e5
            Expect.notEqual (File.ReadAllText(Path.Combine(central, "runs.csv"))) (File.ReadAllText(Path.Combine(direct, "runs.csv"))) "the preset changes the runs"
            usage [ scenario; "--parameters"; parameters; "--samples"; "4"; "--evidence"; "rosy" ] "--evidence must be one of"
            usage [ "--analyse"; planned; "--evidence"; "central" ] "--evidence"
        }
        test "invalid input exits 2 and names the flag or the JSON path" {
            usage [ scenario; "--samples"; "8" ] "--parameters"
            usage [ scenario; "--parameters"; parameters ] "--samples"
            usage [ scenario; "--parameters"; parameters; "--samples"; "8"; "--method"; "fast" ] "--method must be sobol or morris; got 'fast'"
            usage [ scenario; "--parameters"; parameters; "--samples"; "1" ] "--samples must be between 2"
            usage [ scenario; "--parameters"; parameters; "--samples"; "8"; "--metrics"; "seatGain:Magenta" ] "--metrics: Metric 'seatGain:Magenta': 'Magenta' is not a party"
            usage [ scenario; "--parameters"; parameters; "--samples"; "8"; "--method"; "morris"; "--levels"; "5" ] "--levels must be an even number"
            usage [ "nope.json"; "--parameters"; parameters; "--samples"; "8" ] "Scenario file 'nope.json' does not exist"
            usage [ scenario; "--parameters"; parameters; "--samples"; "8"; "--plan-only" ] "--plan-only needs --out"
            usage [ "--analyse"; Cli.tempDir () ] "sensitivity.json"
            usage [ "--analyse"; Cli.tempDir (); "--samples"; "8" ] "do not give SCENARIO, --parameters, --samples"
            let bad = Path.Combine(Cli.tempDir (), "bad.json")
            File.WriteAllText(bad, """{ "parameters": [ { "name": "budget", "path": "arms[0].campaigns[0].budget", "low": 8000, "high": 1000 } ] }""")
            usage [ scenario; "--parameters"; bad; "--samples"; "8" ] "$.parameters[0].high: must be above low (8000); got 1000"
            File.WriteAllText(bad, """{ "parameters": [ { "name": "budget", "path": "arms[3].campaigns[0].budget", "low": 1, "high": 2 } ] }""")
            usage [ scenario; "--parameters"; bad; "--samples"; "2" ] "$.parameters[0].path"
        }
    ]
