/// `workbench reference` (docs/reproducibility.md): reference/ holds the results, manifest and regenerating command of every
/// README picture and headline chapter table, taken from the committed chapters; the check fails on any stale file.
module Workbench.Cli.Tests.ReferenceCommandTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

/// A copy of the parts of the repository the reference check reads: reference/, docs/images and the chapters it names.
let private copyRepo () =
    let dir = Cli.tempDir ()
    let rec copy (src: string) (dst: string) =
        Directory.CreateDirectory dst |> ignore
        for f in Directory.GetFiles src do File.Copy(f, Path.Combine(dst, Path.GetFileName f))
        for d in Directory.GetDirectories src do copy d (Path.Combine(dst, Path.GetFileName d))
    for sub in [ "reference"; Path.Combine("docs", "images") ] do copy (Path.Combine(Cli.repoRoot, sub)) (Path.Combine(dir, sub))
    Directory.CreateDirectory(Path.Combine(dir, "notebooks")) |> ignore
    for f in Directory.GetFiles(Path.Combine(Cli.repoRoot, "notebooks"), "*.ipynb") do File.Copy(f, Path.Combine(dir, "notebooks", Path.GetFileName f))
    dir

[<Tests>]
let tests =
    testList "Cli.reference" [
        test "reference/ matches the committed chapters, and every README picture has its reference entry" {
            let code, out, err = Cli.run [ "reference"; "--root"; Cli.repoRoot ]
            Expect.equal code 0 (sprintf "reference/ is up to date (run `workbench reference --update` after re-executing chapters)\n%s%s" out err)
            let list = JsonNode.Parse(File.ReadAllText(Path.Combine(Cli.repoRoot, "reference", "figures.json"))).["figures"].AsArray()
            let images = list |> Seq.choose (fun e -> match e.["image"] with null -> None | i -> Some(i.GetValue<string>())) |> Set.ofSeq
            let readme = File.ReadAllText(Path.Combine(Cli.repoRoot, "README.md"))
            let pictures = System.Text.RegularExpressions.Regex.Matches(readme, @"\]\((docs/images/[^)]+\.png)\)") |> Seq.map (fun m -> m.Groups.[1].Value) |> Set.ofSeq
            // Pictures made by other commands (the site's start page, `workbench site --screenshot`) are listed with their own
            // command in docs and the README; every other one is a reference entry.
            let otherCommands = Set.ofList [ "docs/images/site-start.png" ]
            Expect.isNonEmpty pictures "the README shows pictures"
            Expect.isEmpty (Set.difference (Set.difference pictures images) otherCommands) "every README picture has a reference entry"
            let onDisk = Directory.GetFiles(Path.Combine(Cli.repoRoot, "docs", "images"), "*.png") |> Seq.map (fun f -> "docs/images/" + Path.GetFileName f) |> Set.ofSeq
            Expect.isEmpty (Set.difference (Set.difference onDisk images) otherCommands) "no picture in docs/images without a reference entry"
            for e in list do
                let m = JsonNode.Parse(File.ReadAllText(Path.Combine(Cli.repoRoot, "reference", e.["name"].GetValue<string>(), "manifest.json")))
                Expect.isGreaterThan (m.["regenerate"].AsArray().Count) 0 "the manifest says how to regenerate it"
                Expect.isNotNull m.["library"] "records the library version"
        }
        test "a chart whose committed data moved, a table that changed and a missing picture are each reported stale (exit 1)" {
            let dir = copyRepo ()
            try
                let nbPath = Path.Combine(dir, "notebooks", "11-reproducing-published-findings.ipynb")
                let root = JsonNode.Parse(File.ReadAllText nbPath)
                for c in root.["cells"].AsArray() do
                    match c.["id"].GetValue<string>() with
                    | "cell-008" ->
                        let fig = c.["outputs"].[0].["data"].["application/vnd.plotly.v1+json"]
                        fig.["data"].[0].["x"].[0] <- JsonValue.Create 123.0
                    | "cell-004" ->
                        let html = c.["outputs"].[0].["data"].["text/html"]
                        let text = Workbench.Notebooks.Notebook.JoinSource html
                        c.["outputs"].[0].["data"].["text/html"] <- JsonArray(JsonValue.Create(text.Replace("<td>", "<td>9")))
                    | _ -> ()
                File.WriteAllText(nbPath, root.ToJsonString())
                File.Delete(Path.Combine(dir, "docs", "images", "regulation-seats.png"))
                let code, out, err = Cli.run [ "reference"; "--root"; dir ]
                Expect.equal code 1 "stale reference fails"
                Expect.stringContains err "replications: reference/replications/figure.json differs" "the moved chart"
                Expect.stringContains err "calibration-targets: reference/calibration-targets/table.html differs" "the changed table"
                Expect.stringContains err "regulation-seats: the picture docs/images/regulation-seats.png is missing" "the missing picture"
                Expect.stringContains out "run `workbench reference --update`" "says how to fix it"
            finally Directory.Delete(dir, true)
        }
        test "invalid reference lists exit 2 naming the entry and field" {
            let dir = copyRepo ()
            try
                let write (text: string) = File.WriteAllText(Path.Combine(dir, "reference", "figures.json"), text)
                for text, expected in
                    [ """{ "figures": [ { "name": "x", "caption": "c", "notebook": "notebooks/00-start-here.ipynb", "cell": "no-such-cell", "output": 1 } ] }""", "has no cell with id 'no-such-cell'"
                      """{ "figures": [ { "name": "x", "caption": "c", "notebook": "notebooks/00-start-here.ipynb", "cell": "cell-009", "output": 0 } ] }""", "$.figures[0].output must be a whole number"
                      """{ "figures": [ { "name": "x", "caption": "c", "notebook": "notebooks/00-start-here.ipynb", "cell": "cell-009", "output": 1, "colour": 1 } ] }""", "$.figures[0].colour is not a known field"
                      """{ "figures": [ { "name": "X Y", "caption": "c", "notebook": "notebooks/00-start-here.ipynb", "cell": "cell-009", "output": 1 } ] }""", "$.figures[0].name must be lower-case"
                      """{ "figures": [ { "name": "x", "caption": "c", "notebook": "notebooks/00-start-here.ipynb", "cell": "cell-009", "output": 1, "image": "x.png" } ] }""", "$.figures[0].image must be a .png under docs/images/"
                      """{ "figures": 3 }""", "$.figures must be an array"
                      """{ "figures": [], "figures": [] }""", "appears twice"
                      """{ "figures": [ """, "not valid JSON" ] do
                    write text
                    let code, _, err = Cli.run [ "reference"; "--root"; dir ]
                    Expect.equal code 2 expected
                    Expect.stringContains err expected expected
            finally Directory.Delete(dir, true)
        }
    ]
