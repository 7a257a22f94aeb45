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

        test "the shipped workshop cards load, add up, use the classroom preset and discuss every recommendation of the roundtables" {
            let questions = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "questions.json")))
            let recommendations = questions.["recommendations"].AsObject() |> Seq.map (fun kv -> kv.Key) |> Set.ofSeq
            Expect.equal recommendations (set [ "transparency"; "data-limits"; "oversight-cooperation"; "international-cooperation"; "research"; "guidance-tools" ])
                "the roundtables' recommendations: transparency, the human scale, inter-agency and international cooperation, research, guidance and tools"
            let mutable discussed = Set.empty
            for name in [ "workshop-60.json"; "workshop-120.json" ] do
                let card = WorkshopCard.Load(Path.Combine(cards, name))
                Expect.equal card.Preset "classroom" name
                Expect.equal (card.Steps |> Seq.sumBy (fun s -> s.Minutes)) card.Minutes "timings add up"
                let here = card.Steps |> Seq.collect (fun s -> s.Questions) |> Seq.map (fun q -> q.Recommendation) |> Set.ofSeq
                Expect.equal here recommendations (sprintf "%s discusses every recommendation" name)
                discussed <- Set.union discussed here
                for s in card.Steps do
                    if not (isNull (box s.Scenario)) then
                        Expect.equal s.Scenario.Preset "classroom" s.Title
                        Expect.isNonEmpty s.Figures (sprintf "%s: a step that runs declares its figures" s.Title)
            Expect.equal discussed recommendations "every recommendation is discussed by at least one step of the shipped cards"
            let sixty = WorkshopCard.Load(Path.Combine(cards, "workshop-60.json"))
            Expect.equal sixty.Minutes 60 "60 minutes"
            let human = sixty.Steps.[2].Scenario
            Expect.equal human.Regime.Name "eu-gdpr" "step 3 sets the regime"
            Expect.equal human.Regulation.MinimumAudience (System.Nullable 1000) "and the minimum audience (people on the platform, as strict as eu-gdpr's own)"
        }

        test "no two steps of a shipped card run the same scenario, set and replicates; a card that does is refused with the step's path" {
            for name in [ "workshop-60.json"; "workshop-120.json" ] do
                let steps = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, name))).["steps"].AsArray()
                let runs = steps |> Seq.choose (fun s -> match s.["run"] with null -> None | r -> Some r) |> Array.ofSeq
                Expect.isGreaterThan runs.Length 1 name
                for i in 0 .. runs.Length - 1 do
                    for j in 0 .. i - 1 do
                        Expect.isFalse (JsonNode.DeepEquals(runs.[i], runs.[j])) (sprintf "%s: two steps run %s" name (runs.[i].ToJsonString()))
            let dir = Cli.tempDir ()
            try
                File.Copy(Path.Combine(cards, "questions.json"), Path.Combine(dir, "questions.json"))
                let card = Path.Combine(dir, "twice.json")
                let card60 = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "workshop-60.json"))).AsObject()
                card60.Remove "$schema" |> ignore
                card60.["steps"].[0].["run"] <- card60.["steps"].[1].["run"].DeepClone()
                File.WriteAllText(card, card60.ToJsonString())
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 err
                Expect.stringContains err "$.steps[1].run" "the later step's path"
                Expect.stringContains err "as step 1" "names the earlier step"
                // A "set" that changes nothing (classroom's own regime) is the same run, however it is spelled.
                card60.["steps"].[0].["run"] <- JsonNode.Parse """{ "scenario": "classroom-targeting", "replicates": 4, "set": { "regime": "uk-like" } }"""
                File.WriteAllText(card, card60.ToJsonString())
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 err
                Expect.stringContains err "$.steps[1].run: runs the same scenario" "a no-op set is no new run"
            finally Directory.Delete(dir, true)
        }

        test "a discussion question whose figure no earlier step measures is refused with the question's path" {
            let dir = Cli.tempDir ()
            try
                File.Copy(Path.Combine(cards, "questions.json"), Path.Combine(dir, "questions.json"))
                let card = Path.Combine(dir, "unmeasured.json")
                let card60 = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "workshop-60.json"))).AsObject()
                card60.Remove "$schema" |> ignore
                // Without the archive step, nothing measures spend or violations before the discussion.
                let steps = card60.["steps"].AsArray()
                let archive = steps.[3]
                steps.RemoveAt 3
                steps.[3].["minutes"] <- JsonValue.Create(steps.[3].["minutes"].GetValue<int>() + archive.["minutes"].GetValue<int>())
                File.WriteAllText(card, card60.ToJsonString())
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 err
                Expect.stringContains err "$.steps[3].questions[1]: the question 'who-targets' discusses 'spend', which no earlier step measures" "the figure no step measures"
                Expect.stringContains err "$.steps[3].questions[2]: the question 'who-oversees' discusses 'violations', which no earlier step measures" "the question's path and figure"
                Expect.stringContains err "$.steps[3].questions[3]: the question 'cross-border' discusses 'spend', which no earlier step measures" "each unmeasured figure"
            finally Directory.Delete(dir, true)
        }

        test "a question compared with a step that runs other replicates, or no scenario, is refused with its path" {
            let dir = Cli.tempDir ()
            try
                File.Copy(Path.Combine(cards, "questions.json"), Path.Combine(dir, "questions.json"))
                let card = Path.Combine(dir, "unpaired.json")
                let card60 = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "workshop-60.json"))).AsObject()
                card60.Remove "$schema" |> ignore
                card60.["steps"].[1].["run"].["replicates"] <- JsonValue.Create 3
                File.WriteAllText(card, card60.ToJsonString())
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 err
                Expect.stringContains err "$.steps[2].questions[0]: the question 'human-scale' compares with step 2, which runs other seeds or replicates (3 replicates" "unpaired replicates"
                let qs = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "questions.json"))).AsObject()
                qs.["questions"].[3].["against"] <- JsonValue.Create 5
                File.WriteAllText(Path.Combine(dir, "questions.json"), qs.ToJsonString())
                let code, _, err = Cli.run [ "workshop"; Path.Combine(cards, "workshop-60.json") |> fun p -> (File.Copy(p, Path.Combine(dir, "c.json")); Path.Combine(dir, "c.json")) ]
                Expect.equal code 2 err
                Expect.stringContains err "compares with step 5, which is not an earlier step that runs a scenario" "a later or discussion step"
            finally Directory.Delete(dir, true)
        }

        test "a discussion step's answers quote the step that first asked the question, not the latest step that measures the figure" {
            let card = WorkshopCard.Load(Path.Combine(cards, "workshop-120.json"))
            let discussion = card.Steps |> Seq.findIndex (fun s -> isNull (box s.Scenario) && s.Questions |> Seq.exists (fun q -> q.Id = "who-targets"))
            let first = card.Steps |> Seq.findIndex (fun s -> s.Questions |> Seq.exists (fun q -> q.Id = "who-targets"))
            Expect.isLessThan first discussion "asked in a run step first"
            let latest = seq { 0 .. discussion - 1 } |> Seq.filter (fun k -> Seq.contains "spend" card.Steps.[k].Figures) |> Seq.max
            Expect.notEqual latest first "a later step measures spend too"
            Expect.equal (card.AnswerStep(discussion, "who-targets", "spend")) first "the step that asked it"
            Expect.equal (card.AnswerStep(first, "who-targets", "spend")) first "a run step answers itself"
        }

        test "workshop --step prints every figure the step and its questions declare, for every step of the shipped cards" {
            for name in [ "workshop-60.json"; "workshop-120.json" ] do
                let path = Path.Combine(cards, name)
                let card = WorkshopCard.Load path
                for i, s in Seq.indexed card.Steps do
                    if not (isNull (box s.Scenario)) then
                        let code, out, err = Cli.run [ "workshop"; path; "--step"; string (i + 1) ]
                        Expect.equal code 0 err
                        let declared = Set.union (Set.ofSeq s.Figures) (s.Questions |> Seq.collect (fun q -> q.Figures) |> Set.ofSeq)
                        for f in declared do
                            Expect.stringContains out (sprintf "%s [%s;" (WorkshopFigures.Title f) f) (sprintf "%s step %d prints %s" name (i + 1) f)
                        for f in WorkshopFigures.Names |> Seq.filter (fun f -> not (declared.Contains f)) do
                            Expect.isFalse (out.Contains(sprintf "[%s;" f)) (sprintf "%s step %d prints only its figures (not %s)" name (i + 1) f)
        }

        test "the manifest of a workbench run folder is read through the command line's contract, each refusal worded as before" {
            Expect.isTrue (Workbench.Json.JsonInput.IsSourceGenerated Workbench.Cli.Commands.NotebooksJson.Contract.NotebooksManifestContract) "a generated contract"
            let entry = """{"executed":"01.ipynb","source":"../none/01.ipynb","parameters":{"voters":"1000"},"succeeded":true,"sdk":"10","colour":1}"""
            let dir = Cli.tempDir ()
            try
                let verify (notebooks: string) =
                    File.WriteAllText(Path.Combine(dir, "manifest.json"), "{\"kind\":\"notebooks\",\"notebooks\":" + notebooks + "}")
                    let code, out, err = Cli.run [ "verify"; dir ]
                    code, (out + err).Replace(Path.Combine(dir, "manifest.json"), "M").Trim()
                Expect.equal (verify ("[" + entry + "]")) (1, "DIFFERENT: 1 of 0 figures differ from the rerun:\n  01.ipynb: source: recorded ../none/01.ipynb, rerun (missing)") "unused fields are skipped, as before"
                for notebooks, message in
                    [ "5", "$.notebooks must be an array of executed notebooks."
                      "null", "$.notebooks must be an array of executed notebooks."
                      "[5]", "$.notebooks[0] must be an object."
                      "[" + entry.Replace("\"01.ipynb\"", "\"\"") + "]", "$.notebooks[0].executed must be a non-empty string."
                      "[" + entry + "," + entry.Replace("\"../none/01.ipynb\"", "[1]") + "]", "$.notebooks[1].source must be a non-empty string."
                      "[" + entry.Replace("\"sdk\"", "\"commit\":5,\"sdk\"") + "]", "$.notebooks[0].commit must be a string."
                      "[" + entry.Replace("{\"voters\":\"1000\"}", "[1]") + "]", "$.notebooks[0].parameters must be an object (name → value)."
                      "[" + entry.Replace("{\"voters\":\"1000\"}", "{\"a b\":5}") + "]", "$.notebooks[0].parameters.a b must be a string." ] do
                    Expect.equal (verify notebooks) (2, "workbench: M: " + message) notebooks
            finally Directory.Delete(dir, true)
        }

        test "workbench run keeps, as written, the manifest entries of the notebooks it does not rerun, read through the contract verify reads" {
            let dir = Cli.tempDir ()
            try
                let manifest = Path.Combine(dir, "manifest.json")
                let source name = let f = Path.Combine(dir, name + ".src.ipynb") in File.WriteAllText(f, name); f
                let update (runs: (string * string * bool) list) =
                    Workbench.Cli.Commands.NotebookManifest.Update(dir, [ for n, s, ok in runs -> struct (n, s, ok) ], readOnlyDict [ "voters", "2000" ])
                let entries () = [ for e in JsonNode.Parse(File.ReadAllText manifest).["notebooks"].AsArray() -> e.["executed"].GetValue<string>(), e ]
                // An earlier manifest with comments, fields the contract skips and entries out of order.
                let kept = """{"executed":"z.ipynb","source":"../z.ipynb","sourceSha256":"ab","succeeded":false,"parameters":{"voters":"1000"},"library":"1","commit":"c","sdk":"10","colour":[1,"é <"]}"""
                let old = """{"executed":"b.ipynb","source":"old.ipynb","parameters":{}}"""
                File.WriteAllText(manifest, "{ // an earlier run\n\"kind\":\"notebooks\",\"notebooks\":[" + kept + "," + old + "],\"extra\":1}")
                update [ "b", source "b", true; "a", source "a", false ]
                let after = entries ()
                Expect.equal (List.map fst after) [ "a.ipynb"; "b.ipynb"; "z.ipynb" ] "the notebooks just run and the one kept, by name"
                Expect.equal ((snd after[2]).ToJsonString()) (JsonNode.Parse(kept).ToJsonString()) "the entry not rerun is kept as written, every field"
                Expect.equal ((snd after[1]).["source"].GetValue<string>()) "b.src.ipynb" "the rerun notebook's entry is replaced"
                Expect.equal ((snd after[0]).["succeeded"].GetValue<bool>(), (snd after[0]).["parameters"].["voters"].GetValue<string>()) (false, "2000") "a new entry: its outcome and parameters"
                update [ "z", source "z", true ]
                Expect.equal (entries () |> List.map (fun (n, e) -> n, e.["sdk"].GetValue<string>() = "10")) [ "a.ipynb", false; "b.ipynb", false; "z.ipynb", false ] "z rerun: replaced, the others kept"
                // Not a notebooks manifest (another kind, or not JSON): replaced, as before.
                for other in [ """{"kind":"simulation","seed":1}"""; """{"kind":5}"""; "not JSON" ] do
                    File.WriteAllText(manifest, other)
                    update [ "a", source "a", true ]
                    Expect.equal (entries () |> List.map fst) [ "a.ipynb" ] other
                // A damaged notebooks manifest is refused with the path verify names, and left as it is.
                for notebooks, message in
                    [ "5", "$.notebooks must be an array of executed notebooks."
                      "[{\"source\":\"x\",\"parameters\":{}}]", "$.notebooks[0].executed must be a non-empty string."
                      "[{\"executed\":\"x.ipynb\",\"source\":\"x\",\"parameters\":{\"n\":5}}]", "$.notebooks[0].parameters.n must be a string." ] do
                    let text = "{\"kind\":\"notebooks\",\"notebooks\":" + notebooks + "}"
                    File.WriteAllText(manifest, text)
                    let e = Expect.throwsC (fun () -> update [ "a", source "a", true ]) id
                    Expect.equal (e.GetType()) typeof<InvalidDataException> notebooks
                    Expect.equal e.Message (manifest + ": " + message) notebooks
                    Expect.equal (File.ReadAllText manifest) text "left as it is"
            finally Directory.Delete(dir, true)
        }
        test "a run manifest is read through its contract: every problem at once, word for word; files and the run as written" {
            let errors (json: string) = try RunManifest.Parse json |> ignore; [] with :? Workbench.SpecValidationException as e -> [ for x in e.Errors -> x.Path + ": " + x.Message ]
            Expect.equal (errors """{"kind":"simulation","library":5,"commit":null,"colour":1,"scenarioJson":5,"overrides":{"replicates":0,"seed":"x","extra":1}}""")
                [ "$.colour: unknown field; known fields: " + String.concat ", " RunManifest.Known + "."
                  "$.library: expected a string, got a number."
                  "$.commit: expected a string, got null."
                  "$.scenarioJson: expected the scenario (an object), got a number."
                  "$.overrides.extra: unknown field; known fields: replicates, seed, voters."
                  "$.overrides.replicates: 0 is outside the valid range [1, 100000] (a whole number)."
                  "$.overrides.seed: expected a whole number in [-2147483648, 2147483647], got a string."
                  "$.overrides.voters: is required (a whole number in [1000, 50000000])." ] "simulation"
            Expect.equal (errors """{"colour":1,"library":5}""") [ "$.kind: missing: the manifest was written by an older Workbench, before manifests recorded what to rerun." ] "no kind: only that"
            Expect.equal (errors """{"kind":"sweep","sweepJson":[1]}""") [ "$.sweepJson: expected the sweep (an object), got an array." ] "sweep"
            let m = RunManifest.Parse """{"kind":"sweep","commit":"c","sweepJson":{"base":"classroom","name":"é"},"files":["results.csv"],"variants":{"any":"thing"}}"""
            Expect.equal (m.Kind, m.Commit, m.Library, m.Run) ("sweep", "c", null, (JsonNode.Parse """{"base":"classroom","name":"é"}""").ToJsonString()) "the sweep as written"
        }

        test "a card and its questions are read through their contracts: every problem of both at once, word for word; each step's run as written" {
            let dir = Cli.tempDir ()
            try
                let qs = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "questions.json"))).AsObject()
                qs["colour"] <- JsonValue.Create 1
                qs["source"] <- JsonValue.Create 5
                File.WriteAllText(Path.Combine(dir, "questions.json"), qs.ToJsonString())
                let card = Path.Combine(dir, "card.json")
                File.WriteAllText(card, """{ "title": null, "minutes": "60", "preset": "classroom", "audience": 5, "colour": 1, "steps": [
                    { "minutes": 0, "title": "a", "activity": 5, "look": 3, "x": 1, "run": { "scenario": "classroom", "replicates": 1.5, "y": 2 }, "figures": [ 3 ] },
                    { "title": "b", "activity": "c", "questions": 5, "run": null } ] }""")
                let errors = try WorkshopCard.Load card |> ignore; [] with :? Workbench.SpecValidationException as e -> [ for x in e.Errors -> x.Path + ": " + x.Message ]
                Expect.equal (errors |> List.take 15)
                    [ "questions.json $.colour: unknown field; known fields: source, recommendations, questions."
                      "questions.json $.source: expected a string, got a number."
                      "$.colour: unknown field; known fields: title, minutes, preset, audience, goal, steps."
                      "$.minutes: must be a whole number of minutes between 15 and 600."
                      "$.title: expected a string, got null."
                      "$.audience: expected a string, got a number."
                      "$.steps[0].x: unknown field; known fields: minutes, title, activity, run, look, figures, questions."
                      "$.steps[0].minutes: must be a positive whole number (at most 600)."
                      "$.steps[0].run.y: unknown field; known fields: scenario, replicates, set."
                      "$.steps[0].run.replicates: 1.5 is outside the valid range [1, 100000] (a whole number)."
                      "$.steps[0].figures[0]: expected a figure name (a string), got a number."
                      "$.steps[0].activity: expected a string, got a number."
                      "$.steps[0].look: expected a string, got a number."
                      "$.steps[1].minutes: must be a positive whole number (at most 600)."
                      "$.steps[1].run: expected { scenario, replicates?, set? }, got null." ] "the questions' problems, then the card's, in order"
                Expect.contains errors "$.steps[1].questions: expected an array of question ids, got a number." "a step's questions"
            finally Directory.Delete(dir, true)
            for name in [ "workshop-60.json"; "workshop-120.json" ] do
                let path = Path.Combine(cards, name)
                let written = JsonNode.Parse(File.ReadAllText path).["steps"].AsArray()
                let relaxed = System.Text.Json.JsonSerializerOptions(Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
                for i, s in Seq.indexed (WorkshopCard.Load path).Steps do
                    let run = written.[i].["run"]
                    Expect.equal s.RunJson (if isNull run then null else run.ToJsonString relaxed) $"{name} step {i + 1}: the run as written"
        }

        test "an unknown figure is a load error with its path, in a card and in questions.json; a question's figures must be declared by its step" {
            let dir = Cli.tempDir ()
            try
                let qs = JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "questions.json"))).AsObject()
                File.WriteAllText(Path.Combine(dir, "questions.json"), qs.ToJsonString())
                let card = Path.Combine(dir, "figures.json")
                File.WriteAllText(card, """{ "title": "t", "minutes": 20, "preset": "classroom", "steps": [
                    { "minutes": 20, "title": "a", "activity": "b", "run": { "scenario": "classroom", "replicates": 2 },
                      "figures": ["seatChange", "votesPerDollar", "seatChange"], "questions": ["human-scale"] } ] }""")
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 "invalid card"
                Expect.stringContains err "$.steps[0].figures[1]" "the unknown figure's path"
                Expect.stringContains err "unknown figure 'votesPerDollar'; known: seats, share" "the bad value and the vocabulary"
                Expect.stringContains err "$.steps[0].figures[2]" "a repeated figure"
                Expect.stringContains err "the question 'human-scale' discusses 'precision', which the step does not declare" "the question's figure"
                Expect.throwsT<Workbench.SpecValidationException> (fun () -> WorkshopCard.Load card |> ignore) "the library refuses it too"
                File.WriteAllText(card, """{ "title": "t", "minutes": 20, "preset": "classroom", "steps": [
                    { "minutes": 20, "title": "a", "activity": "b", "run": { "scenario": "classroom", "replicates": 2 } } ] }""")
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 "a run without figures"
                Expect.stringContains err "$.steps[0].figures" "figures are required with a run"
                qs.["questions"].[0].["figures"] <- JsonNode.Parse """["reached", "who"]"""
                File.WriteAllText(Path.Combine(dir, "questions.json"), qs.ToJsonString())
                let copy = Path.Combine(dir, "sixty.json")
                File.Copy(Path.Combine(cards, "workshop-60.json"), copy)
                let code, _, err = Cli.run [ "workshop"; copy ]
                Expect.equal code 2 "questions.json with an unknown figure"
                Expect.stringContains err "questions.json $.questions[0].figures[1]" "its path in questions.json"
            finally Directory.Delete(dir, true)
        }

        test "a broken card is rejected with paths; workshop --step runs a step offline" {
            let dir = Cli.tempDir ()
            try
                File.Copy(Path.Combine(cards, "questions.json"), Path.Combine(dir, "questions.json"))
                let card = Path.Combine(dir, "bad.json")
                File.WriteAllText(card, """{ "title": "t", "minutes": 30, "preset": "classroom", "steps": [
                    { "minutes": 20, "title": "a", "activity": "b", "run": { "scenario": "fptp-vs-pr" }, "figures": ["seats"], "questions": ["no-such-question"] } ] }""")
                let code, _, err = Cli.run [ "workshop"; card ]
                Expect.equal code 2 "invalid card"
                for s in [ "$.steps[0].questions"; "$.steps[0].run.scenario"; "the steps take 20 minutes"; "no step discusses the recommendation" ] do
                    Expect.stringContains err s "reported"
                let code, out, err = Cli.run [ "workshop"; Path.Combine(cards, "workshop-120.json"); "--step"; "6" ]
                Expect.equal code 0 err
                Expect.stringContains out "violations      " "the spending cap with money abroad produces violations"
                Expect.stringContains out "detected" "and what oversight detected"
                Expect.stringContains out "Spend of each campaign" "the step's spend"
            finally Directory.Delete(dir, true)
        }

        test "workshop --pack writes the same bytes twice, reports progress per step on stderr, and refuses --step, --out and a file; --out alone needs --step" {
            let dir = Cli.tempDir ()
            try
                let card = Path.Combine(cards, "workshop-60.json")
                let a, b = Path.Combine(dir, "a"), Path.Combine(dir, "b")
                let code, out, err = Cli.run [ "workshop"; card; "--pack"; a ]
                Expect.equal code 0 err
                Expect.stringContains out "index.html" "prints the index"
                for n in 1 .. 4 do Expect.stringContains err (sprintf "step %d/6: running" n) "progress per step that runs"
                let code, _, err = Cli.run [ "workshop"; card; "--pack"; b ]
                Expect.equal code 0 err
                let files d = Directory.GetFiles d |> Array.map Path.GetFileName |> Array.sort
                Expect.equal (files a) (files b) "the same pages"
                Expect.equal (files a).Length 10 "index, six handouts, expected results, answers, timing"
                for f in files a do
                    Expect.equal (File.ReadAllBytes(Path.Combine(a, f))) (File.ReadAllBytes(Path.Combine(b, f))) (sprintf "%s: the same bytes" f)
                let file = Path.Combine(dir, "file.txt")
                File.WriteAllText(file, "x")
                for args, says in [ [ "--pack"; Path.Combine(dir, "c"); "--step"; "2" ], "--pack"
                                    [ "--pack"; Path.Combine(dir, "c"); "--out"; Path.Combine(dir, "d") ], "--out"
                                    [ "--pack"; file ], "is a file"
                                    [ "--out"; Path.Combine(dir, "d") ], "--out needs --step" ] do
                    let code, _, err = Cli.run ("workshop" :: card :: args)
                    Expect.equal code 2 (sprintf "%A: exit 2 (%s)" args err)
                    Expect.stringContains err says (sprintf "%A: says why" args)
                    Cli.noTrace err (sprintf "%A" args)
                Expect.isFalse (Directory.Exists(Path.Combine(dir, "c")) || Directory.Exists(Path.Combine(dir, "d"))) "nothing written on a usage error"
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
            Expect.stringContains text "answer.ipynb row 3 (code cell 3) output 1 (stdout) number 1" "names the cell, the output and the number"
            Expect.stringContains text "»48«" "the recorded value"
            Expect.stringContains text "»49«" "the rerun's value"
            // 48 against 49 differs by about 2% of the value: drift within 5%, a failure beyond 1%.
            let code, text, _ = Cli.run [ "verify"; out; "--tolerance"; "0.05" ]
            Expect.equal code 0 "within the tolerance: drift, exit 0"
            Expect.stringContains text "drift" "listed as drift"
            let code, _, _ = Cli.run [ "verify"; out; "--tolerance"; "0.01" ]
            Expect.equal code 1 "beyond the tolerance: exit 1"
            File.WriteAllText(executed, File.ReadAllText(executed).Replace("48", "forty-nine"))
            let code, _, _ = Cli.run [ "verify"; out; "--tolerance"; "0.5" ]
            Expect.equal code 1 "changed words fail whatever the tolerance"
        finally Directory.Delete(dir, true)
    }
