/// Sessions in a worker process (WorkerSession ↔ WorkerHost, the `workbench run-worker` subcommand): the same outputs
/// to the byte as in process, state, completion, input, and a worker that dies or is disposed leaves nothing behind.
module Workbench.Notebooks.Tests.WorkerTests

open System
open System.Diagnostics
open System.IO
open Expecto
open Workbench.Notebooks
open Workbench.Notebooks.Engine

let private repoRoot = Repo.root

/// The built tool's worker: the dotnet host, Workbench.Cli.dll and the hidden subcommand.
let private worker =
    lazy (
        let dll = Path.Combine(repoRoot, "artifacts", "bin", "Workbench.Cli", "release", "Workbench.Cli.dll")
        if not (File.Exists dll) then failtestf "the workbench tool is not built: %s" dll
        let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
        [| dotnet; dll; "run-worker" |] :> Collections.Generic.IReadOnlyList<string>)

let private start () = WorkerSession.Start(worker.Value, Path.GetTempPath(), Nullable(), TimeSpan.FromSeconds 3.0)
let private run (s: WorkerSession) code = s.RunAsync(code).GetAwaiter().GetResult()
let private error (r: CellResult) = r.Outputs |> Seq.find (fun o -> o.OutputType = "error")
let private result (r: CellResult) = r.Outputs |> Seq.tryFind (fun o -> o.OutputType = "execute_result") |> Option.map (fun o -> o.Data.["text/plain"])

let private gone (pid: int) = not (Directory.Exists(sprintf "/proc/%d" pid)) || (try (File.ReadAllText(sprintf "/proc/%d/stat" pid)).Contains ") Z " with _ -> true)

[<Tests>]
let tests =
    testSequenced <| testList "Notebooks.Worker" [
        test "a notebook run in a worker gives the same bytes as in process: streams, displays and updates, results, tables, charts, errors" {
            let nb = Notebook.Create()
            let bin = Path.Combine(repoRoot, "artifacts", "bin", "Workbench", "release")
            nb.AddCell("markdown", "# Title") |> ignore
            nb.AddCell("code", "int n = 3;", [ "parameters" ]) |> ignore
            nb.AddCell("code", "Console.WriteLine(\"out é ✓\"); Console.Error.WriteLine(\"err\\ttab\");\nvar h = display(\"first\"); h.Update(\"second\"); 7.Display();\nn * 14") |> ignore
            nb.AddCell("code", "new[] { new { a = 1, b = \"x<y\" }, new { a = 2, b = \"\\u0001\" } }") |> ignore
            nb.AddCell("code", $"#r \"{bin}/Plotly.NET.dll\"\n#r \"{bin}/Plotly.NET.CSharp.dll\"\nPlotly.NET.CSharp.Chart.Column<double, string, string>(values: new[] {{ 1.5, 2.0 }}, Keys: new[] {{ \"a\", \"b\" }})") |> ignore
            nb.AddCell("code", "throw new InvalidOperationException(\"boom\\nsecond line\");") |> ignore
            nb.AddCell("code", "1") |> ignore
            let options worker = RunOptions(Parameters = readOnlyDict [ "n", "4" ], WorkerCommand = worker)
            let inProcess = Runner.RunAsync(nb, Path.GetTempPath(), options null).GetAwaiter().GetResult()
            let inWorker = Runner.RunAsync(nb, Path.GetTempPath(), options worker.Value).GetAwaiter().GetResult()
            Expect.equal inWorker.FailedCell inProcess.FailedCell "fails at the same cell"
            Expect.equal inWorker.Error inProcess.Error "same error"
            Expect.stringContains (inWorker.Executed.ToJson()) "Plotly chart" "the chart ran"
            Expect.equal (inWorker.Executed.ToJson()) (inProcess.Executed.ToJson()) "same bytes"
        }
        test "state carries over; completion and inspection answer from the worker's session; input goes through the callback" {
            use s = start ()
            run s "var answer = 42; string Shout(string x) => x.ToUpperInvariant();" |> ignore
            Expect.equal (result (run s "answer + 1")) (Some "43") "state"
            let matches, st, en = s.Complete("answer.ToStr", 12).ToTuple()
            Expect.contains matches "ToString" "member completion"
            Expect.equal (st, en) (7, 12) "span replaced"
            Expect.stringContains (s.Inspect("Math.Max(1, 2)", 6)) "Max" "inspection"
            let prompts = Collections.Generic.List<string>()
            let r = s.RunAsync("Shout(Console.ReadLine())", Func<string, string>(fun p -> prompts.Add p; "typed"), Threading.CancellationToken.None).GetAwaiter().GetResult()
            Expect.equal (result r) (Some "TYPED") "the line read by the cell"
            Expect.equal prompts.Count 1 "asked once"
            Expect.equal (result (run s "Console.ReadLine() is null")) (Some "True") "without a callback the cell reads end of input"
        }
        test "a new session in the same worker (the next notebook) has none of the previous one's state, and its own folder" {
            use s = start ()
            run s "var secret = 1;" |> ignore
            let pid = s.ProcessId
            let dir = Path.Combine(Path.GetTempPath(), "wb-ws-" + Guid.NewGuid().ToString("N"))
            Directory.CreateDirectory dir |> ignore
            try
                s.NewSession dir
                Expect.equal (error (run s "secret")).EName "CompilationError" "the previous notebook's variable is gone"
                let r = run s "#r \"nothere.dll\""
                Expect.stringContains (error r).EValue (Path.Combine(dir, "nothere.dll")) "relative paths resolve against the new folder"
                Expect.equal s.ProcessId pid "the same process"
            finally Directory.Delete(dir, true)
        }
        test "Environment.Exit in a cell ends only the worker: an error that says so, the session is no longer alive, later cells say why" {
            use s = start ()
            let r = run s "Environment.Exit(7);"
            Expect.equal (error r).EName "WorkerProcessExited" "ename"
            Expect.stringContains (error r).EValue "exited with code 7" "the exit code"
            Expect.isFalse s.IsAlive "not alive"
            Expect.stringContains (error (run s "1")).EValue "no longer running" "the next cell"
        }
        test "an interrupt that the cell ignores ends the worker after the grace period; disposing a session leaves no process" {
            use s = start ()
            let pid = s.ProcessId
            use cts = new Threading.CancellationTokenSource()
            let started = Path.Combine(Path.GetTempPath(), "wb-spin-" + Guid.NewGuid().ToString("N"))
            let pending = s.RunAsync($"System.IO.File.WriteAllText(@\"{started}\", \"x\"); System.Threading.SpinWait.SpinUntil(() => false);", cts.Token)
            let wait = Stopwatch.StartNew()
            while not (File.Exists started) && wait.Elapsed.TotalSeconds < 120.0 do Threading.Thread.Sleep 100
            File.Delete started
            cts.Cancel()
            let sw = Stopwatch.StartNew()
            let r = pending.GetAwaiter().GetResult()
            Expect.isLessThan sw.Elapsed.TotalSeconds 15.0 "ended within the grace period and slack"
            Expect.equal (error r).EName "OperationCanceledException" "interrupted"
            Expect.stringContains (error r).EValue "its worker process was ended" "ended"
            Expect.isFalse s.IsAlive "not alive"
            Expect.isTrue (gone pid) "the worker process is gone"
            let other = start ()
            let otherPid = other.ProcessId
            Expect.equal (result (run other "2 + 2")) (Some "4") "a fresh worker works"
            other.Dispose()
            Expect.isTrue (gone otherPid) "disposed: gone"
        }
        test "a worker command that does not exist fails the first cell with the reason, and nothing hangs" {
            use s = WorkerSession.Start([| "/nonexistent/workbench"; "run-worker" |], Path.GetTempPath(), Nullable(), TimeSpan.FromSeconds 1.0)
            let r = run s "1"
            Expect.equal (error r).EName "WorkerNotStarted" "ename"
            Expect.stringContains (error r).EValue "/nonexistent/workbench" "names the command"
        }
    ]
