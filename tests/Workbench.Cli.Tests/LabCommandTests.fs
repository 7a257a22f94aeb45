/// The offline regulation lab page: a precomputed grid; Plotly sliders and a dropdown redraw the charts,
/// tested in headless Chromium by driving the real controls with mouse events.
module Workbench.Cli.Tests.LabCommandTests

open System
open System.Diagnostics
open System.IO
open System.Net
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testSequenced <| testList "Cli.lab" [
        test "workbench lab writes an offline page whose dropdown and sliders change the charts to the grid's values" {
            let dir = Cli.tempDir ()
            try
                let code, out, err = Cli.run [ "lab"; "--out"; dir; "--voters"; "5000"; "--replicates"; "2"; "--regimes"; "us-like,eu-gdpr"
                                               "--audiences"; "none,200"; "--caps"; "none,10000" ]
                Expect.equal code 0 err
                Expect.stringContains out "2 regimes × 2 minimum audiences × 2 caps = 8 scenarios" "summary"
                let page = File.ReadAllText(Path.Combine(dir, "index.html"))
                Expect.isFalse (page.Contains "<script src") "no external script: plotly.js is inlined, not from a CDN"
                Expect.isFalse (page.Contains "<link") "no external stylesheet"
                let grid = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "lab.json")))
                Expect.equal (grid.["cells"].AsObject().Count) 8 "every combination precomputed"
                let first, last = grid.["cells"].["0|0|0"], grid.["cells"].["1|1|1"]
                Expect.notEqual (first.ToJsonString()) (last.ToJsonString()) "the rules change the outcomes"
                let dom, log = Workbench.Notebooks.Tests.Tools.chromiumDump ("file://" + Path.Combine(dir, "index.html") + "#selftest") (Some "1200,2000") 15000
                let m = Text.RegularExpressions.Regex.Match(dom, "<pre id=\"selftest\" hidden=\"\">(.*?)</pre>", Text.RegularExpressions.RegexOptions.Singleline)
                Expect.isTrue m.Success (sprintf "the self-test ran; log:\n%s" log)
                let report = JsonNode.Parse(WebUtility.HtmlDecode m.Groups.[1].Value)
                Expect.isNull report.["error"] (sprintf "no error driving the controls: %O" report.["error"])
                Expect.equal (report.["dropdownButtons"].GetValue<int>()) 2 "the dropdown lists both regimes"
                let st = report.["stateAfter"]
                Expect.equal (st.["r"].GetValue<int>(), st.["a"].GetValue<int>(), st.["c"].GetValue<int>()) (1, 1, 1) "dropdown and both sliders moved to their last values"
                Expect.notEqual (report.["after"].GetValue<string>()) (report.["before"].GetValue<string>()) "the charts changed"
                Expect.equal (report.["expected"].ToJsonString()) (last.ToJsonString()) "the page shows the grid cell of the chosen rules"
                // The redrawn seat chart holds that cell's seat changes.
                let after = JsonNode.Parse(report.["after"].GetValue<string>())
                let arm0 = grid.["arms"].[0].["name"].GetValue<string>()
                let seats = [ for s in grid.["systems"].AsArray() -> last.[arm0].["seats"].[s.GetValue<string>()].GetValue<double>() ]
                Expect.equal [ for y in after.[0].[0].AsArray() -> y.GetValue<double>() ] seats "seat bars of the first arm"
                let errors = log.Split('\n') |> Array.filter (fun l -> l.Contains "CONSOLE" && (l.Contains "ERROR" || l.Contains "Uncaught"))
                Expect.isEmpty errors "no console errors"
            finally Directory.Delete(dir, true)
        }
        test "lab rejects unknown regimes and bad grid values" {
            let code, _, err = Cli.run [ "lab"; "--out"; Cli.tempDir (); "--regimes"; "mars-like" ]
            Expect.equal code 2 "usage error"
            Expect.stringContains err "unknown regime 'mars-like'" "names it"
            let code, _, err = Cli.run [ "lab"; "--out"; Cli.tempDir (); "--caps"; "lots" ]
            Expect.equal code 2 "usage error"
            Expect.stringContains err "--caps" "names the option"
        }
    ]
