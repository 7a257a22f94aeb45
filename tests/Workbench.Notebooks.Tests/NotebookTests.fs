module Workbench.Notebooks.Tests.NotebookTests

// Deedle's C# construction API (Frame.FromColumns) is used on purpose: the test checks the C# surface notebooks use.
#nowarn "10001"

open System
open System.IO
open System.Diagnostics
open Expecto
open Workbench.Notebooks
open Workbench.Notebooks.Engine
open Plotly.NET

let repoRoot = Repo.root

let private run (session: ScriptSession) code = session.RunAsync(code).GetAwaiter().GetResult()
let private texts (r: CellResult) = r.Outputs |> Seq.filter (fun o -> o.OutputType = "stream") |> Seq.map (fun o -> o.Text) |> String.concat ""
let private result (r: CellResult) = r.Outputs |> Seq.tryFind (fun o -> o.OutputType = "execute_result") |> Option.map (fun o -> o.Data.["text/plain"])
let private error (r: CellResult) = r.Outputs |> Seq.tryFind (fun o -> o.OutputType = "error")

[<Tests>]
let documents =
    testList "Notebooks.Documents" [
        test "every chapter round-trips to the same bytes (written as nbformat writes)" {
            for f in Directory.GetFiles(Path.Combine(repoRoot, "notebooks"), "*.ipynb") do
                let text = File.ReadAllText f
                Expect.equal ((Notebook.Parse text).ToJson()) text (Path.GetFileName f)
        }
        test "unknown metadata is preserved" {
            let text = """{"cells":[{"cell_type":"code","execution_count":null,"id":"a","metadata":{"custom":{"x":[1,2.5,"é"]}},"outputs":[],"source":["1+1"]}],"metadata":{"mine":true},"nbformat":4,"nbformat_minor":5}"""
            let nb = Notebook.Parse text
            let again = Notebook.Parse(nb.ToJson())
            Expect.equal (again.Root.["metadata"].["mine"].ToJsonString()) "true" "notebook metadata"
            Expect.equal (again.Cells.[0].Json.["metadata"].["custom"].["x"].[2].GetValue<string>()) "é" "cell metadata"
            Expect.stringContains (nb.ToJson()) "\"é\"" "non-ASCII kept as is (ensure_ascii=False)"
        }
        test "Polyglot metadata variants and #! first lines give the cell language" {
            let nb = Notebook.Create()
            nb.AddCell("code", "#!markdown\n# Title") |> ignore
            let c = nb.AddCell("code", "1")
            c.Json.["metadata"].AsObject().Remove("polyglot_notebook") |> ignore
            Expect.equal nb.Cells.[0].Language "markdown" "#!markdown"
            Expect.equal nb.Cells.[1].Language "csharp" "dotnet_interactive.language"
        }
        test "not a notebook: a clear error" {
            Expect.throwsT<FormatException> (fun () -> Notebook.Parse "[1,2]" |> ignore) "array"
            Expect.throwsT<FormatException> (fun () -> Notebook.Parse "{\"nbformat\":4}" |> ignore) "no cells"
        }
        test "what nbformat 4 requires is required: a notebook without it is refused naming the JSON path" {
            // A valid nbformat 4.5 notebook (every output type once), then one field removed or changed at a time.
            let valid () =
                System.Text.Json.Nodes.JsonNode.Parse("""{"cells":[{"cell_type":"markdown","id":"m","metadata":{},"source":"# T"},
                    {"cell_type":"code","execution_count":1,"id":"c","metadata":{},"source":["1+1"],"outputs":[
                      {"name":"stdout","output_type":"stream","text":["hi\n"]},
                      {"data":{"text/plain":["2"],"application/json":{"a":[1]}},"metadata":{},"output_type":"display_data"},
                      {"data":{"text/plain":"2"},"execution_count":1,"metadata":{},"output_type":"execute_result"},
                      {"ename":"E","evalue":"v","output_type":"error","traceback":["E: v"]}]}],
                    "metadata":{},"nbformat":4,"nbformat_minor":5}""").AsObject()
            Notebook.Parse(valid().ToJsonString()) |> ignore
            let cell (j: System.Text.Json.Nodes.JsonObject) (i: int) = j.["cells"].[i].AsObject()
            let output (j: System.Text.Json.Nodes.JsonObject) (k: int) = (cell j 1).["outputs"].[k].AsObject()
            let cases : (string * (System.Text.Json.Nodes.JsonObject -> unit) * string) list =
                [ "nbformat missing", (fun j -> j.Remove "nbformat" |> ignore), "$.nbformat is missing"
                  "nbformat_minor missing", (fun j -> j.Remove "nbformat_minor" |> ignore), "$.nbformat_minor is missing"
                  "nbformat_minor negative", (fun j -> j.["nbformat_minor"] <- -1), "$.nbformat_minor must be a whole number"
                  "metadata missing", (fun j -> j.Remove "metadata" |> ignore), "$.metadata is missing"
                  "cells missing", (fun j -> j.Remove "cells" |> ignore), "$.cells is missing"
                  "a cell id missing (nbformat 4.5)", (fun j -> (cell j 0).Remove "id" |> ignore), "$.cells[0].id is missing"
                  "a cell id with a space", (fun j -> (cell j 0).["id"] <- "a b"), "$.cells[0].id must be a string of 1 to 64"
                  "a cell's metadata missing", (fun j -> (cell j 0).Remove "metadata" |> ignore), "$.cells[0].metadata is missing"
                  "a cell's source missing", (fun j -> (cell j 1).Remove "source" |> ignore), "$.cells[1].source is missing"
                  "outputs missing", (fun j -> (cell j 1).Remove "outputs" |> ignore), "$.cells[1].outputs is missing"
                  "execution_count missing", (fun j -> (cell j 1).Remove "execution_count" |> ignore), "$.cells[1].execution_count is missing"
                  "an output without output_type", (fun j -> (output j 2).Remove "output_type" |> ignore), "$.cells[1].outputs[2].output_type is missing"
                  "an unknown output_type", (fun j -> (output j 3).["output_type"] <- "pyerr"), "$.cells[1].outputs[3].output_type must be \"stream\", \"display_data\", \"execute_result\" or \"error\"; got \"pyerr\""
                  "an output not an object", (fun j -> (cell j 1).["outputs"].[0] <- 7), "$.cells[1].outputs[0] must be an object"
                  "a stream without text", (fun j -> (output j 0).Remove "text" |> ignore), "$.cells[1].outputs[0].text is missing"
                  "a stream name a number", (fun j -> (output j 0).["name"] <- 1), "$.cells[1].outputs[0].name must be a string"
                  "display_data without data", (fun j -> (output j 1).Remove "data" |> ignore), "$.cells[1].outputs[1].data is missing"
                  "a text MIME type holding a number", (fun j -> (output j 1).["data"].["text/plain"] <- 2), "$.cells[1].outputs[1].data[\"text/plain\"] must be a string"
                  "execute_result without execution_count", (fun j -> (output j 2).Remove "execution_count" |> ignore), "$.cells[1].outputs[2].execution_count is missing"
                  "execute_result without metadata", (fun j -> (output j 2).Remove "metadata" |> ignore), "$.cells[1].outputs[2].metadata is missing"
                  "an error without traceback", (fun j -> (output j 3).Remove "traceback" |> ignore), "$.cells[1].outputs[3].traceback is missing"
                  "an error with a numeric ename", (fun j -> (output j 3).["ename"] <- 5), "$.cells[1].outputs[3].ename must be a string" ]
            for name, change, expected in cases do
                let j = valid ()
                change j
                let ex = Expect.throwsC (fun () -> Notebook.Parse(j.ToJsonString()) |> ignore) id
                Expect.isTrue (ex :? FormatException) (sprintf "%s: a FormatException, not %s" name (ex.GetType().Name))
                Expect.stringContains ex.Message expected (sprintf "%s: names the path" name)
            // nbformat 4.4 and earlier had no cell ids.
            let old = valid ()
            old.["nbformat_minor"] <- 4
            (cell old 0).Remove "id" |> ignore
            Notebook.Parse(old.ToJsonString()) |> ignore
        }
        test "a file that is not valid UTF-8 is refused with the byte offset; a byte-order mark is skipped" {
            let dir = Path.Combine(Path.GetTempPath(), "wb-utf8-" + Guid.NewGuid().ToString("N"))
            Directory.CreateDirectory dir |> ignore
            try
                let text = Notebook.Create().ToJson()
                let good = Text.Encoding.UTF8.GetBytes text
                let at = text.IndexOf "\"metadata\"" // an ASCII text, so characters are bytes
                let bad = Array.concat [ good.[.. at - 1]; [| 0xC3uy; 0x28uy |]; good.[at ..] ]
                let path = Path.Combine(dir, "bad.ipynb")
                File.WriteAllBytes(path, bad)
                let ex = Expect.throwsC (fun () -> Notebook.Load path |> ignore) id
                Expect.isTrue (ex :? FormatException) (sprintf "a FormatException, not %s" (ex.GetType().Name))
                Expect.stringContains ex.Message (sprintf "0xC3 at byte offset %s" (at.ToString("N0", Globalization.CultureInfo.InvariantCulture))) "names the byte and its offset"
                File.WriteAllBytes(path, Array.append [| 0xEFuy; 0xBBuy; 0xBFuy |] bad)
                let ex = Expect.throwsC (fun () -> Notebook.Load path |> ignore) id
                Expect.stringContains ex.Message (sprintf "at byte offset %s" ((at + 3).ToString("N0", Globalization.CultureInfo.InvariantCulture))) "the offset counts the byte-order mark"
                File.WriteAllBytes(path, Array.append [| 0xEFuy; 0xBBuy; 0xBFuy |] good)
                Expect.equal ((Notebook.Load path).ToJson()) text "a byte-order mark is skipped"
            finally Directory.Delete(dir, true)
        }
    ]

[<Tests>]
let engine =
    testList "Notebooks.Engine" [
        test "output past the cell's or the notebook's limit stops the cell, keeps what fitted and fails it with the limit" {
            use s = new ScriptSession(CellOutputLimit = 1000L, SessionOutputLimit = 2500L)
            let limitError (r: CellResult) what =
                Expect.isTrue r.Failed (what + ": failed")
                match error r with
                | Some e -> Expect.equal e.EName "OutputLimitExceeded" what; e.EValue
                | None -> failtestf "%s: no error output" what
            // A loop that prints for ever is stopped at the limit, with the 1,000 characters that fitted.
            let r = run s "for (int i = 0; ; i++) Console.Write(\"0123456789\");"
            Expect.stringContains (limitError r "unbounded loop") "The cell's output passed the limit of 1,000 characters per cell" "the cell's limit"
            Expect.equal (texts r).Length 1000 "what fitted is kept, nothing more"
            // Catching the exception does not help: every later write throws, and the cell fails anyway.
            let r = run s "try { Console.Error.Write(new string('a', 2000)); } catch (Exception) { } try { Console.WriteLine(\"after\"); } catch (Exception) { } 42"
            limitError r "caught" |> ignore
            Expect.isFalse ((texts r).Contains "after") "nothing is written after the limit"
            Expect.isNone (result r) "no result"
            // A display or a result too big for the budget is refused whole.
            let r = run s "display(new string('d', 2000));"
            limitError r "display" |> ignore
            Expect.isFalse (r.Outputs |> Seq.exists (fun o -> o.OutputType = "display_data")) "the display is not kept"
            let r = run s "new string('r', 2000)"
            limitError r "result" |> ignore
            // 1,000 + 1,000 + 0 + 0 used so far: 500 left of the notebook's 2,500.
            let r = run s "Console.Write(new string('n', 400));"
            Expect.isFalse r.Failed "400 fit"
            let r = run s "Console.Write(new string('n', 400));"
            Expect.stringContains (limitError r "notebook") "The notebook's output passed the limit of 2,500 characters per notebook (100 characters were left for this cell)" "the notebook's limit"
            Expect.equal (texts r).Length 100 "the 100 that were left"
        }
        test "state carries from cell to cell; the trailing expression is the result" {
            use s = new ScriptSession()
            run s "var x = 20;" |> ignore
            let r = run s "x * 2 + 2"
            Expect.equal (result r) (Some "42") "result"
            Expect.isFalse r.Failed "ok"
        }
        test "a statement ending in ; has no result" {
            use s = new ScriptSession()
            Expect.equal (result (run s "var y = 1;")) None "no result"
        }
        test "Console output is captured as a stream" {
            use s = new ScriptSession()
            let r = run s "Console.WriteLine(\"hello\"); Console.Write(\"world\");"
            Expect.equal (texts r) "hello\nworld" "stdout"
        }
        test "default usings of .NET Interactive are in scope" {
            use s = new ScriptSession()
            let r = run s "new List<int> { 3, 1, 2 }.OrderBy(i => i).First() + new StringBuilder(\"ab\").Length"
            Expect.equal (result r) (Some "3") "System.Linq, System.Text, System.Collections.Generic"
        }
        test "a compile error names the line and column relative to the cell" {
            use s = new ScriptSession()
            let r = run s "var a = 1;\nvar b = a +;"
            Expect.isTrue r.Failed "failed"
            let e = (error r).Value
            Expect.equal e.EName "CompilationError" "ename"
            Expect.stringContains e.EValue "(2," "line 2"
        }
        test "an exception becomes an error output; the session survives" {
            use s = new ScriptSession()
            run s "var keep = 7;" |> ignore
            let r = run s "throw new InvalidOperationException(\"boom\");"
            Expect.equal (error r).Value.EName "InvalidOperationException" "ename"
            Expect.equal (error r).Value.EValue "boom" "evalue"
            Expect.equal (result (run s "keep")) (Some "7") "state kept"
        }
        test "a cell that never ends is stopped by the per-cell timeout" {
            use s = new ScriptSession(CellTimeout = Nullable(TimeSpan.FromSeconds 1.0))
            let r = run s "while (true) { }"
            Expect.equal (error r).Value.EName "TimeoutException" "timeout"
            Expect.equal (result (run s "1 + 1")) (Some "2") "next cell runs"
        }
        test "a timed-out loop stops within the grace period and the session lives on; code that never checks is abandoned as still running" {
            use s = new ScriptSession(CellTimeout = Nullable(TimeSpan.FromSeconds 1.0), GracePeriod = TimeSpan.FromSeconds 1.0)
            run s "var kept = 5;" |> ignore
            let r = run s "while (true) { }"
            Expect.isFalse r.StillRunning "a guarded loop stops"
            Expect.stringContains (error r).Value.EValue "timed out after 1 s and was stopped" "message"
            let spin = run s "System.Threading.SpinWait.SpinUntil(() => false);"
            Expect.isTrue spin.StillRunning "SpinUntil never checks the token: abandoned"
            Expect.equal (error spin).Value.EName "TimeoutException" "ename"
            Expect.stringContains (error spin).Value.EValue "did not stop within 1 s" "says it did not stop"
            Expect.equal (result (run s "kept")) (Some "5") "state of the cells before"
        }
        test "an interrupt (the caller's cancellation) stops a loop and says interrupted" {
            use s = new ScriptSession()
            use cts = new Threading.CancellationTokenSource(TimeSpan.FromSeconds 1.0)
            let r = s.RunAsync("while (true) { }", cts.Token).GetAwaiter().GetResult()
            Expect.equal (error r).Value.EName "OperationCanceledException" "ename"
            Expect.equal (error r).Value.EValue "The cell was interrupted and was stopped." "message"
        }
        test "display() goes to the sink of the running cell, never to another session's cell" {
            use a = new ScriptSession()
            use b = new ScriptSession()
            let ra = a.RunAsync("await Task.Delay(300); display(\"from a\");")
            let rb = b.RunAsync("display(\"from b\"); await Task.Delay(600);")
            let shown (r: CellResult) = r.Outputs |> Seq.filter (fun o -> o.OutputType = "display_data") |> Seq.map (fun o -> o.Data.["text/plain"]) |> List.ofSeq
            Expect.equal (shown (ra.GetAwaiter().GetResult())) [ "from a" ] "a's display"
            Expect.equal (shown (rb.GetAwaiter().GetResult())) [ "from b" ] "b's display"
            Expect.isNull Display.DisplayContext.Current "no sink outside a cell"
        }
        test "unsupported magics are errors that name them; #!time and #!csharp work" {
            use s = new ScriptSession()
            let r = run s "#!fsharp\n1"
            Expect.stringContains (error r).Value.EValue "#!fsharp" "names the magic"
            let t = run s "#!time\n#!csharp\n1 + 1"
            Expect.stringContains (texts t) "Wall time" "#!time"
            Expect.equal (result t) (Some "2") "result"
        }
        test "#r loads an assembly by path relative to the notebook folder" {
            let dir = Path.Combine(repoRoot, "notebooks")
            use s = new ScriptSession(dir)
            let r = run s "#r \"../artifacts/bin/Workbench/release/Workbench.dll\"\nWorkbench.Random.Seeds.Default"
            Expect.isFalse r.Failed (sprintf "%A" (error r))
            Expect.equal (result r) (Some "2018") "type from the referenced assembly"
        }
        test "#r of a missing file is a clear error" {
            use s = new ScriptSession()
            let r = run s "#r \"nope/missing.dll\""
            Expect.stringContains (error r).Value.EValue "missing.dll" "names the file"
        }
        test "display() and .Display() produce display_data; Update() replaces it" {
            use s = new ScriptSession()
            let r = run s "var h = display(\"first\"); h.Update(\"second\"); 5.Display();"
            let shown = r.Outputs |> Seq.filter (fun o -> o.OutputType = "display_data") |> List.ofSeq
            Expect.equal shown.Length 3 "three display events"
            Expect.isTrue shown.[1].IsUpdate "update"
            Expect.equal shown.[1].DisplayId shown.[0].DisplayId "same id"
        }
        test "objects with ToHtml() render as text/html; sequences of records as tables" {
            use s = new ScriptSession()
            let r = run s "class T { public string ToHtml() => \"<b>hi</b>\"; }\nnew T()"
            let data = (r.Outputs |> Seq.find (fun o -> o.OutputType = "execute_result")).Data
            Expect.equal data.["text/html"] "<b>hi</b>" "ToHtml"
            let t = run s "new[] { new { a = 1, b = \"x\" }, new { a = 2, b = \"y\" } }"
            let html = (t.Outputs |> Seq.find (fun o -> o.OutputType = "execute_result")).Data.["text/html"]
            Expect.stringContains html "<th>a</th>" "header"
            Expect.stringContains html "<td>y</td>" "cell"
        }
        test "DataFrames and Deedle frames render as static HTML tables with their rows" {
            let series = Deedle.Series<int, float>([| 0; 1; 2 |], [| 10.0; 20.0; 30.0 |])
            let frame = Deedle.Frame.FromColumns([ Collections.Generic.KeyValuePair("votes", series) ])
            let bundle = Display.FormatterRegistry.Default().Format(frame)
            Expect.stringContains bundle.["text/html"] "<th>votes</th>" "header"
            Expect.stringContains bundle.["text/html"] "<td>30</td>" "a row"
            Expect.stringContains bundle.["text/html"] "3 rows × 1 columns" "shape"
            let df = new Microsoft.Data.Analysis.DataFrame([ Microsoft.Data.Analysis.PrimitiveDataFrameColumn<int>("seats", [| 3; 2 |]) :> Microsoft.Data.Analysis.DataFrameColumn ])
            let dfb = Display.FormatterRegistry.Default().Format(df)
            Expect.stringContains dfb.["text/html"] "<th>seats</th>" "header"
            Expect.stringContains dfb.["text/html"] "2 rows × 1 columns" "shape"
        }
        test "a Plotly chart's bundle holds the figure JSON with its data, and offline HTML" {
            let chart = Chart.Column(values = [ 11.0; 22.0 ], Keys = [ "a"; "b" ])
            let bundle = Display.FormatterRegistry.Default().Format(chart)
            let fig = bundle.["application/vnd.plotly.v1+json"]
            use doc = Text.Json.JsonDocument.Parse fig
            let y = doc.RootElement.GetProperty("data").[0].GetProperty("y")
            Expect.equal (y.[1].GetDouble()) 22.0 "data in the figure"
            Expect.isFalse (bundle.["text/html"].Contains "cdn") "no CDN"
        }
    ]

[<Tests>]
let runner =
    testList "Notebooks.Runner" [
        let mk () =
            let nb = Notebook.Create()
            nb.AddCell("markdown", "# Title\nSome *text*.") |> ignore
            nb.AddCell("code", "int n = 2;", [ "parameters" ]) |> ignore
            nb.AddCell("code", "Console.WriteLine(n * 10);\nn") |> ignore
            nb
        test "runs cells, numbers them, and parameters override the tagged cell" {
            let r = Runner.RunAsync(mk (), Path.GetTempPath(), RunOptions(Parameters = readOnlyDict [ "n", "5" ])).GetAwaiter().GetResult()
            Expect.isTrue r.Succeeded (string r.Error)
            let last = r.Executed.Cells |> Seq.last
            Expect.stringContains (last.Json.ToJsonString()) "50" "overridden value used"
            Expect.equal (last.Json.["execution_count"].GetValue<int>()) 3 "execution count (injected cell counted)"
        }
        test "an unknown parameter is refused" {
            Expect.throwsT<ArgumentException> (fun () -> Runner.RunAsync(mk (), Path.GetTempPath(), RunOptions(Parameters = readOnlyDict [ "zzz", "1" ])).GetAwaiter().GetResult() |> ignore) "refused"
        }
        test "a failing cell stops the run and is reported" {
            let nb = mk ()
            nb.AddCell("code", "throw new Exception(\"bad\");") |> ignore
            nb.AddCell("code", "1") |> ignore
            let r = Runner.RunAsync(nb, Path.GetTempPath()).GetAwaiter().GetResult()
            Expect.isFalse r.Succeeded "failed"
            Expect.stringContains r.Error "bad" "error"
            Expect.equal r.FailedCell 3 "cell index"
        }
        test "HTML report: markdown rendered, plotly.js inlined once for two charts, never from a CDN" {
            let nb = mk ()
            let bin = Path.Combine(repoRoot, "artifacts", "bin", "Workbench", "release")
            nb.AddCell("code", $"#r \"{bin}/Plotly.NET.dll\"\n#r \"{bin}/Plotly.NET.CSharp.dll\"\nPlotly.NET.CSharp.Chart.Column<double, string, string>(values: new[] {{ 1.0, 2.0 }}, Keys: new[] {{ \"a\", \"b\" }})") |> ignore
            nb.AddCell("code", "Plotly.NET.CSharp.Chart.Column<double, string, string>(values: new[] { 3.0, 4.0 }, Keys: new[] { \"c\", \"d\" })") |> ignore
            let r = Runner.RunAsync(nb, Path.GetTempPath()).GetAwaiter().GetResult()
            Expect.isTrue r.Succeeded (string r.Error)
            let html = Runner.ToHtml(r.Executed, "t")
            Expect.stringContains html "<h1" "markdown rendered"
            Expect.isFalse (html.Contains "<script src=") "no external script (no CDN)"
            let js = Display.PlotlyFormatter.PlotlyJs()
            let marker = js.Substring(0, 80)
            let count = (html.Length - html.Replace(marker, "").Length) / marker.Length
            Expect.equal count 1 "plotly.js once"
            Expect.equal ((html.Length - html.Replace("class=\"plotly-chart\"", "").Length) / "class=\"plotly-chart\"".Length) 2 "two charts"
        }
        test "executed notebooks validate against the nbformat schema (Debian python3-nbformat)" {
            let python = "/usr/bin/python3"
            let check = Process.Start(ProcessStartInfo(python, [| "-c"; "import nbformat" |], RedirectStandardError = true))
            check.WaitForExit()
            if check.ExitCode <> 0 then Repo.requireTool "python3-nbformat is not installed: apt-get install -y python3-nbformat (.ci/run installs it)"
            let r = Runner.RunAsync(mk (), Path.GetTempPath()).GetAwaiter().GetResult()
            let path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.ipynb")
            r.Executed.Save path
            let p = Process.Start(ProcessStartInfo(python, [| "-c"; "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))"; path |], RedirectStandardError = true))
            let err = p.StandardError.ReadToEnd()
            p.WaitForExit()
            File.Delete path
            Expect.equal p.ExitCode 0 $"nbformat.validate: {err}"
        }
    ]

[<Tests>]
let nuget =
    testSequenced <| testList "Notebooks.NuGet" [
        test "#r \"nuget:\" restores a package (from the local NuGet cache) and its types are usable" {
            let cache = Path.Combine(Path.GetTempPath(), $"wb-nuget-{Guid.NewGuid():N}")
            Environment.SetEnvironmentVariable("WORKBENCH_NUGET_CACHE", cache)
            try
                use s = new ScriptSession()
                let r = s.RunAsync("#r \"nuget: Markdig, 1.6.0\"\nMarkdig.Markdown.ToHtml(\"*hi*\").Trim()").GetAwaiter().GetResult()
                Expect.isFalse r.Failed (sprintf "%A" (r.Outputs |> Seq.tryFind (fun o -> o.OutputType = "error")))
                Expect.equal (r.Outputs |> Seq.find (fun o -> o.OutputType = "execute_result")).Data.["text/plain"] "<p><em>hi</em></p>" "package works"
                Expect.isTrue (Directory.GetFiles(cache, "resolved.txt", SearchOption.AllDirectories).Length = 1) "cached"
            finally
                Environment.SetEnvironmentVariable("WORKBENCH_NUGET_CACHE", null)
                try Directory.Delete(cache, true) with _ -> ()
        }
        test "#r \"nuget:\" with a package that does not exist is a clear error naming it" {
            let cache = Path.Combine(Path.GetTempPath(), $"wb-nuget-{Guid.NewGuid():N}")
            Environment.SetEnvironmentVariable("WORKBENCH_NUGET_CACHE", cache)
            try
                use s = new ScriptSession()
                let r = s.RunAsync("#r \"nuget: Workbench.No.Such.Package.Xyz, 9.9.9\"").GetAwaiter().GetResult()
                Expect.isTrue r.Failed "failed"
                let e = r.Outputs |> Seq.find (fun o -> o.OutputType = "error")
                Expect.stringContains e.EValue "Workbench.No.Such.Package.Xyz" "names the package"
            finally
                Environment.SetEnvironmentVariable("WORKBENCH_NUGET_CACHE", null)
                try Directory.Delete(cache, true) with _ -> ()
        }
    ]

[<Tests>]
let browser =
    testSequenced <| testList "Notebooks.Browser" [
        test "the HTML report of a notebook with charts renders every chart as SVG in headless Chromium, with no console errors" {
            let nb = Notebook.Create()
            nb.AddCell("markdown", "# Charts") |> ignore
            let bin = Path.Combine(repoRoot, "artifacts", "bin", "Workbench", "release")
            nb.AddCell("code", $"#r \"{bin}/Plotly.NET.dll\"\n#r \"{bin}/Plotly.NET.CSharp.dll\"\nPlotly.NET.CSharp.Chart.Column<double, string, string>(values: new[] {{ 1.0, 2.0 }}, Keys: new[] {{ \"a\", \"b\" }})") |> ignore
            nb.AddCell("code", "Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 1.0, 2.0, 3.0 }, y: new[] { 3.0, 1.0, 2.0 })") |> ignore
            let r = Runner.RunAsync(nb, Path.GetTempPath()).GetAwaiter().GetResult()
            Expect.isTrue r.Succeeded (string r.Error)
            let page = Path.Combine(Path.GetTempPath(), $"wb-report-{Guid.NewGuid():N}.html")
            File.WriteAllText(page, Runner.ToHtml(r.Executed, "charts"))
            let dom, log = Tools.chromiumDump ("file://" + page) None 10000
            File.Delete page
            let ids = Text.RegularExpressions.Regex.Matches(dom, "<div id=\"(plotly-[0-9a-f]+)\"") |> Seq.map (fun m -> m.Groups.[1].Value) |> List.ofSeq
            Expect.equal ids.Length 2 "two chart containers"
            for id in ids do
                let start = dom.IndexOf($"id=\"{id}\"")
                let next = dom.IndexOf("<div id=\"plotly-", start + 10)
                let segment = if next < 0 then dom.Substring start else dom.Substring(start, next - start)
                Expect.stringContains segment "main-svg" $"chart {id} holds a rendered SVG"
            let errors = log.Split('\n') |> Array.filter (fun l -> l.Contains "CONSOLE" && (l.Contains "ERROR" || l.Contains "Uncaught"))
            Expect.isEmpty errors "no console errors"
        }
    ]
