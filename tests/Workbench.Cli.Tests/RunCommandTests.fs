/// `workbench run` isolates each notebook in a worker process (docs/notebooks.md): a cell that ends its process, overflows
/// its stack or cannot be stopped fails its own notebook, the other notebooks' outputs are still written, and no worker
/// outlives the run. Driven as real processes, each run marked by an environment variable its workers inherit.
module Workbench.Cli.Tests.RunCommandTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

let private cliDll = Path.Combine(Cli.repoRoot, "artifacts", "bin", "Workbench.Cli", "release", "Workbench.Cli.dll")
let private dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
let private markerName = "WORKBENCH_TEST_RUN_MARKER"

/// Writes a notebook of C# code cells.
let private notebook (dir: string) (name: string) (cells: string list) =
    let nb = Workbench.Notebooks.Notebook.Create()
    for c in cells do nb.AddCell("code", c) |> ignore
    let path = Path.Combine(dir, name + ".ipynb")
    nb.Save path
    path

/// Processes (other than this one) whose environment holds the marker: the run's leftover workers, if any.
let private marked (marker: string) =
    [ for d in Directory.GetDirectories "/proc" do
        match Int32.TryParse(Path.GetFileName d) with
        | true, pid when pid <> Environment.ProcessId ->
            let env = try File.ReadAllText(Path.Combine(d, "environ")) with _ -> ""
            if env.Split('\000') |> Array.contains (markerName + "=" + marker) then
                let cmd = try File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\000', ' ') with _ -> "?"
                yield sprintf "%d %s" pid cmd
        | _ -> () ]

/// Starts `workbench run ARGS` as a process of its own, marked, with extra environment variables (which its workers inherit).
let private startWith (env: (string * string) list) (cwd: string) (args: string list) =
    if not (File.Exists cliDll) then failtestf "the workbench tool is not built: %s" cliDll
    let marker = Guid.NewGuid().ToString("N")
    let psi = ProcessStartInfo(dotnet, cliDll :: "run" :: args, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd)
    psi.Environment.[markerName] <- marker
    for k, v in env do psi.Environment.[k] <- v
    let p = Process.Start psi
    let out = p.StandardOutput.ReadToEndAsync()
    let err = new Text.StringBuilder()
    p.ErrorDataReceived.Add(fun e -> if not (isNull e.Data) then lock err (fun () -> err.Append(e.Data).Append('\n') |> ignore))
    p.BeginErrorReadLine()
    p, marker, (fun () -> lock err (fun () -> err.ToString())), out

let private start cwd args = startWith [] cwd args

/// Runs `workbench run ARGS` to its end with extra environment variables: exit code, stdout, stderr, seconds; fails if any worker of the run is left.
let private runWith (env: (string * string) list) (cwd: string) (args: string list) =
    let sw = Stopwatch.StartNew()
    let p, marker, err, out = startWith env cwd args
    use p = p
    if not (p.WaitForExit 300_000) then (p.Kill true; failtestf "workbench run did not end within 300 s:\n%s" (err ()))
    p.WaitForExit()
    let seconds = sw.Elapsed.TotalSeconds
    Threading.Thread.Sleep 500
    Expect.isEmpty (marked marker) "no worker process is left after the run"
    p.ExitCode, out.Result, err (), seconds

let private run cwd args = runWith [] cwd args

/// The outputs of code cell `k` (1-based) of an executed notebook.
let private outputs (path: string) (k: int) =
    let cells = JsonNode.Parse(File.ReadAllText path).["cells"].AsArray() |> Seq.filter (fun c -> c.["cell_type"].GetValue<string>() = "code") |> Array.ofSeq
    cells.[k - 1].["outputs"].AsArray() |> Seq.map (fun o -> o.AsObject()) |> List.ofSeq

let private errorOf (path: string) (k: int) =
    match outputs path k |> List.tryFind (fun o -> o.["output_type"].GetValue<string>() = "error") with
    | Some e -> e.["ename"].GetValue<string>(), e.["evalue"].GetValue<string>()
    | None -> failtestf "code cell %d of %s has no error output" k path

let private text (o: JsonObject) = o.["text"].AsArray() |> Seq.map (fun x -> x.GetValue<string>()) |> String.concat ""

/// The second notebook of every run: it must run, and its outputs be written, whatever the first did.
let private checkB (out: string) =
    let b = Path.Combine(out, "b.ipynb")
    Expect.isTrue (File.Exists b && File.Exists(Path.Combine(out, "b.html"))) "b's executed notebook and HTML are written"
    Expect.stringContains (text (outputs b 1).[0]) "b ran" "b's cell ran"

[<Tests>]
let tests =
    testSequenced <| testList "Cli.run" [
        test "a cell calling Environment.Exit(0) fails its notebook at that cell; the next notebook runs and both outputs are written" {
            let dir = Cli.tempDir ()
            try
                let a = notebook dir "a" [ "Console.WriteLine(\"one\");"; "Console.WriteLine(\"two\"); Environment.Exit(0);"; "Console.WriteLine(\"three\");" ]
                let b = notebook dir "b" [ "Console.WriteLine(\"b ran\");" ]
                let out = Path.Combine(dir, "out")
                let code, stdout, stderr, _ = run dir [ a; b; "--out"; out ]
                Expect.equal code 1 "exit 1: a notebook failed"
                Expect.stringContains stderr "a.ipynb, cell 2: WorkerProcessExited" "the failure names the notebook and the cell"
                Expect.stringContains stdout "1 of 2 notebooks ran without error" "summary"
                let executed = Path.Combine(out, "a.ipynb")
                Expect.stringContains (text (outputs executed 1).[0]) "one" "cell 1's output is kept"
                let ename, evalue = errorOf executed 2
                Expect.equal ename "WorkerProcessExited" "the error output is on cell 2"
                Expect.stringContains evalue "exited with code 0 during this cell" "says how the worker ended"
                Expect.isEmpty (outputs executed 3) "cell 3 did not run"
                Expect.stringContains (File.ReadAllText(Path.Combine(out, "a.html"))) "WorkerProcessExited" "the HTML page shows the error"
                checkB out
            finally Directory.Delete(dir, true)
        }
        test "unbounded recursion (a stack overflow) fails its notebook with the worker's last words; the next notebook runs" {
            let dir = Cli.tempDir ()
            try
                let a = notebook dir "a" [ "int Down(int n) => Down(n + 1) + 1;"; "Down(0)" ]
                let b = notebook dir "b" [ "Console.WriteLine(\"b ran\");" ]
                let out = Path.Combine(dir, "out")
                let code, _, stderr, _ = run dir [ a; b; "--out"; out ]
                Expect.equal code 1 "exit 1"
                Expect.stringContains stderr "a.ipynb, cell 2: WorkerProcessExited" "names the cell"
                let ename, evalue = errorOf (Path.Combine(out, "a.ipynb")) 2
                Expect.equal ename "WorkerProcessExited" "error on cell 2"
                Expect.stringContains evalue "Stack overflow" "the runtime's message from the worker's stderr"
                Expect.stringContains evalue "signal 6" "ended by SIGABRT"
                checkB out
            finally Directory.Delete(dir, true)
        }
        test "while (true) { } with a 2 s cell timeout is stopped; the notebook fails at that cell and the next notebook runs" {
            let dir = Cli.tempDir ()
            try
                let a = notebook dir "a" [ "int k = 1;"; "while (true) { }" ]
                let b = notebook dir "b" [ "Console.WriteLine(\"b ran\");" ]
                let out = Path.Combine(dir, "out")
                let code, _, stderr, seconds = run dir [ a; b; "--out"; out; "--timeout-per-cell"; "2" ]
                Expect.equal code 1 "exit 1"
                Expect.stringContains stderr "a.ipynb, cell 2: TimeoutException: The cell timed out after 2 s" "names the cell and the timeout"
                Expect.equal (fst (errorOf (Path.Combine(out, "a.ipynb")) 2)) "TimeoutException" "error on cell 2"
                checkB out
                // Two worker start-ups (each warms a compiler up) on a loaded machine, plus 2 s of timeout and at most 3 s of grace.
                Expect.isLessThan seconds 90.0 "the run ends"
            finally Directory.Delete(dir, true)
        }
        test "a cell that never checks for cancellation is stopped by ending its worker after the grace period" {
            let dir = Cli.tempDir ()
            try
                let a = notebook dir "a" [ "int k = 1;"; "System.Threading.SpinWait.SpinUntil(() => false);" ]
                let b = notebook dir "b" [ "Console.WriteLine(\"b ran\");" ]
                let out = Path.Combine(dir, "out")
                let code, _, stderr, _ = run dir [ a; b; "--out"; out; "--timeout-per-cell"; "4" ]
                Expect.equal code 1 "exit 1"
                let ename, evalue = errorOf (Path.Combine(out, "a.ipynb")) 2
                Expect.equal ename "TimeoutException" "a timeout"
                Expect.stringContains evalue "timed out after 4 s and did not stop within 3 s" "not stopped by the cancellation"
                Expect.stringContains evalue "its worker process was ended" "so the worker was ended"
                Expect.stringContains stderr "a.ipynb, cell 2" "names the cell"
                checkB out
            finally Directory.Delete(dir, true)
        }
        test "a worker that cannot answer at all (stopped by SIGSTOP) is killed by the parent past timeout and grace" {
            let dir = Cli.tempDir ()
            try
                let a = notebook dir "a" [ "int k = 1;"; "System.Diagnostics.Process.Start(\"kill\", $\"-STOP {Environment.ProcessId}\")!.WaitForExit();" ]
                let b = notebook dir "b" [ "Console.WriteLine(\"b ran\");" ]
                let out = Path.Combine(dir, "out")
                let code, _, _, _ = run dir [ a; b; "--out"; out; "--timeout-per-cell"; "2" ]
                Expect.equal code 1 "exit 1"
                let ename, evalue = errorOf (Path.Combine(out, "a.ipynb")) 2
                Expect.equal ename "TimeoutException" "a timeout"
                Expect.stringContains evalue "did not stop within 3 s of being cancelled; its worker process was ended" "ended by the parent"
                checkB out
            finally Directory.Delete(dir, true)
        }
        test "a cell that prints without bound, or displays too much, is stopped at 16 MB of output; memory stays bounded; the next notebook runs" {
            let dir = Cli.tempDir ()
            try
                let a = notebook dir "a" [ "Console.WriteLine(\"before\");"; "while (true) Console.Write(new string('x', 1 << 20));"; "Console.WriteLine(\"not reached\");" ]
                let c = notebook dir "c" [ "display(new string('y', 20_000_000));"; "Console.WriteLine(\"not reached\");" ]
                let b = notebook dir "b" [ "Console.WriteLine(\"b ran\");" ]
                let out = Path.Combine(dir, "out")
                // The run and its workers may use at most 768 MB: a cell whose output grew without bound would run out of it
                // within seconds (an OutOfMemoryException or a dead worker, not the limit's message).
                let code, stdout, stderr, seconds = runWith [ "DOTNET_GCHeapHardLimit", "0x30000000" ] dir [ a; c; b; "--out"; out; "--timeout-per-cell"; "120" ]
                Expect.equal code 1 (sprintf "exit 1: two notebooks failed\n%s" stderr)
                Expect.stringContains stdout "1 of 3 notebooks ran without error" "summary"
                let limit = "The cell's output passed the limit of 16 MB (16,777,216 characters) per cell"
                Expect.stringContains stderr ("a.ipynb, cell 2: OutputLimitExceeded: " + limit) "a's failure names the cell and the limit"
                Expect.stringContains stderr ("c.ipynb, cell 1: OutputLimitExceeded: " + limit) "c's failure names the cell and the limit"
                let executed = Path.Combine(out, "a.ipynb")
                Expect.stringContains (text (outputs executed 1).[0]) "before" "cell 1's output is kept"
                let flood = outputs executed 2
                Expect.equal (text flood.[0]) (String('x', 16 <<< 20)) "cell 2 keeps exactly the output that fitted"
                Expect.equal (fst (errorOf executed 2)) "OutputLimitExceeded" "then its error"
                Expect.isEmpty (outputs executed 3) "cell 3 did not run"
                Expect.equal (fst (errorOf (Path.Combine(out, "c.ipynb")) 1)) "OutputLimitExceeded" "the display is refused"
                Expect.isFalse ((outputs (Path.Combine(out, "c.ipynb")) 1) |> List.exists (fun o -> o.["output_type"].GetValue<string>() = "display_data")) "and not kept"
                checkB out
                Expect.isLessThan seconds 120.0 "stopped at the limit, not at the cell timeout"
            finally Directory.Delete(dir, true)
        }
        test "Ctrl+C (SIGINT) interrupts a runaway cell: that notebook fails as interrupted, its outputs are written, the rest is not run" {
            let dir = Cli.tempDir ()
            try
                let started = Path.Combine(dir, "started")
                let a = notebook dir "a" [ $"System.IO.File.WriteAllText(@\"{started}\", \"x\"); System.Threading.SpinWait.SpinUntil(() => false);" ]
                let b = notebook dir "b" [ "Console.WriteLine(\"b ran\");" ]
                let out = Path.Combine(dir, "out")
                let p, marker, err, _ = start dir [ a; b; "--out"; out ]
                use p = p
                let sw = Stopwatch.StartNew()
                while not (File.Exists started) && sw.Elapsed.TotalSeconds < 120.0 && not p.HasExited do Threading.Thread.Sleep 100
                Expect.isTrue (File.Exists started) "the cell started"
                Threading.Thread.Sleep 500
                use kill = Process.Start("kill", [ "-INT"; string p.Id ])
                kill.WaitForExit()
                let sw = Stopwatch.StartNew()
                Expect.isTrue (p.WaitForExit 60_000) "the run ends after the interrupt"
                p.WaitForExit()
                Expect.isLessThan sw.Elapsed.TotalSeconds 30.0 "within the grace period and some slack"
                Expect.equal p.ExitCode 1 "exit 1"
                Threading.Thread.Sleep 500
                Expect.isEmpty (marked marker) "no worker process is left"
                let ename, evalue = errorOf (Path.Combine(out, "a.ipynb")) 1
                Expect.equal ename "OperationCanceledException" "interrupted"
                Expect.stringContains evalue "The cell was interrupted and did not stop within 3 s" "says so"
                Expect.stringContains (err ()) "not run (interrupted): " "the next notebook is not run"
                Expect.isFalse (File.Exists(Path.Combine(out, "b.ipynb"))) "b was not run"
            finally Directory.Delete(dir, true)
        }
    ]
