/// The CLI's contract, for every command and fault: exit 0 success, 1 the work failed, 2 invalid input naming the flag or
/// JSON path; a one-line message (the stack trace only with --verbose); nothing partial left behind — no output folder the
/// command created, no temporary file, no half-written target — and no request larger than the machine started.
module Workbench.Cli.Tests.ContractTests

open System
open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

/// stderr is exactly one line, `workbench: …`.
let private oneLine (err: string) (what: string) =
    let lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
    Expect.equal lines.Length 1 (sprintf "%s: one line:\n%s" what err)
    Expect.stringStarts lines.[0] "workbench: " what

let private scenario = """{ "name": "contract", "electorate": { "preset": "classroom", "voters": 2000 }, "regime": "us-like",
  "systems": [ { "name": "FPTP", "type": "fptp" } ], "campaigns": [ { "party": "Red", "budget": 1000, "channels": ["canvass"] } ], "replicates": 1, "seed": 3 }"""

let private small = Path.Combine(Cli.repoRoot, "tests", "sweeps", "small.json")

[<Tests>]
let errors =
    testList "Cli.errors" [
        test "a usage error is one line, workbench: message, exit 2; --verbose (a global option) adds the stack trace" {
            let code, _, err = Cli.run [ "simulate"; "/nonexistent/s.json" ]
            Expect.equal code 2 "exit 2"
            oneLine err "usage error"
            Expect.stringContains err "does not exist" "says what is wrong"
            let code, _, err = Cli.run [ "simulate"; "/nonexistent/s.json"; "--verbose" ]
            Expect.equal code 2 "exit 2 with --verbose"
            Expect.stringStarts err "workbench: " "the message first"
            Expect.stringContains err "   at " "then the stack trace"
        }
        test "an unexpected exception and running out of memory exit 1 with the type, the message and a hint on one line" {
            let report (ex: exn) verbose =
                let out, err = new StringWriter(), new StringWriter()
                let code =
                    use _c = Workbench.Notebooks.Engine.ConsoleRouter.Capture(out, err)
                    global.Workbench.Cli.Program.Report(ex, verbose)
                code, err.ToString()
            let thrown (ex: exn) = try raise ex with e -> e
            let code, err = report (thrown (InvalidOperationException "boom\nsecond line")) false
            Expect.equal code 1 "unexpected: exit 1"
            oneLine err "unexpected"
            Expect.stringContains err "InvalidOperationException: boom second line" "type and message, on one line"
            Expect.stringContains err "--verbose" "the hint"
            let code, err = report (thrown (OutOfMemoryException())) false
            Expect.equal code 1 "out of memory: exit 1"
            oneLine err "out of memory"
            Expect.stringContains err "OutOfMemoryException" "names it"
            let code, err = report (thrown (AggregateException(thrown (IOException "No space left on device")))) true
            Expect.equal code 1 "an I/O error inside parallel work: exit 1"
            Expect.stringContains err "IOException: No space left on device" "unwrapped"
            Expect.stringContains err "   at " "--verbose: the stack trace"
        }
        test "parse errors exit 2 without a stack trace" {
            let code, _, err = Cli.run [ "electorate"; "--voters"; "many" ]
            Expect.equal code 2 "exit 2"
            Cli.noTrace err "parse error"
            Expect.stringContains err "many" "names the bad value"
        }
    ]

[<Tests>]
let outputs =
    testList "Cli.outputs" [
        test "simulate bad.json --out NEWDIR exits 2 and leaves no NEWDIR (nor the folders above it it created)" {
            Cli.withDir (fun dir ->
                let bad = Path.Combine(dir, "bad.json")
                File.WriteAllText(bad, scenario.Replace("\"fptp\"", "\"borda\""))
                let code, _, err = Cli.run [ "simulate"; bad; "--out"; Path.Combine(dir, "new", "deeper") ]
                Expect.equal code 2 err
                Expect.isFalse (Directory.Exists(Path.Combine(dir, "new"))) "no output folder left"
                Expect.equal (Cli.entries dir) [| "bad.json" |] "nothing new")
        }
        test "invalid flags are refused before the output folder is created" {
            Cli.withDir (fun dir ->
                let out = Path.Combine(dir, "scores")
                for flag, value in [ "--trainer", "oracle"; "--data-quality", "shoddy"; "--arms", "11"; "--party", "Mauve" ] do
                    let code, _, err = Cli.run [ "score"; "--preset"; "classroom"; "--voters"; "2000"; "--regime"; "us-like"; flag; value; "--out"; out ]
                    Expect.equal code 2 err
                    Expect.stringContains err flag "names the flag"
                    Cli.noTrace err flag
                    Expect.isFalse (Directory.Exists out) (sprintf "%s: no output folder" flag))
        }
        test "--out naming an existing file where a folder is expected is a usage error naming --out, for every command with an output folder" {
            Cli.withDir (fun dir ->
                let file = Path.Combine(dir, "taken")
                File.WriteAllText(file, "x")
                let sc = Path.Combine(dir, "s.json")
                File.WriteAllText(sc, scenario)
                let planned = Path.Combine(dir, "plan")
                Cli.run [ "sweep"; "plan"; small; "--shards"; "1"; "--out"; planned ] |> fun (c, _, e) -> Expect.equal c 0 e
                let before = Cli.entries dir
                for args in
                    [ [ "simulate"; sc; "--out"; file ]
                      [ "score"; "--preset"; "classroom"; "--voters"; "2000"; "--regime"; "us-like"; "--out"; file ]
                      [ "opinion"; "--model"; "hk"; "--graph"; "complete"; "--nodes"; "10"; "--steps"; "1"; "--seed"; "1"; "--out"; file ]
                      [ "lab"; "--scenario"; sc; "--out"; file; "--replicates"; "1"; "--regimes"; "us-like"; "--audiences"; "none"; "--caps"; "none" ]
                      [ "sweep"; "plan"; small; "--out"; file ]
                      [ "sweep"; "merge"; planned; "--out"; file ]
                      [ "workshop"; Path.Combine(Cli.repoRoot, "notebooks", "workshop", "cards", "workshop-60.json"); "--step"; "2"; "--out"; file ] ] do
                    let code, _, err = Cli.run args
                    let what = String.Join(" ", args |> List.take 2)
                    Expect.equal code 2 (sprintf "%s: exit 2 (%s)" what err)
                    Expect.stringContains err "--out" (sprintf "%s: names the flag" what)
                    Expect.stringContains err "is a file" (sprintf "%s: says why" what)
                    Cli.noTrace err what
                Expect.equal (Cli.entries dir) before "nothing written anywhere"
                Expect.equal (File.ReadAllText file) "x" "the file is untouched")
        }
        test "an output file whose folder is a file, or which is a folder, is a usage error" {
            Cli.withDir (fun dir ->
                let file = Path.Combine(dir, "f")
                File.WriteAllText(file, "x")
                for args in
                    [ [ "electorate"; "--preset"; "classroom"; "--voters"; "1000"; "--out"; Path.Combine(file, "e.csv") ]
                      [ "electorate"; "--preset"; "classroom"; "--voters"; "1000"; "--codebook"; Path.Combine(file, "c.md") ]
                      [ "archive"; "classroom"; "--format"; "meta"; "--out"; Path.Combine(file, "a.csv") ]
                      [ "docs"; "--out"; dir ] ] do
                    let code, _, err = Cli.run args
                    Expect.equal code 2 err
                    Cli.noTrace err args.Head
                Expect.equal (Cli.entries dir) [| "f" |] "nothing written")
        }
    ]

/// The temporary files of atomic writes in a folder.
let private temporaries dir = Directory.GetFiles(dir, ".wbtmp-*")

/// The number of rows of a Parquet file (an error when it is not a complete one).
let private parquetRows (path: string) =
    use s = File.OpenRead path
    let r = Parquet.ParquetReader.CreateAsync(s).GetAwaiter().GetResult()
    [ for i in 0 .. r.RowGroupCount - 1 -> (use g = r.OpenRowGroupReader i in g.RowCount) ] |> List.sum

[<Tests>]
let atomic =
    testSequenced <| testList "Cli.atomic" [
        test "kill -9 mid-write leaves the target absent or complete; the next write removes the stale temporary file" {
            Cli.withDir (fun dir ->
                let target = Path.Combine(dir, "X.parquet")
                use p = Cli.start [ "electorate"; "--preset"; "classroom"; "--voters"; "2000000"; "--threads"; "1"; "--out"; target ] []
                let sw = Diagnostics.Stopwatch.StartNew()
                while Directory.GetFiles(dir, ".wbtmp-*-X.parquet") |> Array.isEmpty && not p.HasExited && sw.Elapsed < TimeSpan.FromMinutes 3. do Threading.Thread.Sleep 5
                Expect.isFalse p.HasExited "still writing when the temporary file appeared"
                Expect.isNonEmpty (temporaries dir) "the write goes through a recognisable temporary file"
                p.Kill() // SIGKILL: no handler runs, nothing is cleaned up
                p.WaitForExit()
                if File.Exists target then
                    Expect.equal (parquetRows target) 2_000_000L "a target that exists is complete"
                Expect.isNonEmpty (temporaries dir) "the killed writer's temporary file is still there"
                let code, _, err = Cli.run [ "electorate"; "--preset"; "classroom"; "--voters"; "5000"; "--out"; target ]
                Expect.equal code 0 err
                Expect.equal (Cli.entries dir) [| "X.parquet" |] "the rerun wrote the target and removed the stale temporary file"
                Expect.equal (parquetRows target) 5000L "the new target")
        }
        test "a temporary file of a running process is left alone; one whose process is gone is removed" {
            Cli.withDir (fun dir ->
                let mine = Path.Combine(dir, sprintf ".wbtmp-%d-abc-x.csv" Environment.ProcessId)
                let dead = Path.Combine(dir, ".wbtmp-2147483646-abc-x.csv")
                File.WriteAllText(mine, ""); File.WriteAllText(dead, "")
                Expect.equal (Workbench.Tables.AtomicFile.RemoveStaleTemporaries dir) 1 "one removed"
                Expect.isTrue (File.Exists mine) "this process's own temporary file stays"
                Expect.isFalse (File.Exists dead) "the dead process's is gone")
        }
        test "disk full while writing: exit 1 with a one-line message, no partial target, no temporary file, no output folder" {
            Cli.withTmpfs "2m" "the disk-full test" (fun mnt ->
                // A command that fails after creating its output folder removes it; an existing folder keeps only what it had.
                let created = Path.Combine(mnt, "scores")
                let code, _, err = Cli.run [ "score"; "--preset"; "classroom"; "--voters"; "200000"; "--regime"; "us-like"; "--out"; created ]
                Expect.equal code 1 (sprintf "score: the write failed: exit 1 (%s)" err)
                oneLine err "score"
                Expect.stringContains err "IOException" "the full disk"
                Expect.equal (Cli.entries mnt) [||] "the folder score created is gone"
                let existing = Path.Combine(mnt, "existing")
                Directory.CreateDirectory existing |> ignore
                File.WriteAllText(Path.Combine(existing, "notes.txt"), "mine")
                let code, _, err = Cli.run [ "score"; "--preset"; "classroom"; "--voters"; "200000"; "--regime"; "us-like"; "--out"; existing ]
                Expect.equal code 1 err
                Expect.equal (Cli.entries mnt) [| "existing"; Path.Combine("existing", "notes.txt") |] "the existing folder keeps its file and gains nothing"
                Directory.Delete(existing, true)
                for ext, verbose in [ "csv", false; "parquet", true ] do
                    let target = Path.Combine(mnt, "e." + ext)
                    let code, _, err = Cli.run ([ "electorate"; "--preset"; "classroom"; "--voters"; "200000"; "--out"; target ] @ (if verbose then [ "--verbose" ] else []))
                    Expect.equal code 1 (sprintf "%s: the work failed: exit 1 (%s)" ext err)
                    Expect.stringContains err "IOException" "names the error"
                    if verbose then Expect.stringContains err "   at " "--verbose: the stack trace"
                    else
                        oneLine err ext
                        Expect.stringContains err "--verbose" "the hint"
                    Expect.equal (Cli.entries mnt) [||] (sprintf "%s: no partial target, no temporary file" ext))
        }
    ]

[<Tests>]
let limits =
    testList "Cli.limits" [
        test "electorate --voters 2147483647 is refused before allocating, with the estimate and the limit" {
            let sw = Diagnostics.Stopwatch.StartNew()
            let code, _, err = Cli.run [ "electorate"; "--preset"; "classroom"; "--voters"; "2147483647" ]
            Expect.equal code 2 err
            oneLine err "refusal"
            Expect.stringContains err "--voters" "names the flag"
            Expect.stringContains err "250,000,000" "the cap"
            Expect.stringContains err "GB of memory" "the estimate"
            Expect.stringContains err "this machine allows" "and the limit"
            Expect.isLessThan sw.Elapsed.TotalSeconds 10.0 "refused at once, not after allocating"
        }
        test "a request larger than the memory the process may use is refused by every command that sizes work from a flag" {
            // DOTNET_GCHeapHardLimit lowers what the runtime may use to 256 MB, as a small container would.
            let env = [ "DOTNET_GCHeapHardLimit", "0x10000000" ]
            for args in
                [ [ "electorate"; "--preset"; "classroom"; "--voters"; "3000000"; "--out"; "/tmp/never-written.parquet" ]
                  [ "simulate"; "classroom"; "--voters"; "1000000" ]
                  [ "archive"; "classroom"; "--format"; "meta"; "--voters"; "1000000"; "--out"; "/tmp/never-written.csv" ]
                  [ "score"; "--preset"; "classroom"; "--voters"; "1000000"; "--regime"; "us-like" ]
                  [ "areas"; "--preset"; "classroom"; "--voters"; "2000000"; "--areas"; "5"; "--doors"; "10" ]
                  [ "opinion"; "--model"; "hk"; "--graph"; "erdos-renyi"; "--nodes"; "5000000"; "--degree"; "10"; "--steps"; "1"; "--seed"; "1" ]
                  [ "lab"; "--voters"; "1000000"; "--out"; "/tmp/never-written-lab" ] ] do
                let code, _, err = Cli.runProcess args env 60000
                let what = String.Join(" ", args |> List.take 3)
                Expect.equal code 2 (sprintf "%s: exit 2 (%s)" what err)
                Expect.stringContains err "needs about" (sprintf "%s: the estimate" what)
                Expect.stringContains err "allows 256 MB" (sprintf "%s: the limit" what)
                Cli.noTrace err what
            Expect.isFalse (File.Exists "/tmp/never-written.parquet" || File.Exists "/tmp/never-written.csv" || Directory.Exists "/tmp/never-written-lab") "nothing written"
        }
        test "opinion refuses a graph that cannot fit before building it" {
            let code, _, err = Cli.run [ "opinion"; "--model"; "hk"; "--graph"; "erdos-renyi"; "--nodes"; "100000000"; "--degree"; "5000"; "--steps"; "1"; "--seed"; "1" ]
            Expect.equal code 2 err
            Expect.stringContains err "--nodes 100000000 with --degree 5000 needs about" "estimate"
            let code, _, err = Cli.run [ "opinion"; "--model"; "hk"; "--graph"; "complete"; "--nodes"; "2147483647"; "--steps"; "1"; "--seed"; "1" ]
            Expect.equal code 2 err
            Expect.stringContains err "--nodes must be between 2 and 100,000,000" "the cap"
        }
        test "sweep plan refuses more than 100,000 variants before expanding, and an index too large for any array" {
            Cli.withDir (fun dir ->
                let million = Path.Combine(dir, "million.json")
                File.WriteAllText(million, """{ "base": "classroom", "replicates": 1, "parameters": [
                    { "path": "arms[0].campaigns[0].budget", "range": { "from": 1, "to": 1000, "step": 1 } },
                    { "path": "voters", "range": { "from": 1000, "to": 1999, "step": 1 } } ] }""")
                let sw = Diagnostics.Stopwatch.StartNew()
                let code, _, err = Cli.run [ "sweep"; "plan"; million; "--out"; Path.Combine(dir, "out") ]
                Expect.equal code 2 err
                Expect.stringContains err "1,000,000 variants" "the size"
                Expect.stringContains err "100,000" "the cap"
                Expect.stringContains err "$.parameters" "the JSON path"
                Expect.isLessThan sw.Elapsed.TotalSeconds 10.0 "refused before expanding"
                let huge = Path.Combine(dir, "huge.json")
                File.WriteAllText(huge, """{ "base": "classroom", "parameters": [ { "path": "arms[99999999999].campaigns[0].budget", "values": [1] } ] }""")
                let code, _, err = Cli.run [ "sweep"; "plan"; huge; "--out"; Path.Combine(dir, "out") ]
                Expect.equal code 2 err
                Expect.stringContains err "$.parameters[0].path" "the JSON path"
                Expect.stringContains err "99999999999" "the index"
                Cli.noTrace err "huge index"
                Expect.equal (Cli.entries dir) [| "huge.json"; "million.json" |] "no output folder")
        }
        test "sweep merge refuses a tampered shard (bad JSON, wrong shard, wrong hash, truncated parquet) naming the file, exit 2" {
            Cli.withDir (fun dir ->
                Cli.run [ "sweep"; "plan"; small; "--shards"; "2"; "--out"; dir ] |> fun (c, _, e) -> Expect.equal c 0 e
                Cli.run [ "sweep"; "run"; dir; "--all"; "--threads"; "2" ] |> fun (c, _, e) -> Expect.equal c 0 e
                let shard = Path.Combine(dir, "shards", "1")
                let manifest, parquet = Path.Combine(shard, "manifest.json"), Path.Combine(shard, "results.parquet")
                let goodManifest, goodParquet = File.ReadAllText manifest, File.ReadAllBytes parquet
                let sha (b: byte[]) = Convert.ToHexStringLower(Security.Cryptography.SHA256.HashData b)
                let before = Cli.entries dir
                for name, tamper, file in
                    [ "bad JSON", (fun () -> File.WriteAllText(manifest, "{ \"shard\": ")), manifest
                      "wrong shard", (fun () -> File.WriteAllText(manifest, goodManifest.Replace("\"shard\": 1", "\"shard\": 0"))), manifest
                      "wrong items", (fun () -> let m = JsonNode.Parse(goodManifest) in m.["items"] <- JsonArray(JsonValue.Create 0); File.WriteAllText(manifest, m.ToJsonString())), manifest
                      "wrong hash", (fun () -> let b = Array.copy goodParquet in b.[b.Length / 2] <- b.[b.Length / 2] ^^^ 1uy; File.WriteAllBytes(parquet, b)), parquet
                      "truncated parquet", (fun () ->
                          let b = goodParquet.[.. goodParquet.Length / 2]
                          File.WriteAllBytes(parquet, b)
                          File.WriteAllText(manifest, goodManifest.Replace(sha goodParquet, sha b))), parquet ] do
                    tamper ()
                    let code, _, err = Cli.run [ "sweep"; "merge"; dir ]
                    Expect.equal code 2 (sprintf "%s: exit 2 (%s)" name err)
                    Expect.stringContains err file (sprintf "%s: names the file" name)
                    Cli.noTrace err name
                    Expect.equal (Cli.entries dir) before (sprintf "%s: nothing merged" name)
                    File.WriteAllText(manifest, goodManifest); File.WriteAllBytes(parquet, goodParquet)
                Cli.run [ "sweep"; "merge"; dir ] |> fun (c, _, e) -> Expect.equal c 0 e)
        }
    ]

[<Tests>]
let verify =
    testList "Cli.verify outputs" [
        test "verify compares every output the manifest lists: a flipped byte in results.parquet is found and named" {
            Cli.withDir (fun dir ->
                let code, _, err = Cli.run [ "simulate"; "classroom"; "--replicates"; "1"; "--voters"; "2000"; "--seed"; "4"; "--out"; dir ]
                Expect.equal code 0 err
                let manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))
                for f in [ "results.csv"; "results.parquet"; "summary.json" ] do
                    Expect.equal (manifest.["files"].[f].GetValue<string>().Length) 64 (sprintf "the manifest records the SHA-256 of %s" f)
                let code, out, err = Cli.run [ "verify"; dir ]
                Expect.equal code 0 (out + err)
                let parquet = Path.Combine(dir, "results.parquet")
                let good = File.ReadAllBytes parquet
                let bytes = Array.copy good
                bytes.[bytes.Length / 3] <- bytes.[bytes.Length / 3] ^^^ 0x10uy
                File.WriteAllBytes(parquet, bytes)
                let code, out, err = Cli.run [ "verify"; dir ]
                Expect.equal code 1 (out + err)
                Expect.stringContains out "DIFFERENT" "reported"
                Expect.stringContains out "results.parquet" "names the file"
                Expect.stringContains out "results.parquet was changed after the run" "notes the recorded hash no longer matches"
                File.WriteAllBytes(parquet, good)
                // A manifest written before hashes were recorded lists the files by name: still verified, parquet included.
                manifest.["files"] <- JsonArray(JsonValue.Create "results.csv", JsonValue.Create "results.parquet", JsonValue.Create "summary.json")
                File.WriteAllText(Path.Combine(dir, "manifest.json"), manifest.ToJsonString())
                let code, out, err = Cli.run [ "verify"; dir ]
                Expect.equal code 0 (out + err)
                File.WriteAllBytes(parquet, bytes)
                let code, out, _ = Cli.run [ "verify"; dir ]
                Expect.equal code 1 "the old manifest's parquet is compared too"
                Expect.stringContains out "results.parquet" "named")
        }
        test "a malformed manifest exits 2 naming the JSON path" {
            Cli.withDir (fun dir ->
                let code, _, err = Cli.run [ "simulate"; "classroom"; "--replicates"; "1"; "--voters"; "2000"; "--out"; dir ]
                Expect.equal code 0 err
                let path = Path.Combine(dir, "manifest.json")
                let good = File.ReadAllText path
                let edit (f: JsonObject -> unit) = let m = JsonNode.Parse(good).AsObject() in f m; m.ToJsonString()
                for text, expected in
                    [ "{ \"kind\": ", "not valid JSON"
                      "[1, 2]", "a JSON object"
                      edit (fun m -> m.["kind"] <- JsonValue.Create 5), "$.kind"
                      edit (fun m -> m.Remove "scenarioJson" |> ignore), "$.scenarioJson"
                      edit (fun m -> m.["overrides"].["seed"] <- JsonValue.Create "nine"), "$.overrides.seed"
                      edit (fun m -> m.["overrides"].AsObject().Remove "voters" |> ignore), "$.overrides.voters"
                      edit (fun m -> m.["files"] <- JsonValue.Create 3), "$.files"
                      edit (fun m -> m.["files"].["results.csv"] <- JsonValue.Create 1), "$.files.results.csv"
                      edit (fun m -> m.["files"] <- JsonArray(JsonValue.Create "../etc/passwd")), "$.files"
                      edit (fun m -> m.["library"] <- JsonArray()), "$.library"
                      """{ "kind": "notebooks", "notebooks": [ { "executed": 1 } ] }""", "$.notebooks[0].executed"
                      """{ "kind": "notebooks", "notebooks": [ { "executed": "a.ipynb", "source": "a.ipynb", "parameters": { "x": 1 } } ] }""", "$.notebooks[0].parameters.x" ] do
                    File.WriteAllText(path, text)
                    let code, _, err = Cli.run [ "verify"; dir ]
                    Expect.equal code 2 (sprintf "%s: exit 2 (%s)" expected err)
                    Expect.stringContains err expected "names the JSON path"
                    Cli.noTrace err expected)
        }
    ]

/// The inputs every command is tried with: a missing path, a folder, an empty file, binary garbage, and a folder of garbage
/// (plan.json and manifest.json that are not JSON), each under the extension the command expects.
let private badInputs (dir: string) (ext: string) =
    let path name = Path.Combine(dir, name + ext)
    let garbage = Array.zeroCreate<byte> 4096
    Random(7).NextBytes garbage
    Directory.CreateDirectory(path "folder") |> ignore
    File.WriteAllBytes(path "empty", [||])
    File.WriteAllBytes(path "garbage", garbage)
    let junk = path "junkfolder"
    Directory.CreateDirectory junk |> ignore
    for f in [ "plan.json"; "manifest.json" ] do File.WriteAllBytes(Path.Combine(junk, f), garbage)
    [ "missing", path "missing"; "folder", path "folder"; "empty", path "empty"; "garbage", path "garbage"; "garbage folder", junk ]

/// Every subcommand: how to pass it a bad input file (and an output location), and one bad flag value.
let private commands : (string * string * (string -> string -> string list) * string list) list =
    let card = Path.Combine(Cli.repoRoot, "notebooks", "workshop", "cards", "workshop-60.json")
    [ "allocate", ".json", (fun f _ -> [ "allocate"; f ]), [ "allocate" ]
      "indices", ".json", (fun f _ -> [ "indices"; f ]), [ "indices"; "--what" ]
      "archive", ".json", (fun f o -> [ "archive"; f; "--format"; "meta"; "--out"; Path.Combine(o, "a.csv") ]), [ "archive"; "classroom"; "--format"; "tiktok"; "--out"; "/tmp/a.csv" ]
      "areas", ".json", (fun f _ -> [ "areas"; "--spec"; f; "--areas"; "3"; "--doors"; "10" ]), [ "areas"; "--preset"; "classroom"; "--areas"; "0"; "--doors"; "10" ]
      "docs", ".md", (fun f _ -> [ "docs"; "--out"; Path.Combine(f, "sub", "p.md") ]), [ "docs"; "--out"; "" ]
      "electorate", ".json", (fun f o -> [ "electorate"; "--spec"; f; "--out"; Path.Combine(o, "e.csv"); "--codebook"; Path.Combine(o, "c.md") ]), [ "electorate"; "--preset"; "classroom"; "--threads"; "0" ]
      "export", ".ipynb", (fun f o -> [ "export"; f; "--to"; "html"; "--out"; Path.Combine(o, "x.html") ]), [ "export"; "x.ipynb"; "--to"; "pdf" ]
      "kernel", ".json", (fun f _ -> [ "kernel"; "--connection-file"; f ]), [ "kernel"; "install"; "--prefix" ]
      "lab", ".json", (fun f o -> [ "lab"; "--scenario"; f; "--out"; Path.Combine(o, "lab") ]), [ "lab"; "--out"; "/tmp/never-lab"; "--replicates"; "0" ]
      "regulation", ".json", (fun f o -> [ "regulation"; f; "--voters"; "10000"; "--replicates"; "1"; "--out"; Path.Combine(o, "r.csv") ]), [ "regulation"; "--replicates"; "0" ]
      "official", ".json", (fun f _ -> [ "official"; f ]), [ "official"; "--input" ]
      "messages", ".json", (fun f _ -> [ "messages"; "--spec"; f; "--target-on"; "age"; "--replicates"; "1" ]), [ "messages"; "--preset"; "classroom"; "--target-on"; "age"; "--replicates"; "0" ]
      "opinion", ".json", (fun f o -> [ "opinion"; "--model"; "hk"; "--graph"; "electorate"; "--preset"; f; "--nodes"; "1000"; "--steps"; "1"; "--seed"; "1"; "--out"; Path.Combine(o, "op") ]), [ "opinion"; "--model"; "hk"; "--graph"; "ring"; "--nodes"; "10"; "--steps"; "1"; "--seed"; "1" ]
      "replications", "", (fun f _ -> [ "replications"; f ]), [ "replications"; "--voters"; "5" ]
      "reference", "", (fun f _ -> [ "reference"; "--root"; f ]), [ "reference"; "--root"; Cli.repoRoot; "--slow" ]
      "schema", "", (fun f _ -> [ "schema"; f ]), [ "schema"; "--out"; "" ]
      "sensitivity", ".json", (fun f o -> [ "sensitivity"; "classroom"; "--parameters"; f; "--samples"; "4"; "--out"; Path.Combine(o, "sens") ]), [ "sensitivity"; "classroom"; "--method"; "fast" ]
      "run", ".ipynb", (fun f o -> [ "run"; f; "--out"; Path.Combine(o, "run") ]), [ "run"; "x.ipynb"; "--timeout-per-cell"; "soon" ]
      "schedule", ".json", (fun f _ -> [ "schedule"; "--preset"; "classroom"; "--voters"; "1000"; "--regime"; f ]), [ "schedule"; "--preset"; "classroom"; "--regime"; "us-like"; "--attempts"; "1" ]
      "score", ".json", (fun f o -> [ "score"; "--preset"; "classroom"; "--voters"; "2000"; "--regime"; f; "--out"; Path.Combine(o, "score") ]), [ "score"; "--preset"; "classroom"; "--regime"; "us-like"; "--voters"; "-1" ]
      "site", ".ipynb", (fun f o -> [ "site"; "--notebooks"; f; "--out"; Path.Combine(o, "site") ]), [ "site"; "--out"; "/tmp/never-site"; "--lab-replicates"; "0" ]
      "simulate", ".json", (fun f o -> [ "simulate"; f; "--out"; Path.Combine(o, "sim") ]), [ "simulate"; "classroom"; "--replicates"; "0" ]
      "sweep plan", ".json", (fun f o -> [ "sweep"; "plan"; f; "--out"; Path.Combine(o, "plan") ]), [ "sweep"; "plan"; small; "--shards"; "0"; "--out"; "/tmp/never-plan" ]
      "sweep run", "", (fun f _ -> [ "sweep"; "run"; f; "--all" ]), [ "sweep"; "run"; "/tmp"; "--shard"; "x" ]
      "sweep status", "", (fun f _ -> [ "sweep"; "status"; f ]), [ "sweep"; "status" ]
      "sweep merge", "", (fun f o -> [ "sweep"; "merge"; f; "--out"; Path.Combine(o, "merged") ]), [ "sweep"; "merge"; "/nonexistent"; "--out" ]
      "suppression", ".json", (fun f o -> [ "suppression"; f; "--arm"; "campaign"; "--victim"; "Red"; "--draws"; "5"; "--out"; Path.Combine(o, "s.csv") ]), [ "suppression"; "classroom"; "--arm"; "campaign"; "--victim"; "Red"; "--draws"; "0" ]
      "swing", ".json", (fun f o -> [ "swing"; "--spec"; f; "--party"; "Red"; "--out"; Path.Combine(o, "s.csv") ]), [ "swing"; "--preset"; "classroom"; "--party"; "Mauve" ]
      "verify", "", (fun f _ -> [ "verify"; f ]), [ "verify"; "/tmp"; "--threads"; "0" ]
      "version", "", (fun f _ -> [ "version"; f ]), [ "version"; "--json" ]
      "workshop", ".json", (fun f o -> [ "workshop"; f; "--step"; "2"; "--out"; Path.Combine(o, "w") ]), [ "workshop"; card; "--step"; "99" ] ]

[<Tests>]
let contract =
    testList "Cli.contract" [
        test "every subcommand is in this list" {
            let listed = commands |> List.map (fun (n, _, _, _) -> n.Split(' ').[0]) |> Set.ofList
            let all = global.Workbench.Cli.Program.BuildRoot().Subcommands |> Seq.filter (fun c -> not c.Hidden) |> Seq.map (fun c -> c.Name) |> Set.ofSeq
            Expect.equal listed all "one entry per subcommand"
        }
        for name, ext, withFile, badFlag in commands do
            test $"{name}: bad inputs exit 1 or 2 with a message, no stack trace, nothing written" {
                Cli.withDir (fun dir ->
                    let inputs = Path.Combine(dir, "inputs")
                    let out = Path.Combine(dir, "out")
                    Directory.CreateDirectory inputs |> ignore
                    Directory.CreateDirectory out |> ignore
                    let cases = badInputs inputs ext
                    let before = Cli.entries inputs
                    for kind, path in cases do
                        let args = withFile path out
                        let code, _, err = Cli.run args
                        let what = sprintf "%s with a %s input (%s)" name kind (String.Join(" ", args))
                        Expect.contains [ 1; 2 ] code (sprintf "%s: exit 1 or 2, got %d: %s" what code err)
                        Expect.stringStarts err "workbench: " (sprintf "%s: a message" what)
                        Cli.noTrace err what
                        Expect.equal (Cli.entries out) [||] (sprintf "%s: nothing in the output location" what)
                        Expect.equal (Cli.entries inputs) before (sprintf "%s: nothing beside the inputs" what)
                    let code, _, err = Cli.run badFlag
                    let what = sprintf "%s with a bad flag (%s)" name (String.Join(" ", badFlag))
                    Expect.equal code 2 (sprintf "%s: exit 2, got %d: %s" what code err)
                    Expect.stringStarts err "workbench: " (sprintf "%s: a message" what)
                    Cli.noTrace err what)
            }
    ]
