/// Reviewers rerun a recorded run with one command (workbench verify); trainers run workshop cards offline.
module Workbench.Cli.Tests.VerifyAndWorkshopTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Experiments
open Workbench.Cli.Tests

let private cards = Path.Combine(Cli.repoRoot, "notebooks", "workshop", "cards")

[<Tests>]
let tests =
    testList "Cli.verify and workshop" [
        test "verify reruns a simulate folder from its manifest: every figure matches; a changed figure is reported and exits 1" {
            let dir = Cli.tempDir ()
            try
                let code, _, err = Cli.run [ "simulate"; "classroom"; "--replicates"; "2"; "--voters"; "5000"; "--seed"; "9"; "--out"; dir ]
                Expect.equal code 0 err
                let manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))
                for k in [ "kind"; "scenarioJson"; "overrides"; "sdk"; "library"; "commit"; "scenarioSha256"; "replicateSeeds" ] do
                    Expect.isNotNull manifest.[k] (sprintf "the manifest records %s" k)
                Expect.equal (manifest.["overrides"].["voters"].GetValue<int>()) 5000 "the --voters override"
                let code, out, err = Cli.run [ "verify"; dir; "--threads"; "1" ]
                Expect.equal code 0 (out + err)
                Expect.stringContains out "verified: all" "all figures match"
                // Change one seat count on disk: verify must name it.
                let csv = Path.Combine(dir, "results.csv")
                let lines = File.ReadAllLines csv
                let cells = lines.[3].Split ','
                cells.[8] <- string (int cells.[8] + 1)
                lines.[3] <- System.String.Join(",", cells)
                File.WriteAllLines(csv, lines)
                let code, out, _ = Cli.run [ "verify"; dir ]
                Expect.equal code 1 "a difference exits 1"
                Expect.stringContains out "DIFFERENT: 1 of" "one figure differs"
                Expect.stringContains out "row 3" "names the row"
                Expect.stringContains out "seats: recorded" "names the column"
            finally Directory.Delete(dir, true)
        }

        test "verify reruns a merged sweep from its manifest" {
            let dir = Cli.tempDir ()
            try
                let small = Path.Combine(Cli.repoRoot, "tests", "sweeps", "small.json")
                Cli.run [ "sweep"; "plan"; small; "--shards"; "2"; "--out"; dir ] |> fun (c, _, e) -> Expect.equal c 0 e
                Cli.run [ "sweep"; "run"; dir; "--all" ] |> fun (c, _, e) -> Expect.equal c 0 e
                Cli.run [ "sweep"; "merge"; dir ] |> fun (c, _, e) -> Expect.equal c 0 e
                let report = Verify.Run dir
                Expect.equal report.Kind "sweep" "kind"
                Expect.isTrue report.Identical (sprintf "%A" report.Differences)
                Expect.isGreaterThan report.FiguresCompared 1000L "compared every figure"
            finally Directory.Delete(dir, true)
        }

        test "the shipped workshop cards load, add up, use the classroom preset and discuss all three recommendations" {
            for name in [ "workshop-60.json"; "workshop-120.json" ] do
                let card = WorkshopCard.Load(Path.Combine(cards, name))
                Expect.equal card.Preset "classroom" name
                Expect.equal (card.Steps |> Seq.sumBy (fun s -> s.Minutes)) card.Minutes "timings add up"
                Expect.equal (card.Steps |> Seq.collect (fun s -> s.Questions) |> Seq.map (fun q -> q.Recommendation) |> Set.ofSeq)
                             (set [ "transparency"; "data-limits"; "oversight-cooperation" ]) "every recommendation is discussed"
                for s in card.Steps do
                    if not (isNull (box s.Scenario)) then Expect.equal s.Scenario.Preset "classroom" s.Title
            let sixty = WorkshopCard.Load(Path.Combine(cards, "workshop-60.json"))
            Expect.equal sixty.Minutes 60 "60 minutes"
            let human = sixty.Steps.[2].Scenario
            Expect.equal human.Regime.Name "eu-gdpr" "step 3 sets the regime"
            Expect.equal human.Regulation.MinimumAudience (System.Nullable 1000) "and the minimum audience (people on the platform, as strict as eu-gdpr's own)"
        }

        test "a broken card is rejected with paths; workshop --step runs a step offline" {
            let dir = Cli.tempDir ()
            try
                File.Copy(Path.Combine(cards, "questions.json"), Path.Combine(dir, "questions.json"))
                let card = Path.Combine(dir, "bad.json")
                File.WriteAllText(card, """{ "title": "t", "minutes": 30, "preset": "classroom", "steps": [
                    { "minutes": 20, "title": "a", "activity": "b", "run": { "scenario": "fptp-vs-pr" }, "questions": ["no-such-question"] } ] }""")
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 "invalid card"
                for s in [ "$.steps[0].questions"; "$.steps[0].run.scenario"; "the steps take 20 minutes"; "no step discusses the recommendation" ] do
                    Expect.stringContains err s "reported"
                let code, out, err = Cli.run [ "workshop"; Path.Combine(cards, "workshop-120.json"); "--step"; "6" ]
                Expect.equal code 0 err
                Expect.stringContains out "violations:" "the spending cap with money abroad produces violations"
                Expect.stringContains out "Δseats" "effects"
                // Every figure the cards tell trainers to look at is printed, per campaign.
                for figure in [ "cost per extra vote"; "precision"; "spend in the closest quarter of seats"; "voters reached"; "information Gini"; "detected" ] do
                    Expect.stringContains out figure figure
            finally Directory.Delete(dir, true)
        }
    ]

[<Tests>]
let notebooks =
    test "Cli.verify: workbench run writes a manifest; verify reruns the notebooks and names a changed output" {
        let dir = Cli.tempDir ()
        try
            let nb = Workbench.Notebooks.Notebook.Create()
            nb.AddCell("code", "int n = 6;", [ "parameters" ]) |> ignore
            nb.AddCell("code", "Console.WriteLine(n * 7);") |> ignore
            let src = Path.Combine(dir, "answer.ipynb")
            nb.Save src
            let out = Path.Combine(dir, "out")
            let code, _, err = Cli.run [ "run"; src; "--out"; out; "--parameters"; "n=7" ]
            Expect.equal code 0 err
            let manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(out, "manifest.json")))
            Expect.equal (manifest.["kind"].GetValue<string>()) "notebooks" "kind"
            let entry = manifest.["notebooks"].[0]
            Expect.equal (entry.["source"].GetValue<string>()) "../answer.ipynb" "source relative to the folder"
            Expect.equal (entry.["parameters"].["n"].GetValue<string>()) "7" "parameters recorded"
            let code, text, err = Cli.run [ "verify"; out ]
            Expect.equal code 0 (text + err)
            Expect.stringContains text "verified: the outputs of all 3 code cells match" "verified (the parameters cell, the injected parameters, the answer)"
            let executed = Path.Combine(out, "answer.ipynb")
            File.WriteAllText(executed, File.ReadAllText(executed).Replace("49", "48"))
            let code, text, _ = Cli.run [ "verify"; out ]
            Expect.equal code 1 "a changed output exits 1"
            Expect.stringContains text "answer.ipynb row 3 (code cell 3) outputs" "names the cell"
        finally Directory.Delete(dir, true)
    }
