/// Sweeps sharded over a scheduler and merged (docs/scale-out.md): determinism across shard counts and threads,
/// atomic shards that survive being killed, merge refusing missing shards, the GNU parallel launcher, and a real Slurm.
module Workbench.Cli.Tests.SweepCommandTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Experiments
open Workbench.Cli.Tests

let private small = Path.Combine(Cli.repoRoot, "tests", "sweeps", "small.json")
let private cliDll = Path.Combine(Cli.repoRoot, "artifacts", "bin", "Workbench.Cli", "release", "Workbench.Cli.dll")
let private dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
let private command = sprintf "'%s' '%s'" dotnet cliDll

/// The three result files of a merged or local run.
let private files = [ "results.parquet"; "results.csv"; "manifest.json" ]
let private sameBytes (a: string) (b: string) what =
    for f in files do Expect.sequenceEqual (File.ReadAllBytes(Path.Combine(b, f))) (File.ReadAllBytes(Path.Combine(a, f))) (sprintf "%s: %s" what f)

/// The whole sweep run in memory on this machine, written to a folder: the reference every merge must equal.
let private reference =
    lazy (
        let dir = Cli.tempDir ()
        Sweep.Run(SweepSpec.Load small, Nullable 2).Write dir
        dir)

let private plan (shards: int) =
    let dir = Cli.tempDir ()
    let code, _, err = Cli.run [ "sweep"; "plan"; small; "--shards"; string shards; "--out"; dir; "--command"; command; "--cpus-per-task"; "1"; "--mem"; "1G" ]
    Expect.equal code 0 err
    dir

let private exec file args env timeoutMs = Workbench.Notebooks.Tests.Tools.exec file args env Cli.repoRoot timeoutMs

[<Tests>]
let tests =
    testList "Cli.sweep" [
        test "a sweep expands into variants × replicates in a fixed order, with the replicate seeds of workbench simulate" {
            let spec = SweepSpec.Load small
            Expect.equal spec.Variants.Count 4 "2 budgets × 2 regimes"
            Expect.equal spec.ItemCount 12 "× 3 replicates"
            let v1 = spec.Variants.[1]
            Expect.equal [ for x in v1.Values -> SweepParameter.Text x ] [ "2000"; "eu-gdpr" ] "the first parameter varies slowest"
            Expect.equal v1.Scenario.EffectiveRegime.Name "eu-gdpr" "the regime path was set"
            Expect.equal v1.Scenario.Arms.[0].Campaigns.[0].Budget 2000.0 "the budget path was set"
            let item = spec.Item 7
            Expect.equal (item.Variant, item.Replicate) (2, 1) "item 7 = variant 2, replicate 1"
            // A variant's rows in the sweep are exactly a simulation of that variant's scenario.
            let sweep = Sweep.Run(spec, Nullable 1)
            let sim = Simulation.Run(spec.Variants.[2].Scenario, Nullable 2)
            let t = sweep.Table
            let variant = t.["variant"].Values :?> int[]
            let votes = t.["votes"].Values :?> int64[]
            let seats = t.["seats"].Values :?> int[]
            let seeds = t.["seed"].Values :?> int64[]
            let mine = [| for i in 0 .. t.RowCount - 1 do if variant.[i] = 2 then yield i |]
            Expect.equal mine.Length sim.Rows.Count "same number of rows as the simulation"
            for k in 0 .. mine.Length - 1 do
                let row = sim.Rows.[k]
                Expect.equal (votes.[mine.[k]], seats.[mine.[k]], seeds.[mine.[k]]) (row.Votes, row.Seats, row.Seed) (sprintf "row %d equals the simulation" k)
            Expect.equal (sim.Manifest().["replicateSeeds"].AsArray().Count) 3 "3 replicates"
        }

        test "range grids expand inclusively; bad paths, values and shard counts are rejected with their JSON paths" {
            let spec = SweepSpec.Parse("""{ "base": "classroom", "parameters": [ { "path": "arms[0].campaigns[0].budget", "range": { "from": 10000, "to": 30000, "step": 10000 } },
                                                                                  { "path": "voters", "values": [ 5000 ] } ], "replicates": 1 }""")
            Expect.equal [ for v in spec.Variants -> v.Scenario.Arms.[0].Campaigns.[0].Budget ] [ 1000.0; 2000.0; 3000.0 ] "budgets set, then scaled with voters (50,000 → 5,000)"
            Expect.equal spec.Variants.[0].Scenario.Voters 5000 "voters"
            let fails (json: string) (path: string) =
                let ex = try SweepSpec.Parse json |> ignore; failtestf "accepted: %s" json with :? Workbench.SpecValidationException as e -> e
                Expect.isTrue (ex.Errors |> Seq.exists (fun e -> e.Path.Contains path)) (sprintf "an error at %s: %A" path ex.Errors)
            fails """{ "base": "classroom", "parameters": [ { "path": "arms[7].campaigns[0].budget", "values": [1] } ] }""" "$.parameters[0].path"
            fails """{ "base": "classroom", "parameters": [ { "path": "regime", "values": ["nowhere-like"] } ] }""" "$.regime"
            fails """{ "base": "classroom", "parameters": [ { "path": "seed", "values": [1, 2] } ] }""" "$.parameters[0].path"
            fails """{ "base": "classroom", "parameters": [ { "path": "voters", "values": [10] } ] }""" "$.parameters[0].values"
            fails """{ "base": "no-such-scenario" }""" "$.base"
            fails """{ "base": "classroom", "parameters": [ { "path": "regime", "range": { "from": 3, "to": 1, "step": 1 } } ] }""" "$.parameters[0].range"
            let code, _, err = Cli.run [ "sweep"; "plan"; small; "--shards"; "13"; "--out"; Cli.tempDir () ]
            Expect.equal code 2 "13 shards for 12 items"
            Expect.stringContains err "number of work items (12)" "says why"
        }

        test "a sweep is read through its contract and still reports every problem at once, in order, word for word" {
            let errors (json: string) =
                try SweepSpec.Parse json |> ignore; [] with :? Workbench.SpecValidationException as e -> [ for x in e.Errors -> x.Path + ": " + x.Message ]
            Expect.equal (errors """{"base":"classroom","replicates":null,"seed":1.5,"name":null,"description":[1]}""")
                [ "$.replicates: must be a whole number between 1 and 100,000."
                  "$.seed: must be a 32-bit integer."
                  "$.name: expected a string, got null."
                  "$.description: expected a string, got an array." ] "null and values of the wrong kind"
            Expect.equal (errors """{"base":"classroom","parameters":[{"path":"a.b","values":[1],"range":{"from":1,"to":2,"step":1},"name":"x","y":null},5,{"path":"","values":[1]}],"z":null}""")
                [ "$.z: unknown field; known fields: name, description, base, parameters, points, replicates, seed."
                  "$.parameters[0].y: unknown field; known fields: name, path, values, range."
                  "$.parameters[0]: give either values [..] or range { from, to, step | count }."
                  "$.parameters[1]: each parameter is an object { path, values | range, name? }."
                  "$.parameters[2].path: required: where the value goes in the scenario, e.g. \"arms[0].campaigns[0].budget\" or \"voters\"." ] "unknown fields and parameters"
            Expect.equal (errors """{"base":"classroom","parameters":[{"path":"a","values":null},{"path":"b","range":5},{"path":"c","range":{"from":1,"to":3,"count":2.5,"x":1}}]}""")
                [ "$.parameters[0].values: expected an array of values, got null."
                  "$.parameters[1].range: expected { from, to, step | count }, got a number."
                  "$.parameters[2].range.x: unknown field; known fields: from, to, step, count."
                  "$.parameters[2].range: give either step or count (a whole number), not both." ] "values and ranges"
            let spec = SweepSpec.Parse """{"base":"classroom","parameters":[{"path":"arms[0].campaigns[0].budget","range":{"from":1000,"to":3000,"count":3}}],"points":null,"replicates":2}"""
            Expect.equal [ for v in spec.Variants -> v.Scenario.Arms.[0].Campaigns.[0].Budget ] [ 1000.0; 2000.0; 3000.0 ] "a null points is no points"
            Expect.equal (SweepSpec.CountVariants """{"parameters":[{"path":"a","range":{"from":0,"to":10,"step":2}},{"path":"b","values":[1,2]}]}""") (Nullable 12L) "variants counted without expanding"
        }

        test "sweep plan --evidence runs every variant under the preset, recorded as a parameter; sweeping evidence twice or an unknown preset is refused" {
            let spec = SweepSpec.LoadOrBuiltin(small, "optimistic")
            Expect.isTrue (spec.Parameters |> Seq.exists (fun p -> p.Path = "evidence")) "an evidence parameter"
            for v in spec.Variants do Expect.equal v.Scenario.Evidence.Name "optimistic" "every variant under the preset"
            let twice = """{ "base": "classroom", "parameters": [ { "path": "evidence", "values": ["central", "optimistic"] } ], "replicates": 1 }"""
            let dir = Cli.tempDir ()
            try
                let file = Path.Combine(dir, "ev.json")
                File.WriteAllText(file, twice)
                Expect.equal ((SweepSpec.Load file).Variants |> Seq.map (fun v -> v.Scenario.Evidence.Name) |> List.ofSeq) [ "central"; "optimistic" ] "evidence can be swept"
                let ex = Expect.throwsC (fun () -> SweepSpec.LoadOrBuiltin(file, "pessimistic") |> ignore) id
                Expect.stringContains ex.Message "evidence" "the path swept twice is named"
                let code, _, err = Cli.run [ "sweep"; "plan"; small; "--evidence"; "rosy"; "--out"; Path.Combine(dir, "plan") ]
                Expect.equal code 2 "unknown preset"
                Expect.stringContains err "--evidence" "names the flag"
            finally Directory.Delete(dir, true)
        }

        test "for 1, 3 and 7 shards, merging gives exactly the bytes of running the whole sweep on one machine" {
            for n in [ 1; 3; 7 ] do
                let dir = plan n
                try
                    let p = SweepPlan.Load dir
                    Expect.equal (Seq.sort [ for k in 0 .. n - 1 do for i in p.ItemsOf k -> i.Index ] |> List.ofSeq) [ 0 .. 11 ] "every item in exactly one shard"
                    for k in 0 .. n - 1 do
                        let code, out, err = Cli.run [ "sweep"; "run"; dir; "--shard"; string k; "--threads"; string (1 + k % 2) ]
                        Expect.equal code 0 err
                        Expect.stringContains out "done" "ran"
                    let code, _, err = Cli.run [ "sweep"; "merge"; dir ]
                    Expect.equal code 0 err
                    sameBytes reference.Value dir (sprintf "%d shards" n)
                finally Directory.Delete(dir, true)
        }

        test "rerunning a finished shard does nothing; merge refuses while a shard is missing; a tampered shard is refused" {
            let dir = plan 3
            try
                for k in [ 0; 2 ] do Cli.run [ "sweep"; "run"; dir; "--shard"; string k ] |> fun (c, _, e) -> Expect.equal c 0 e
                let before = File.GetLastWriteTimeUtc(Path.Combine(dir, "shards", "0", "results.parquet"))
                let code, out, _ = Cli.run [ "sweep"; "run"; dir; "--shard"; "0" ]
                Expect.equal code 0 "ok"
                Expect.stringContains out "already done" "says so"
                Expect.equal (File.GetLastWriteTimeUtc(Path.Combine(dir, "shards", "0", "results.parquet"))) before "not rewritten"
                let code, out, _ = Cli.run [ "sweep"; "status"; dir ]
                Expect.equal code 1 "status is 1 while shards are missing"
                Expect.stringContains out "shard 1\tmissing" "shard 1 missing"
                Expect.stringContains out "2 done, 1 missing, 0 failed" "tally"
                let code, _, err = Cli.run [ "sweep"; "merge"; dir ]
                Expect.equal code 1 "merge refuses"
                Expect.stringContains err "1 (missing)" "names the missing shard"
                Expect.isFalse (File.Exists(Path.Combine(dir, "results.parquet"))) "nothing merged"
                Cli.run [ "sweep"; "run"; dir; "--all" ] |> fun (c, _, e) -> Expect.equal c 0 e
                let parquet = Path.Combine(dir, "shards", "1", "results.parquet")
                let bytes = File.ReadAllBytes parquet
                bytes.[bytes.Length / 2] <- bytes.[bytes.Length / 2] ^^^ 1uy
                File.WriteAllBytes(parquet, bytes)
                Expect.throwsT<InvalidDataException> (fun () -> Sweep.Merge dir |> ignore) "a changed shard file does not match its manifest"
            finally Directory.Delete(dir, true)
        }

        test "killing sweep run mid-shard leaves nothing that looks complete; rerunning gives the same merged bytes" {
            if not (File.Exists cliDll) then failtestf "the workbench tool is not built: %s" cliDll
            let dir = plan 1
            try
                let psi = ProcessStartInfo(dotnet, [ cliDll; "sweep"; "run"; dir; "--shard"; "0"; "--threads"; "1" ], RedirectStandardError = true, RedirectStandardOutput = true)
                use p = Process.Start psi
                // Kill as soon as the first item is reported: 11 of 12 items are still to run.
                let mutable line = p.StandardError.ReadLine()
                while line <> null && not (line.Contains "item 1/") do line <- p.StandardError.ReadLine()
                Expect.isNotNull line "the shard reported progress"
                p.Kill true
                p.WaitForExit()
                Expect.isFalse (Directory.Exists(Path.Combine(dir, "shards", "0"))) "no shard folder after the kill"
                let st = Sweep.Status dir
                Expect.equal st.[0].State ShardState.Missing "the killed shard counts as missing"
                Expect.throwsT<SweepIncompleteException> (fun () -> Sweep.Merge dir |> ignore) "merge refuses"
                let code, _, err = Cli.run [ "sweep"; "run"; dir; "--shard"; "0" ]
                Expect.equal code 0 err
                Cli.run [ "sweep"; "merge"; dir ] |> fun (c, _, e) -> Expect.equal c 0 e
                sameBytes reference.Value dir "after the kill and rerun"
            finally Directory.Delete(dir, true)
        }

        test "the launch files carry the shard contract; parallel.sh runs every shard and merges to the same bytes" {
            let dir = plan 4
            try
                let sbatch = File.ReadAllText(Path.Combine(dir, "sweep.sbatch"))
                for s in [ "#SBATCH --array=0-3"; "#SBATCH --cpus-per-task=1"; "#SBATCH --mem=1G"; "sweep run \"$SWEEP_DIR\" --shard \"$SLURM_ARRAY_TASK_ID\""; cliDll ] do
                    Expect.stringContains sbatch s "sbatch file"
                let k8s = File.ReadAllText(Path.Combine(dir, "k8s-indexed-job.yaml"))
                for s in [ "completionMode: Indexed"; "completions: 4"; "--shard $JOB_COMPLETION_INDEX"; "memory: \"1Gi\"" ] do Expect.stringContains k8s s "Kubernetes manifest"
                let code, out = exec "/bin/bash" [ Path.Combine(dir, "parallel.sh") ] [ "JOBS", "2" ] 300000
                Expect.equal code 0 out
                sameBytes reference.Value dir "GNU parallel / xargs"
            finally Directory.Delete(dir, true)
        }

        test "a real Slurm runs the sbatch array of a 4-shard sweep; merged, it equals the local run" {
            let conf = Environment.GetEnvironmentVariable "SLURM_CONF"
            let haveSlurm = not (String.IsNullOrEmpty conf) && File.Exists "/usr/bin/sbatch"
            if not haveSlurm then
                if Environment.GetEnvironmentVariable "CI" = "true" then failtest "no Slurm cluster: .ci/run starts one (shared/recipes/slurm-single-node.sh) and exports SLURM_CONF."
                else skiptest "no Slurm cluster (SLURM_CONF unset); .ci/run starts a single-node one."
            let dir = plan 4
            try
                let code, out = exec "/usr/bin/sbatch" [ "--wait"; Path.Combine(dir, "sweep.sbatch") ] [] 600000
                Expect.equal code 0 out
                Expect.stringContains out "Submitted batch job" "submitted"
                let code, out, _ = Cli.run [ "sweep"; "status"; dir ]
                Expect.equal code 0 out
                Expect.stringContains out "4 done, 0 missing, 0 failed" "every array task wrote its shard"
                Cli.run [ "sweep"; "merge"; dir ] |> fun (c, _, e) -> Expect.equal c 0 e
                sameBytes reference.Value dir "Slurm"
                for k in 0 .. 3 do Expect.stringContains (File.ReadAllText(Path.Combine(dir, "logs", sprintf "shard-%d.out" k))) (sprintf "shard %d: done" k) "the task's log"
            finally Directory.Delete(dir, true)
        }
    ]
