/// The CLI's reliability contract under faults: `workbench simulate`, `sweep run` and `run` killed with SIGKILL at several
/// points leave every output either absent or complete, and the same command rerun succeeds and leaves no temporary file;
/// malformed notebooks (the JSON, not the code) end with exit 0, 1 or 2, never a stack trace, and nothing written on exit 2;
/// those that break what nbformat 4 requires, or are not UTF-8, exit 2 naming the JSON path or byte offset; on a full disk
/// `simulate --out`, `sweep run` and `run --out` exit 1 with one line and leave nothing behind.
module Workbench.Cli.Tests.FaultTests

open System
open System.IO
open System.Text
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

/// A temporary file of an atomic write (`.wbtmp-PID-RANDOM-NAME`) or a sweep shard's staging folder (`.K.PID.RANDOM.tmp`):
/// not a result, whatever its content.
let private isTemporary (rel: string) =
    rel.Split(Path.DirectorySeparatorChar) |> Array.exists (fun part -> part.StartsWith ".wbtmp-" || (part.StartsWith "." && part.EndsWith ".tmp"))

/// The fields of one CSV line (quotes respected).
let private fields (line: string) =
    let mutable n, quoted = 1, false
    for c in line do
        if c = '"' then quoted <- not quoted
        elif c = ',' && not quoted then n <- n + 1
    n

/// Fails unless the file is complete: CSV with the expected header and whole rows, readable Parquet, parseable JSON, whole HTML.
let private complete (header: string) (path: string) (what: string) =
    match Path.GetExtension path with
    | ".csv" ->
        let text = File.ReadAllText path
        Expect.isTrue (text.EndsWith "\n") (sprintf "%s: %s ends with a whole line" what path)
        let lines = text.TrimEnd('\n').Split('\n')
        Expect.equal lines.[0] header (sprintf "%s: %s has the header" what path)
        let n = fields header
        for l in lines do Expect.equal (fields l) n (sprintf "%s: %s row has %d fields: %s" what path n l)
    | ".parquet" -> Workbench.Tables.ColumnTable.ReadParquet path |> ignore
    | ".json" | ".ipynb" -> JsonNode.Parse(File.ReadAllText path) |> ignore
    | ".html" -> Expect.stringContains (File.ReadAllText path) "</html>" (sprintf "%s: %s is whole" what path)
    | ".sbatch" | ".yaml" | ".sh" -> Expect.isTrue (File.ReadAllText(path).EndsWith "\n") (sprintf "%s: %s is whole" what path)
    | _ -> failtestf "%s: %s is neither a result nor a recognisable temporary file (which the next write would remove)" what path

/// Every file under `dir` that is not a temporary is complete; returns the results seen.
let private allComplete header dir what =
    [ for rel in Cli.entries dir do
        let full = Path.Combine(dir, rel)
        if File.Exists full && not (isTemporary rel) then
            (try complete header full what
             with :? AssertException -> reraise () | ex -> failtestf "%s: %s is not complete: %s: %s" what rel (ex.GetType().Name) ex.Message)
            yield rel ]

/// Starts `workbench args`, SIGKILLs it (with any worker) when `until` holds or it has run `maxSeconds`; true if it was killed.
let private killWhen (args: string list) (until: unit -> bool) (seconds: float) =
    use p = Cli.start args []
    p.StandardOutput.ReadToEndAsync() |> ignore
    p.StandardError.ReadToEndAsync() |> ignore
    let sw = Diagnostics.Stopwatch.StartNew()
    while not p.HasExited && sw.Elapsed.TotalSeconds < seconds && not (until ()) do Threading.Thread.Sleep 1
    let killed = not p.HasExited
    (try p.Kill true with _ -> ())
    p.WaitForExit()
    killed

let private anyFile (dir: string) () = Directory.Exists dir && Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories) |> Seq.isEmpty |> not
let private never () = false

/// Kills `args` at each point (after `fresh` has removed the previous run's outputs), then checks the outputs under `dir` and
/// reruns to exit 0 with no temporary left.
let private killAndRerun (name: string) (args: string list) (dir: string) (fresh: unit -> unit) (points: (string * (unit -> bool) * float) list) (header: unit -> string) =
    let mutable killedCount = 0
    for label, until, seconds in points do
        fresh ()
        let what = sprintf "%s killed %s" name label
        if killWhen args until seconds then killedCount <- killedCount + 1
        let results = allComplete (header ()) dir what
        let temporaries = Cli.entries dir |> Array.filter isTemporary
        printfn "%s: %d complete results, %d temporary entries left" what results.Length temporaries.Length
        let code, out, err = Cli.runProcess args [] 120_000
        Expect.equal code 0 (sprintf "%s: the rerun succeeds:\n%s\n%s" what out err)
        Cli.noTrace err what
        let left = Cli.entries dir |> Array.filter isTemporary
        Expect.isEmpty left (sprintf "%s: no temporary file after the rerun" what)
        Expect.isFalse (Cli.entries dir |> Array.exists (fun e -> e.EndsWith ".tmp" && File.Exists(Path.Combine(dir, e)))) (sprintf "%s: no temporary file after the rerun:\n%A" what (Cli.entries dir))
        Expect.isNonEmpty (allComplete (header ()) dir (what + ", rerun")) "the rerun wrote its results"
    printfn "%s: %d kill points, %d killed before the end" name points.Length killedCount
    Expect.isGreaterThan killedCount 0 (sprintf "%s: at least one kill landed before the command ended" name)

let private small = Path.Combine(Cli.repoRoot, "tests", "sweeps", "small.json")
let private start00 = Path.Combine(Cli.repoRoot, "notebooks", "00-start-here.ipynb")

/// A copy of the chapter with one change to the JSON: set (or remove, with None) the node at a path of keys and indices.
let private edit (path: obj list) (value: JsonNode option) (text: string) =
    let root = JsonNode.Parse text
    let rec go (node: JsonNode) (path: obj list) =
        match path with
        | [ :? string as k ] -> (match value with Some v -> node.AsObject().[k] <- v | None -> node.AsObject().Remove k |> ignore)
        | [ :? int as i ] -> (match value with Some v -> node.AsArray().[i] <- v | None -> node.AsArray().RemoveAt i)
        | (:? string as k) :: rest -> go (node.AsObject().[k]) rest
        | (:? int as i) :: rest -> go (node.AsArray().[i]) rest
        | _ -> failwith "bad path"
    go root path
    root.ToJsonString()

let private v (json: string) = Some (JsonNode.Parse json)

/// Deterministic mutants of the chapter's JSON (51): name, bytes.
let private mutants (original: string) : (string * byte[]) list =
    let utf8 (s: string) = Encoding.UTF8.GetBytes s
    let e path value = utf8 (edit path value original)
    let cells: obj list = [ "cells" ]
    let code: obj list = [ "cells"; 1 ]
    [ "cells null", e cells (v "null")
      "cells a string", e cells (v "\"x\"")
      "cells an object", e cells (v "{}")
      "cells missing", e cells None
      "cells empty", e cells (v "[]")
      "a cell null", e [ "cells"; 1 ] (v "null")
      "a cell a number", e [ "cells"; 1 ] (v "7")
      "source a number", e (code @ [ "source" ]) (v "42")
      "source null", e (code @ [ "source" ]) (v "null")
      "source numbers", e (code @ [ "source" ]) (v "[1, 2]")
      "outputs a string", e (code @ [ "outputs" ]) (v "\"x\"")
      "outputs numbers", e (code @ [ "outputs" ]) (v "[42]")
      "outputs an output without type", e (code @ [ "outputs" ]) (v "[{}]")
      "cell metadata an array", e (code @ [ "metadata" ]) (v "[]")
      "execution_count a string", e (code @ [ "execution_count" ]) (v "\"x\"")
      "cell_type missing", e [ "cells"; 0; "cell_type" ] None
      "cell_type unknown", e [ "cells"; 0; "cell_type" ] (v "\"bogus\"")
      "cell_type a number", e (code @ [ "cell_type" ]) (v "7")
      "metadata null", e [ "metadata" ] (v "null")
      "metadata missing", e [ "metadata" ] None
      "metadata a string", e [ "metadata" ] (v "\"x\"")
      "nbformat 3", e [ "nbformat" ] (v "3")
      "nbformat 99", e [ "nbformat" ] (v "99")
      "nbformat a string", e [ "nbformat" ] (v "\"4\"")
      "nbformat -1", e [ "nbformat" ] (v "-1")
      "nbformat 1e400", utf8 (original.Replace("\"nbformat\": 4", "\"nbformat\": 1e400"))
      "nbformat missing", e [ "nbformat" ] None
      "duplicate key cells", utf8 ("{\"cells\": [], " + original.TrimStart().Substring 1)
      "duplicate key source", utf8 (original.Replace("\"cell_type\": \"code\",", "\"cell_type\": \"code\", \"source\": \"int a = 1;\","))
      "a 20 MB string in metadata", e [ "metadata"; "big" ] (Some (JsonValue.Create(String('x', 20_000_000)) :> JsonNode))
      "a 5 MB markdown source", e [ "cells"; 0; "source" ] (Some (JsonValue.Create(String('#', 5_000_000)) :> JsonNode))
      "arrays nested 100,000 deep", utf8 (original.Replace("\"metadata\": {", "\"metadata\": {\"deep\": " + String('[', 100_000) + String(']', 100_000) + ",", StringComparison.Ordinal))
      "objects nested 5,000 deep", utf8 ("{\"deep\": " + String.replicate 5000 "{\"a\": " + "1" + String('}', 5000) + ", " + original.TrimStart().Substring 1)
      "not JSON", utf8 "this is not a notebook\n"
      "empty file", [||]
      "truncated", utf8 (original.Substring(0, original.Length / 2))
      "an array", utf8 "[1, 2, 3]"
      "null", utf8 "null"
      "invalid UTF-8", Array.append (utf8 "{\"cells\": [], \"metadata\": {\"x\": \"") (Array.append [| 0xC3uy; 0x28uy; 0xFFuy |] (utf8 "\"}, \"nbformat\": 4, \"nbformat_minor\": 5}"))
      "a byte-order mark", Array.append [| 0xEFuy; 0xBBuy; 0xBFuy |] (utf8 original)
      "an unknown output_type", e (code @ [ "outputs" ]) (v "[{\"output_type\": \"pyout\", \"data\": {}, \"metadata\": {}}]")
      "an output_type a number", e (code @ [ "outputs" ]) (v "[{\"output_type\": 3}]")
      "a stream output without text", e (code @ [ "outputs" ]) (v "[{\"output_type\": \"stream\", \"name\": \"stdout\"}]")
      "an error output with numbers for traceback", e (code @ [ "outputs" ]) (v "[{\"output_type\": \"error\", \"ename\": \"E\", \"evalue\": \"v\", \"traceback\": [1]}]")
      "a display bundle holding a number", e (code @ [ "outputs" ]) (v "[{\"output_type\": \"display_data\", \"data\": {\"text/plain\": 1}, \"metadata\": {}}]")
      "nbformat_minor missing", e [ "nbformat_minor" ] None
      "a cell id missing", e [ "cells"; 2; "id" ] None
      "source missing", e (code @ [ "source" ]) None
      "outputs missing", e (code @ [ "outputs" ]) None
      "execution_count missing", e (code @ [ "execution_count" ]) None
      "invalid UTF-8 in a markdown cell", (let at = Encoding.UTF8.GetByteCount(original.Substring(0, original.IndexOf "Start here")) in utf8 original |> Array.mapi (fun i b -> if i = at then 0xFFuy else b)) ]

let private fuzzTest =
        test "malformed notebooks end with exit 0, 1 or 2 in time, without a stack trace, writing nothing on exit 2" {
            Cli.withDir (fun dir ->
                let original = File.ReadAllText start00
                let all = mutants original
                let distinct = all |> List.map (snd >> Convert.ToBase64String) |> List.distinct
                Expect.equal distinct.Length all.Length "every mutant differs from the others"
                Expect.isFalse (all |> List.exists (fun (_, b) -> b = Encoding.UTF8.GetBytes original)) "no mutant is the original"
                let codes =
                    all |> List.mapi (fun i (name, bytes) ->
                        let nb = Path.Combine(dir, sprintf "m%02d.ipynb" i)
                        File.WriteAllBytes(nb, bytes)
                        let out = Path.Combine(dir, sprintf "out%02d" i)
                        let code, _, err =
                            try Cli.runProcess [ "run"; nb; "--out"; out; "--timeout-per-cell"; "30" ] [] 60_000
                            with ex -> failtestf "mutant %s: %s" name ex.Message
                        Expect.contains [ 0; 1; 2 ] code (sprintf "mutant %s: exit 0, 1 or 2, not %d:\n%s" name code err)
                        Cli.noTrace err (sprintf "mutant %s" name)
                        if code = 2 then Expect.isEmpty (Cli.entries out) (sprintf "mutant %s: exit 2 writes nothing" name)
                        name, code)
                // Wrong JSON types are invalid input, refused before anything runs with the JSON path.
                let invalid =
                    [ "cells null"; "cells a string"; "cells an object"; "cells missing"; "a cell null"; "a cell a number"; "source a number"
                      "source null"; "source numbers"; "outputs a string"; "outputs numbers"; "cell metadata an array"; "execution_count a string"
                      "cell_type missing"; "cell_type unknown"; "cell_type a number"; "metadata null"; "metadata a string"; "nbformat 3"
                      "nbformat 99"; "nbformat a string"; "nbformat -1"; "nbformat 1e400"; "duplicate key cells"; "duplicate key source"
                      "arrays nested 100,000 deep"; "objects nested 5,000 deep"; "not JSON"; "empty file"; "truncated"; "an array"; "null"
                      // What nbformat 4's schema requires, and UTF-8.
                      "outputs an output without type"; "metadata missing"; "nbformat missing"; "nbformat_minor missing"; "an unknown output_type"
                      "an output_type a number"; "a stream output without text"; "an error output with numbers for traceback"
                      "a display bundle holding a number"; "a cell id missing"; "source missing"; "outputs missing"; "execution_count missing"
                      "invalid UTF-8"; "invalid UTF-8 in a markdown cell" ]
                for name in invalid do Expect.equal (List.find (fst >> (=) name) codes |> snd) 2 (sprintf "mutant %s is invalid input: exit 2" name)
                printfn "notebook fuzzing: %d mutants; exit 0: %d, exit 1: %d, exit 2: %d" all.Length
                    (codes |> List.filter (snd >> (=) 0) |> List.length) (codes |> List.filter (snd >> (=) 1) |> List.length) (codes |> List.filter (snd >> (=) 2) |> List.length)
                for name, code in codes do printfn "  %-32s exit %d" name code)
        }

/// Notebooks that break what nbformat 4 requires (or are not UTF-8) are refused by `workbench run` before anything runs:
/// exit 2, one line naming the JSON path (or the byte offset), nothing written.
let private pathTest =
        test "a notebook missing what nbformat 4 requires, or not UTF-8, is refused with exit 2 naming the JSON path or byte offset" {
            Cli.withDir (fun dir ->
                let original = File.ReadAllText start00
                let code: obj list = [ "cells"; 3 ]
                let utf8 (s: string) = Encoding.UTF8.GetBytes s
                let badByte = Encoding.UTF8.GetByteCount(original.Substring(0, original.IndexOf "Start here")) // an ASCII 'S', after a '·' of two bytes
                let cases =
                    [ "nbformat missing", utf8 (edit [ "nbformat" ] None original), "$.nbformat is missing"
                      "metadata missing", utf8 (edit [ "metadata" ] None original), "$.metadata is missing"
                      "an output without output_type", utf8 (edit (code @ [ "outputs" ]) (v "[{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": \"x\"}, {}]") original), "$.cells[3].outputs[1].output_type is missing"
                      "an unknown output_type", utf8 (edit (code @ [ "outputs" ]) (v "[{\"output_type\": \"pyout\"}]") original), "$.cells[3].outputs[0].output_type must be"
                      "invalid UTF-8", utf8 original |> Array.mapi (fun i b -> if i = badByte then 0xFFuy else b), sprintf "byte offset %s" (badByte.ToString("N0", Globalization.CultureInfo.InvariantCulture)) ]
                for name, bytes, expected in cases do
                    let nb = Path.Combine(dir, "m.ipynb")
                    File.WriteAllBytes(nb, bytes)
                    let out = Path.Combine(dir, "out")
                    let code, _, err = Cli.run [ "run"; nb; "--out"; out ]
                    Expect.equal code 2 (sprintf "%s: exit 2:\n%s" name err)
                    Expect.stringContains err expected (sprintf "%s: names the path" name)
                    Expect.equal (err.TrimEnd('\n').Split('\n').Length) 1 (sprintf "%s: one line:\n%s" name err)
                    Expect.isEmpty (Cli.entries out) (sprintf "%s: nothing written" name))
        }

/// Fills the disk at `mnt` with a file "filler" until `free` bytes are left (a multiple of the page size); returns its path.
let private fillLeaving (mnt: string) (free: int64) =
    let filler = Path.Combine(mnt, "filler")
    let buffer = Array.create (1 <<< 16) 0x5Auy
    let mutable left = DriveInfo(mnt).AvailableFreeSpace - free
    Expect.isGreaterThanOrEqual left 0L "the disk has that much free space"
    (use fs = new FileStream(filler, FileMode.CreateNew, FileAccess.Write)
     while left > 0L do
        let n = int (min left (int64 buffer.Length))
        fs.Write(buffer, 0, n)
        left <- left - int64 n)
    Expect.equal (DriveInfo(mnt).AvailableFreeSpace) free (sprintf "%d bytes left free" free)
    filler

/// A full disk: exit 1, one `workbench:` line naming the IOException (the hint, no stack trace).
let private diskFull (code: int, _: string, err: string) (what: string) =
    Expect.equal code 1 (sprintf "%s: the write failed: exit 1:\n%s" what err)
    Cli.noTrace err what
    let messages = err.Split('\n') |> Array.filter (fun l -> l.StartsWith "workbench:")
    Expect.equal messages.Length 1 (sprintf "%s: one message:\n%s" what err)
    Expect.stringContains messages.[0] "IOException" (sprintf "%s: names the error" what)
    Expect.stringContains messages.[0] "--verbose" (sprintf "%s: the hint" what)

/// `simulate --out`, `sweep run` (a shard) and `run --out` on a disk that fills up: with nothing free, and with a little free
/// (some files fit, a later one does not).
let private diskFullTest =
        test "disk full: simulate --out, sweep run and run --out exit 1 with one line, leave no partial or temporary file, and rerun" {
            Cli.withTmpfs "2m" "the disk-full test of simulate, sweep run and run" (fun mnt ->
                Cli.withDir (fun work ->
                    // simulate: its output folder (created by it) is removed.
                    for free in [ 0L; 8192L ] do
                        let what = sprintf "simulate, %d bytes free" free
                        let filler = fillLeaving mnt free
                        let out = Path.Combine(mnt, "sim")
                        let args = [ "simulate"; "classroom"; "--voters"; "20000"; "--replicates"; "2"; "--out"; out ]
                        diskFull (Cli.run args) what
                        Expect.equal (Cli.entries mnt) [| "filler" |] (sprintf "%s: nothing left but the filler" what)
                        File.Delete filler
                        let code, _, err = Cli.run args
                        Expect.equal code 0 (sprintf "%s: the rerun succeeds: %s" what err)
                        Expect.contains (Cli.entries out) "results.csv" (sprintf "%s: the rerun wrote its results" what)
                        Directory.Delete(out, true)
                    // sweep run: the plan is on the disk; the shard's staging folder and files are removed.
                    let plan = Path.Combine(mnt, "plan")
                    let code, _, err = Cli.run [ "sweep"; "plan"; small; "--shards"; "2"; "--out"; plan ]
                    Expect.equal code 0 err
                    let planned = Cli.entries mnt
                    for free in [ 0L; 4096L ] do
                        let what = sprintf "sweep run, %d bytes free" free
                        let filler = fillLeaving mnt free
                        diskFull (Cli.run [ "sweep"; "run"; plan; "--shard"; "0" ]) what
                        Expect.equal (Cli.entries mnt) (Array.sort (Array.append planned [| "filler" |])) (sprintf "%s: nothing added but the filler" what)
                        File.Delete filler
                    let code, _, err = Cli.run [ "sweep"; "run"; plan; "--shard"; "0" ]
                    Expect.equal code 0 (sprintf "sweep run: the rerun succeeds: %s" err)
                    Expect.isTrue (File.Exists(Path.Combine(plan, "shards", "0", "results.parquet"))) "sweep run: the rerun wrote the shard"
                    Directory.Delete(plan, true)
                    // run: a notebook of 40 KB of output; its executed .ipynb takes 14 pages of 4 KB, its HTML page 11, the manifest 1.
                    // Nothing fits, the .ipynb fits but not the page, both fit but not the manifest.
                    let nb = Workbench.Notebooks.Notebook.Create()
                    nb.AddCell("code", "Console.WriteLine(\"ran\");") |> ignore
                    nb.AddCell("code", "for (int i = 0; i < 1000; i++) Console.WriteLine(new string('w', 40));") |> ignore
                    let source = Path.Combine(work, "w.ipynb")
                    nb.Save source
                    for free, failing in [ 0L, "w.ipynb"; 16L * 4096L, "w.html"; 25L * 4096L, "manifest.json" ] do
                        let what = sprintf "run, %d bytes free" free
                        let filler = fillLeaving mnt free
                        let out = Path.Combine(mnt, "nb")
                        let result = Cli.run [ "run"; source; "--out"; out ]
                        diskFull result what
                        let _, _, err = result
                        Expect.stringContains err ("-" + failing + "'") (sprintf "%s: the write of %s is the one that failed" what failing)
                        Expect.equal (Cli.entries mnt) [| "filler" |] (sprintf "%s: nothing left but the filler" what)
                        File.Delete filler
                        let code, _, err = Cli.run [ "run"; source; "--out"; out ]
                        Expect.equal code 0 (sprintf "%s: the rerun succeeds: %s" what err)
                        Expect.equal (Cli.entries out) [| "manifest.json"; "w.html"; "w.ipynb" |] (sprintf "%s: the rerun wrote the notebook" what)
                        Directory.Delete(out, true)))
        }

[<Tests>]
let faults =
    testSequenced <| testList "Cli.faults" [
        test "simulate killed with SIGKILL at 0.5 s, 1.5 s, 3 s and at its first output file leaves complete files or none; the rerun succeeds" {
            Cli.withDir (fun root ->
                let dir = Path.Combine(root, "out")
                let args = [ "simulate"; "classroom"; "--voters"; "20000"; "--replicates"; "4"; "--out"; dir ]
                let header () = "scenario,arm,replicate,seed,system,party,votes,share,seats,turnout,spend,contacts"
                killAndRerun "simulate" args dir (fun () -> if Directory.Exists dir then Directory.Delete(dir, true))
                    [ "at 0.5 s", never, 0.5; "at 1.5 s", never, 1.5; "at 3 s", never, 3.0; "at the first output file", anyFile dir, 60.0 ] header)
        }
        test "sweep run killed with SIGKILL at 0.5 s, 1.5 s and when its staging folder appears leaves complete shards or none; the rerun succeeds" {
            Cli.withDir (fun root ->
                let plan = Path.Combine(root, "plan")
                let code, _, err = Cli.run [ "sweep"; "plan"; small; "--shards"; "2"; "--out"; plan ]
                Expect.equal code 0 err
                let args = [ "sweep"; "run"; plan; "--shard"; "0" ]
                let shards = Path.Combine(plan, "shards")
                killAndRerun "sweep run" args plan (fun () -> if Directory.Exists shards then Directory.Delete(shards, true))
                    [ "at 0.5 s", never, 0.5; "at 1.5 s", never, 1.5; "when the staging folder appears", anyFile shards, 60.0 ] (fun () -> "")
                Expect.isTrue (File.Exists(Path.Combine(shards, "0", "results.parquet"))) "shard 0 is done")
        }
        test "run killed with SIGKILL at 1.5 s and at its first output file leaves complete files or none; the rerun succeeds" {
            Cli.withDir (fun root ->
                let dir = Path.Combine(root, "out")
                let args = [ "run"; start00; "--out"; dir ]
                let firstFile () = Directory.Exists dir && not (Array.isEmpty (Directory.GetFiles dir))
                killAndRerun "run" args dir (fun () -> if Directory.Exists dir then Directory.Delete(dir, true)) [ "at 1.5 s", never, 1.5; "at the first output file", firstFile, 120.0 ] (fun () -> ""))
        }
        test "a notebook whose save fails leaves no temporary file; its temporary file is one a later atomic write recognises" {
            Cli.withDir (fun dir ->
                let target = Path.Combine(dir, "x.ipynb")
                Directory.CreateDirectory target |> ignore // a folder where the file should go: the final rename fails
                let nb = Workbench.Notebooks.Notebook.Create()
                Expect.throws (fun () -> nb.Save target) "saving over a folder fails"
                Expect.equal (Cli.entries dir) [| "x.ipynb" |] "no temporary file is left by the failed save"
                Directory.Delete target
                nb.Save target
                Expect.equal (Cli.entries dir) [| "x.ipynb" |] "a successful save leaves only the notebook")
        }
        fuzzTest
        pathTest
        diskFullTest
    ]
