/// `workbench run --update` re-executes notebooks in place (static chart pictures, volatile metadata stripped) and
/// `workbench run --check` reruns them and compares each cell's outputs with the committed ones (docs/notebooks.md).
/// Driven as real processes on small notebooks that load Plotly.NET from the build, so a chart is among the outputs.
module Workbench.Cli.Tests.RunCheckTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

let private plotly = Path.Combine(Cli.repoRoot, "artifacts", "bin", "Workbench", "release", "Plotly.NET.dll")
let private plotlyCs = Path.Combine(Cli.repoRoot, "artifacts", "bin", "Workbench", "release", "Plotly.NET.CSharp.dll")

/// A notebook printing two numbers and drawing a bar chart of them.
let private notebook (dir: string) =
    let nb = Workbench.Notebooks.Notebook.Create()
    nb.AddCell("code", $"#r \"{plotly}\"\n#r \"{plotlyCs}\"\nusing Plotly.NET.CSharp;") |> ignore
    nb.AddCell("code", "double a = 0.1 + 0.2, b = 1.0 / 3;\nConsole.WriteLine($\"a = {a:F4}, b = {b:F4}\");") |> ignore
    nb.AddCell("code", "Chart.Column<double, string, string>(values: new[] { a, b }, Keys: new[] { \"a\", \"b\" })") |> ignore
    let path = Path.Combine(dir, "n.ipynb")
    nb.Save path
    path

let private run args = Cli.runProcess ("run" :: args) [] 180_000

/// Edits the committed notebook's JSON.
let private edit (path: string) (f: JsonNode -> unit) =
    let root = JsonNode.Parse(File.ReadAllText path)
    f root
    File.WriteAllText(path, (Workbench.Notebooks.Notebook.Parse(root.ToJsonString())).ToJson())

let private codeCell (root: JsonNode) (k: int) =
    root.["cells"].AsArray() |> Seq.filter (fun c -> c.["cell_type"].GetValue<string>() = "code") |> Seq.item (k - 1)

[<Tests>]
let tests =
    testSequenced <| testList "Cli.run check and update" [
        test "--update writes outputs in place (byte-stable on a rerun); --check then passes, and fails naming the cell when a number or the chart data moved" {
            let dir = Cli.tempDir ()
            try
                let nb = notebook dir
                let out = Path.Combine(dir, "out")
                let code, stdout, stderr = run [ nb; "--update"; "--out"; out ]
                Expect.equal code 0 (sprintf "update succeeds\n%s" stderr)
                Expect.stringContains stdout "1 notebooks updated in place" "summary"
                let first = File.ReadAllText nb
                Expect.stringContains first "a = 0.3000, b = 0.3333" "the outputs are in the notebook itself"
                if isNull (Workbench.Notebooks.ChartImages.FindChromium()) then
                    Expect.stringContains stderr "Chromium not found" "without Chromium it says the charts get no picture"
                else
                    Expect.stringContains first "class=\\\"plotly-static\\\"" "the chart has its static picture"
                let code2, _, stderr2 = run [ nb; "--update"; "--out"; out ]
                Expect.equal code2 0 stderr2
                Expect.equal (File.ReadAllText nb) first "a second update writes the same bytes"

                let code3, stdout3, stderr3 = run [ nb; "--check"; "--out"; out ]
                Expect.equal code3 0 (sprintf "the committed outputs match\n%s" stderr3)
                Expect.stringContains stdout3 "1 of 1 notebooks match their committed outputs" "summary"

                // A published number that no longer matches: exit 1, the cell and both values printed.
                edit nb (fun root ->
                    let o = (codeCell root 2).["outputs"].[0]
                    o.["text"] <- JsonArray(JsonValue.Create "a = 0.3000, b = 0.3334\n"))
                let code4, stdout4, stderr4 = run [ nb; "--check"; "--out"; out ]
                Expect.equal code4 1 "a moved number fails the check"
                Expect.stringContains stderr4 "code cell 2" "names the cell"
                Expect.stringContains stderr4 "»0.3334«" "the committed value"
                Expect.stringContains stderr4 "»0.3333«" "the new value"
                Expect.stringContains stdout4 "1 of 1 notebooks differ" "summary"

                // The same difference within a tolerance the cell states passes.
                edit nb (fun root -> (codeCell root 2).["metadata"].["workbench"] <- JsonObject(dict [ "tolerance", JsonValue.Create 0.001 :> JsonNode ]))
                let code5, _, stderr5 = run [ nb; "--check"; "--out"; out ]
                Expect.equal code5 0 (sprintf "within the cell's 0.1%% tolerance\n%s" stderr5)

                // A chart whose data moved fails by its data path, whatever its picture.
                edit nb (fun root ->
                    let fig = (codeCell root 3).["outputs"].[0].["data"].["application/vnd.plotly.v1+json"]
                    fig.["data"].[0].["y"].[1] <- JsonValue.Create 0.5)
                let code6, _, stderr6 = run [ nb; "--check"; "--out"; out ]
                Expect.equal code6 1 "moved chart data fails"
                Expect.stringContains stderr6 "chart data $.data[0].y[1]" "names the point"
                let code7, _, stderr7 = run [ nb; "--check"; "--tolerance"; "0.6"; "--out"; out ]
                Expect.equal code7 0 (sprintf "--tolerance 0.6 covers 0.5 vs 0.333\n%s" stderr7)
            finally Directory.Delete(dir, true)
        }
        test "--check on a notebook committed without outputs fails and says how to fix it" {
            let dir = Cli.tempDir ()
            try
                let nb = notebook dir
                let code, _, stderr = run [ nb; "--check"; "--out"; Path.Combine(dir, "out") ]
                Expect.equal code 1 "nothing to compare with is a failure"
                Expect.stringContains stderr "no outputs committed" "says why"
                Expect.stringContains stderr "workbench run --update" "says how"
            finally Directory.Delete(dir, true)
        }
        test "invalid combinations and tolerances exit 2 with a one-line message, before anything runs" {
            let dir = Cli.tempDir ()
            try
                let nb = notebook dir
                let out = Path.Combine(dir, "out")
                for args, expected in
                    [ [ "--check"; "--update" ], "--check and --update exclude each other"
                      [ "--update"; "--in-place" ], "--update already writes in place"
                      [ "--check"; "--parameters"; "a=1" ], "--parameters cannot be combined"
                      [ "--check"; "--tolerance"; "-0.1" ], "--tolerance must be a finite relative tolerance"
                      [ "--tolerance"; "0.1" ], "--tolerance applies to --check only" ] do
                    let code, _, stderr = Cli.run ("run" :: nb :: "--out" :: out :: args)
                    Expect.equal code 2 (sprintf "%A exits 2" args)
                    Expect.stringContains stderr expected (sprintf "%A says why" args)
                edit nb (fun root -> (codeCell root 2).["metadata"].["workbench"] <- JsonObject(dict [ "tolerance", JsonValue.Create "big" :> JsonNode ]))
                let code, _, stderr = Cli.run [ "run"; nb; "--check"; "--out"; out ]
                Expect.equal code 2 "an invalid stated tolerance is invalid input"
                Expect.stringContains stderr "workbench.tolerance must be a number" "names the field"
                Expect.isFalse (File.Exists(Path.Combine(out, "n.ipynb"))) "nothing ran"
            finally Directory.Delete(dir, true)
        }
    ]
