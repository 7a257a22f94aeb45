/// `workbench run --check` compares a rerun's outputs with the committed ones (OutputCheck, docs/notebooks.md): text and
/// tables exactly, numbers within a stated relative tolerance, charts by their figure data, static chart pictures ignored.
/// Also: the chapters in notebooks/ are committed executed, so a reader sees results before running anything.
module Workbench.Notebooks.Tests.OutputCheckTests

open System
open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Notebooks

/// A notebook with one markdown cell and one code cell whose outputs are the given JSON array; optional cell and notebook metadata.
let private nbWith (outputs: string) (cellMeta: string) (nbMeta: string) =
    Notebook.Parse(
        $"""{{"cells":[{{"cell_type":"markdown","id":"m","metadata":{{}},"source":["# t"]}},{{"cell_type":"code","execution_count":1,"id":"c1","metadata":{cellMeta},"outputs":{outputs},"source":["x"]}}],"metadata":{nbMeta},"nbformat":4,"nbformat_minor":5}}""")

let private stream (text: string) = $"""[{{"name":"stdout","output_type":"stream","text":["{text}"]}}]"""
let private chart (y: string) (html: string) =
    $"""[{{"data":{{"application/vnd.plotly.v1+json":{{"data":[{{"type":"bar","y":[{y}]}}],"layout":{{}}}},"text/html":["{html}"],"text/plain":["Plotly chart"]}},"execution_count":1,"metadata":{{}},"output_type":"execute_result"}}]"""

let private compare tol a b = OutputCheck.Compare(a, b, tol) |> List.ofSeq

[<Tests>]
let tests =
    testList "Notebooks.OutputCheck" [
        test "identical outputs: no difference" {
            let a = nbWith (stream "seats 5.0 (1.6, 8.4)") "{}" "{}"
            Expect.isEmpty (compare 0.0 a (a.Clone())) "identical"
        }
        test "a moved number is reported with its cell, its position and both values" {
            let a = nbWith (stream "seats 5.0 (1.6, 8.4), spend 75,010") "{}" "{}"
            let b = nbWith (stream "seats 5.0 (1.6, 8.5), spend 75,010") "{}" "{}"
            match compare 0.0 a b with
            | [ d ] ->
                Expect.equal d.CodeCell 1 "first code cell"
                Expect.equal d.CellIndex 1 "second cell of the notebook"
                Expect.equal d.CellId "c1" "the cell id"
                Expect.stringContains d.Where "number 3" "which number"
                Expect.stringContains d.Committed "»8.4«" "committed value marked"
                Expect.stringContains d.Now "»8.5«" "new value marked"
            | ds -> failtestf "expected one difference, got %A" ds
        }
        test "numbers within the caller's tolerance pass, beyond it fail" {
            let a = nbWith (stream "share 0.28340") "{}" "{}"
            let b = nbWith (stream "share 0.28341") "{}" "{}"
            Expect.isEmpty (compare 1e-4 a b) "within 1e-4 relative"
            Expect.hasLength (compare 1e-6 a b) 1 "beyond 1e-6 relative"
        }
        test "a tolerance stated by the cell or the notebook applies; the larger of it and the caller's wins" {
            let a = nbWith (stream "share 0.2834") """{"workbench":{"tolerance":0.01}}""" "{}"
            let b = nbWith (stream "share 0.2850") "{}" "{}"
            Expect.isEmpty (compare 0.0 a b) "the cell's 1% covers 0.56%"
            let a2 = nbWith (stream "share 0.2834") "{}" """{"workbench":{"tolerance":0.01}}"""
            Expect.isEmpty (compare 0.0 a2 b) "the notebook's 1% covers it"
            let a3 = nbWith (stream "share 0.2834") """{"workbench":{"tolerance":0.001}}""" """{"workbench":{"tolerance":0.01}}"""
            Expect.hasLength (compare 0.0 a3 b) 1 "the cell's own 0.1% overrides the notebook's 1%"
            Expect.isEmpty (compare 0.01 a3 b) "the caller's 1% floor applies"
        }
        test "changed words are a difference whatever the tolerance" {
            let a = nbWith (stream "Red wins 5 seats") "{}" "{}"
            let b = nbWith (stream "Blue wins 5 seats") "{}" "{}"
            match compare 0.5 a b with
            | [ d ] -> Expect.stringContains d.Where "text at character 1" "where the text starts to differ"
            | ds -> failtestf "expected one difference, got %A" ds
        }
        test "a different number of outputs, or of numbers, is a difference" {
            let a = nbWith (stream "a 1") "{}" "{}"
            let b = nbWith """[]""" "{}" "{}"
            Expect.stringContains (compare 0.0 a b).Head.Where "number of outputs" "output count"
            let c = nbWith (stream "a 1 2") "{}" "{}"
            Expect.hasLength (compare 1.0 a c) 1 "an extra number"
        }
        test "charts are compared by their figure data, within tolerance" {
            let a = nbWith (chart "1.0, 2.0" "<div id=\\\"plotly-ab\\\" class=\\\"plotly-chart\\\"></div>") "{}" "{}"
            let b = nbWith (chart "1.0, 2.5" "<div id=\\\"plotly-cd\\\" class=\\\"plotly-chart\\\"></div>") "{}" "{}"
            match compare 0.0 a b with
            | [ d ] ->
                Expect.stringContains d.Where "$.data[0].y[1]" "the figure path"
                Expect.equal d.Committed "2" "old value"
                Expect.equal d.Now "2.5" "new value"
            | ds -> failtestf "expected one difference, got %A" ds
            Expect.isEmpty (compare 0.25 a b) "within 25%"
        }
        test "a chart's static picture is not compared (it is drawn from the data), nor an added image/png" {
            let plain = "<div id=\\\"plotly-ab\\\" class=\\\"plotly-chart\\\"></div><script>function draw(){Plotly.newPlot()}</script>"
            let withPicture =
                "<div id=\\\"plotly-ab\\\" class=\\\"plotly-chart\\\"><img id=\\\"plotly-ab-static\\\" class=\\\"plotly-static\\\" src=\\\"data:image/png;base64,AAAA\\\"/></div>"
                + "<script>function draw(){var s=document.getElementById('plotly-ab-static');if(s)s.remove();Plotly.newPlot()}</script>"
            let a = nbWith (chart "1.0" withPicture) "{}" "{}"
            let b = nbWith (chart "1.0" plain) "{}" "{}"
            Expect.isEmpty (compare 0.0 a b) "only the picture differs"
            let unescape (s: string) = s.Replace("\\\"", "\"")
            Expect.equal (ChartImages.RemoveStaticPictures(unescape withPicture)) (unescape plain) "the picture and its removal are taken out exactly"
        }
        test "an invalid stated tolerance is an error naming the cell" {
            let a = nbWith (stream "x") """{"workbench":{"tolerance":-1}}""" "{}"
            let msg = try OutputCheck.ValidateTolerances a; "" with :? FormatException as ex -> ex.Message
            Expect.stringContains msg "cell 2" "names the cell"
            Expect.stringContains msg "workbench.tolerance" "names the field"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> OutputCheck.Compare(a, a, -0.1) |> ignore) "negative caller tolerance"
        }
        test "volatile metadata is stripped: execution timings and transient fields" {
            let a = nbWith """[{"data":{"text/plain":["1"]},"metadata":{},"output_type":"display_data","transient":{"display_id":"x"}}]""" """{"execution":{"iopub.execute_input":"2026-12-05T00:00:00Z"},"ExecuteTime":{"start_time":"t"},"tags":["keep"]}""" "{}"
            OutputCheck.StripVolatile a
            let cell = a.Cells.[1].Json
            Expect.isNull (cell.["metadata"].["execution"]) "execution removed"
            Expect.isNull (cell.["metadata"].["ExecuteTime"]) "ExecuteTime removed"
            Expect.equal (cell.["metadata"].["tags"].[0].GetValue<string>()) "keep" "other metadata kept"
            Expect.isNull (cell.["outputs"].[0].["transient"]) "transient removed"
        }
    ]

/// The chapters are committed executed (`workbench run --update`): every code cell has run, in order, without error,
/// and carries no volatile metadata; every chart has its static picture for viewers that run no scripts.
[<Tests>]
let committed =
    testList "Notebooks.Committed chapters" [
        for f in Directory.GetFiles(Path.Combine(Repo.root, "notebooks"), "*.ipynb") |> Array.sort do
            test (Path.GetFileName f) {
                let nb = Notebook.Load f
                let code = nb.Cells |> Seq.filter (fun c -> c.Type = "code" && c.Language = "csharp") |> List.ofSeq
                Expect.isNonEmpty code "has code cells"
                code |> List.iteri (fun i c ->
                    Expect.equal (c.Json.["execution_count"] |> Option.ofObj |> Option.map (fun n -> n.GetValue<int>())) (Some(i + 1)) $"code cell {i + 1} has run, in order"
                    let outs = c.Json.["outputs"].AsArray()
                    for o in outs do
                        Expect.notEqual (o.["output_type"].GetValue<string>()) "error" $"code cell {i + 1} ran without error"
                        match o.["data"] with
                        | :? JsonObject as d when d.ContainsKey "application/vnd.plotly.v1+json" ->
                            let html = d.["text/html"].AsArray() |> Seq.map (fun x -> x.GetValue<string>()) |> String.concat ""
                            Expect.stringContains html "class=\"plotly-static\"" $"code cell {i + 1}: the chart has a static picture"
                        | _ -> ()
                    Expect.isNull (c.Json.["metadata"].["execution"]) "no execution timings")
                let outputs = code |> List.sumBy (fun c -> c.Json.["outputs"].AsArray().Count)
                Expect.isGreaterThan outputs 0 "the chapter shows results"
            }
    ]
