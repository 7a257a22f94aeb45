module Workbench.Cli.Tests.ExportCommandTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests


let private chapter = Path.Combine(Cli.repoRoot, "notebooks", "02-votes-to-seats.ipynb")

[<Tests>]
let tests =
    testList "Cli.export" [
        test "--to cs: a file-based app that dotnet run executes, printing the same figures as the notebook" {
            let dir = Cli.tempDir ()
            try
                let app = Path.Combine(dir, "votes.cs")
                let code, _, err = Cli.run [ "export"; chapter; "--to"; "cs"; "--out"; app ]
                Expect.equal code 0 err
                let text = File.ReadAllText app
                Expect.stringContains text "#:property PublishAot=false" "no AOT (ML.NET, Roslyn)"
                Expect.stringContains text "lib/Workbench/Workbench.csproj" "the library as a project"
                Expect.stringContains text "// # 02 · Votes to seats" "markdown as comments"
                let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
                let psi = ProcessStartInfo(dotnet, [ "run"; app ], RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir)
                use p = Process.Start psi
                let out = p.StandardOutput.ReadToEndAsync()
                let errText = p.StandardError.ReadToEndAsync()
                Expect.isTrue (p.WaitForExit 600000) "finishes"
                Expect.equal p.ExitCode 0 (out.Result + errText.Result)
                // Every text result of the notebook (run by the engine) appears in the app's output.
                let run = Workbench.Notebooks.Runner.RunAsync(Workbench.Notebooks.Notebook.Load chapter, Path.GetDirectoryName chapter).GetAwaiter().GetResult()
                let executed = JsonNode.Parse(run.Executed.ToJson())
                let plain (n: JsonNode) = match n with | :? JsonArray as a -> a |> Seq.map (fun x -> x.GetValue<string>()) |> String.concat "" | v -> v.GetValue<string>()
                let expected =
                    [ for c in executed.["cells"].AsArray() do
                        if c.["cell_type"].GetValue<string>() = "code" then
                            for o in c.["outputs"].AsArray() do
                                match o.["output_type"].GetValue<string>() with
                                | "stream" -> yield plain o.["text"]
                                | "execute_result" | "display_data" -> yield plain o.["data"].["text/plain"]
                                | _ -> () ]
                Expect.isGreaterThan expected.Length 5 "the chapter has results"
                for e in expected do Expect.stringContains (out.Result.Replace("\r\n", "\n")) (e.Trim()) "same output"
            finally Directory.Delete(dir, true)
        }
        test "--to md and --to html reuse the notebook's text and the runner's renderer" {
            let dir = Cli.tempDir ()
            try
                let md, html = Path.Combine(dir, "c.md"), Path.Combine(dir, "c.html")
                let c1, _, e1 = Cli.run [ "export"; chapter; "--to"; "md"; "--out"; md ]
                let c2, _, e2 = Cli.run [ "export"; chapter; "--to"; "html"; "--out"; html ]
                Expect.equal (c1, c2) (0, 0) (e1 + e2)
                Expect.stringContains (File.ReadAllText md) "```csharp" "code fences"
                Expect.stringContains (File.ReadAllText md) "# 02 · Votes to seats" "markdown kept"
                Expect.stringContains (File.ReadAllText html) "<html" "an HTML page"
                let c3, _, e3 = Cli.run [ "export"; chapter; "--to"; "pdf" ]
                Expect.equal c3 2 "unknown format"
                Expect.stringContains e3 "--to" "names the flag"
            finally Directory.Delete(dir, true)
        }
    ]

[<Tests>]
let png =
    testSequenced <| test "Cli.run --png renders each chart of a notebook to a PNG (headless Chromium)" {
        if isNull (Workbench.Notebooks.ChartImages.FindChromium()) then
            if System.Environment.GetEnvironmentVariable "CI" = "true" then failtest "Chromium is missing; .ci/run installs it."
            else skiptest "Chromium is not installed."
        let dir = Cli.tempDir ()
        try
            let bin = Path.Combine(Cli.repoRoot, "artifacts", "bin", "Workbench", "release")
            let nb = Workbench.Notebooks.Notebook.Create()
            nb.AddCell("code", $"#r \"{bin}/Plotly.NET.dll\"\n#r \"{bin}/Plotly.NET.CSharp.dll\"\nPlotly.NET.CSharp.Chart.Column<double, string, string>(values: new[] {{ 1.0, 2.0 }}, Keys: new[] {{ \"a\", \"b\" }})") |> ignore
            nb.AddCell("code", "1 + 1") |> ignore
            nb.AddCell("code", "Plotly.NET.CSharp.Chart.Line<double, double, string>(x: new[] { 1.0, 2.0, 3.0 }, y: new[] { 3.0, 1.0, 2.0 })") |> ignore
            let path = Path.Combine(dir, "charts.ipynb")
            nb.Save path
            let pngs = Path.Combine(dir, "png")
            let code, _, err = Cli.run [ "run"; path; "--out"; Path.Combine(dir, "out"); "--png"; pngs ]
            Expect.equal code 0 err
            let files = Directory.GetFiles(pngs) |> Array.map Path.GetFileName |> Array.sort
            Expect.equal files [| "charts-cell01-1.png"; "charts-cell03-1.png" |] "one PNG per chart, named by code cell"
            for f in files do
                let bytes = File.ReadAllBytes(Path.Combine(pngs, f))
                Expect.sequenceEqual bytes.[0..7] [| 137uy; 80uy; 78uy; 71uy; 13uy; 10uy; 26uy; 10uy |] "PNG signature"
                let be (i: int) = (int bytes.[i] <<< 24) ||| (int bytes.[i + 1] <<< 16) ||| (int bytes.[i + 2] <<< 8) ||| int bytes.[i + 3]
                Expect.equal (be 16, be 20) (1000, 560) "the chart's size"
                Expect.isGreaterThan bytes.Length 4000 "a drawn chart, not a blank page (a blank 1000×560 screenshot is about 2.9 kB)"
        finally Directory.Delete(dir, true)
    }

[<Tests>]
let invalidNotebook =
    test "Cli.export.a file that is not an nbformat 4 notebook is invalid input: exit 2 with the JSON path, nothing written" {
        Cli.withDir (fun dir ->
            let bad = Path.Combine(dir, "bad.ipynb")
            File.WriteAllText(bad, """{ "nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [ { "cell_type": "code", "id": "a", "metadata": {}, "source": [], "execution_count": null, "outputs": [ { "text": "x" } ] } ] }""")
            let out = Path.Combine(dir, "x.html")
            let code, _, err = Cli.run [ "export"; bad; "--to"; "html"; "--out"; out ]
            Expect.equal code 2 err
            Expect.stringContains err "$.cells[0].outputs[0].output_type" "names the JSON path"
            Cli.noTrace err "export of a malformed notebook"
            Expect.isFalse (File.Exists out) "nothing written")
    }
