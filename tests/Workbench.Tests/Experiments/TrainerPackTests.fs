/// The trainer pack of a workshop card: pages per step, expected results from the reference run, an answer sheet quoting
/// them, a timing plan that adds up, nothing fetched from the network.
module Workbench.Tests.Experiments.TrainerPackTests

open System
open System.IO
open System.Net
open Expecto
open Workbench.Experiments
open Workbench.Cli.Tests

let private cards = Path.Combine(Cli.repoRoot, "notebooks", "workshop", "cards")
let private card60 = lazy (WorkshopCard.Load(Path.Combine(cards, "workshop-60.json")))
let private pack60 = lazy (TrainerPack.Build(card60.Value, "notebooks/workshop/cards/workshop-60.json"))

let private page (pack: TrainerPack) name =
    match pack.Pages |> Seq.tryFind (fun p -> p.FileName = name) with
    | Some p -> p.Html
    | None -> failwithf "the pack has no page %s" name

/// The part of a page under the heading of step n (up to the next step's heading).
let private section (html: string) (n: int) =
    let start = html.IndexOf(sprintf "<h2>Step %d: " n)
    Expect.isGreaterThanOrEqual start 0 (sprintf "step %d has a section" n)
    let next = html.IndexOf("<h2>Step ", start + 5)
    if next < 0 then html.Substring start else html.Substring(start, next - start)

let private mean (xs: float seq) = Seq.average xs

/// Each declared figure's mean per row, computed from the rows of Simulation.Run directly (not through WorkshopFigures).
let private direct (r: SimulationResult) (figure: string) : float list =
    let byCampaign (f: SpendRow -> float) =
        r.Spend |> Seq.groupBy (fun s -> s.Arm, s.Party) |> Seq.map (fun (_, g) -> g |> Seq.map f |> mean) |> List.ofSeq
    let baseline = r.Rows |> Seq.filter (fun x -> x.Arm = "baseline")
    let effects = r.Effects() |> Seq.filter (fun e -> e.Spend > 0.0)
    match figure with
    | "seats" -> baseline |> Seq.groupBy (fun x -> x.System, x.Party) |> Seq.map (fun (_, g) -> g |> Seq.map (fun x -> float x.Seats) |> mean) |> List.ofSeq
    | "share" -> baseline |> Seq.filter (fun x -> x.System = (Seq.head baseline).System) |> Seq.groupBy (fun x -> x.Party) |> Seq.map (fun (_, g) -> g |> Seq.map (fun x -> 100.0 * x.Share) |> mean) |> List.ofSeq
    | "gallagher" -> r.SystemRows |> Seq.filter (fun x -> x.Arm = "baseline") |> Seq.groupBy (fun x -> x.System) |> Seq.map (fun (_, g) -> g |> Seq.map (fun x -> x.Gallagher) |> mean) |> List.ofSeq
    | "seatChange" -> effects |> Seq.map (fun e -> e.SeatChange.Mean) |> List.ofSeq
    | "shareChange" -> effects |> Seq.distinctBy (fun e -> e.Arm, e.Party) |> Seq.map (fun e -> e.ShareChangePoints.Mean) |> List.ofSeq
    | "costPerVote" -> effects |> Seq.distinctBy (fun e -> e.Arm, e.Party) |> Seq.map (fun e -> if e.CostPerVote.HasValue then e.CostPerVote.Value else nan) |> List.ofSeq
    | "spend" -> byCampaign (fun s -> s.Spend)
    | "precision" -> byCampaign (fun s -> s.Precision)
    | "closestQuarterSpend" -> byCampaign (fun s -> 100.0 * s.MarginalQuarterShare)
    | "reached" -> byCampaign (fun s -> float s.VotersContacted)
    | "premium" -> r.Contrasts("red-microtargets", "red-broadcasts", "Red") |> Seq.collect (fun c -> [ c.SeatDifference.Mean; c.ShareDifferencePoints.Mean ]) |> List.ofSeq
    | "informationGini" ->
        r.SystemRows |> Seq.filter (fun x -> x.Arm <> "baseline") |> Seq.groupBy (fun x -> x.Arm)
        |> Seq.map (fun (_, g) -> g |> Seq.groupBy (fun x -> x.Replicate) |> Seq.map (fun (_, rs) -> rs |> Seq.averageBy (fun x -> x.InformationGini)) |> mean) |> List.ofSeq
    | "violations" ->
        let arms = r.Rows |> Seq.map (fun x -> x.Arm) |> Seq.filter (fun a -> a <> "baseline") |> Seq.distinct
        let n = float r.ReplicateSeeds.Count
        [ for a in arms do
            let v = r.Violations |> Seq.filter (fun x -> x.Arm = a) |> List.ofSeq
            yield float v.Length / n
            yield float (v |> List.filter (fun x -> x.Detected) |> List.length) / n ]
    | f -> failwithf "no direct computation for %s" f

[<Tests>]
let tests =
    testList "Experiments.TrainerPack" [
        test "the pack has an index, a handout per step, expected results, answers and a timing plan; the index links every page" {
            let pack = pack60.Value
            let card = card60.Value
            let names = pack.Pages |> Seq.map (fun p -> p.FileName) |> List.ofSeq
            let expected = [ "index.html" ] @ [ for i in 1 .. card.Steps.Count -> TrainerPack.HandoutFile i ] @ [ "expected-results.html"; "answers.html"; "timing.html" ]
            Expect.equal names expected "pages, in order"
            let index = page pack "index.html"
            for p in pack.Pages |> Seq.skip 1 do Expect.stringContains index (sprintf "href=\"%s\"" p.FileName) p.FileName
            for i in 1 .. card.Steps.Count do
                let h = page pack (TrainerPack.HandoutFile i)
                let s = card.Steps.[i - 1]
                Expect.stringContains h (WebUtility.HtmlEncode s.Title) "the handout names its step"
                for q in s.Questions do Expect.stringContains h (WebUtility.HtmlEncode q.Text) "every question of the step"
                let asked = s.Questions |> Seq.collect (fun q -> q.Figures) |> Set.ofSeq
                let fill = if asked.IsEmpty then Set.ofSeq s.Figures else Set.intersect asked (Set.ofSeq s.Figures)
                if s.Figures.Count > 0 then
                    let tables = h.Substring(h.IndexOf "Your figures")
                    for f in s.Figures do
                        Expect.equal (tables.Contains(sprintf "<h3>%s</h3>" (WebUtility.HtmlEncode(WorkshopFigures.Title f)))) (fill.Contains f)
                            (sprintf "step %d: a table for %s only if the step's questions ask about it" i f)
                if s.Figures.Count > 0 then
                    Expect.stringContains h "<svg" "the chart of the step's run"
                    Expect.stringContains h "<td class=\"blank\"></td>" "blank cells to fill in"
                    // Participants fill in the figures: the handout's tables give no value of the run.
                    let tables = h.Substring(h.IndexOf "Your figures")
                    for t in s.Figures do
                        let table = WorkshopFigures.Compute(t, pack.ReferenceRuns.[i - 1])
                        for row in table.Rows do
                            if row.Value.Mean <> 0.0 && not (Double.IsNaN row.Value.Mean) then
                                Expect.isFalse (tables.Contains(">" + table.Format row.Value.Mean + "<")) (sprintf "step %d %s: no value in the blank table" i t)
        }

        test "expected results equal a fresh Simulation.Run of each step's scenario, with the command that reproduces it" {
            let pack = pack60.Value
            let html = page pack "expected-results.html"
            for i, s in Seq.indexed card60.Value.Steps do
                let sec = section html (i + 1)
                if isNull (box s.Scenario) then Expect.stringContains sec "no run" "a discussion step"
                else
                    Expect.stringContains sec (sprintf "workbench workshop notebooks/workshop/cards/workshop-60.json --step %d" (i + 1)) "the command"
                    let fresh = Simulation.Run s.Scenario
                    Expect.equal fresh.ReplicateSeeds.Count s.Scenario.Replicates "the card's replicates"
                    for f in s.Figures do
                        let values = direct fresh f
                        Expect.isNonEmpty values (sprintf "step %d %s has values" (i + 1) f)
                        for v in values do
                            let cell = sprintf "<td class=\"num\">%s</td>" (WebUtility.HtmlEncode(WorkshopFigures.Format(f, v)))
                            Expect.stringContains sec cell (sprintf "step %d %s: %g" (i + 1) f v)
                    // The interval column: a figure with replicate spread shows its 95% interval.
                    let table = WorkshopFigures.Compute("precision", fresh)
                    for row in table.Rows do
                        if table.ShowsInterval row && Seq.contains "precision" s.Figures then
                            Expect.stringContains sec (sprintf "%s to %s" (table.Format row.Value.Low) (table.Format row.Value.High)) "the interval"
        }

        test "the answer sheet quotes the reference figures of each question's step and reads intervals that include zero as no detectable effect" {
            let pack = pack60.Value
            let html = WebUtility.HtmlDecode(page pack "answers.html")
            let card = card60.Value
            for i, s in Seq.indexed card.Steps do
                if s.Questions.Count > 0 && not (isNull (box s.Scenario)) then
                    let sec = section html (i + 1)
                    let fresh = Simulation.Run s.Scenario
                    for q in s.Questions do
                        Expect.stringContains sec q.Text "the question"
                        for f in q.Figures do
                            let values = direct fresh f
                            if f = "violations" && values |> List.forall (fun v -> v = 0.0) then
                                Expect.stringContains sec "no violation occurred in any replicate" (sprintf "step %d, %s: no violations, said in words" (i + 1) q.Id)
                            else
                                for v in values do
                                    Expect.stringContains sec (WorkshopFigures.Format(f, v)) (sprintf "step %d, %s quotes %s = %g" (i + 1) q.Id f v)
            // Sentences on a change say what its interval shows.
            let table (low: float) (high: float) =
                FigureTable("seatChange", "t", [| "arm"; "system"; "party" |], [| FigureRow([| "a"; "FPTP"; "Red" |], Estimate((low + high) / 2.0, low, high), true) |], true, 4)
            Expect.stringContains (TrainerPack.Sentences(table -0.5 1.5).[0]) "cannot tell it from no effect" "an interval including zero"
            Expect.stringContains (TrainerPack.Sentences(table -0.5 1.5).[0]) "0.50" "quotes the mean"
            Expect.stringContains (TrainerPack.Sentences(table 0.5 1.5).[0]) "excludes zero" "an interval excluding zero"
            Expect.stringContains (TrainerPack.Sentences(table 0.0 0.0).[0]) "no change in any replicate" "zero width at zero"
            Expect.stringContains (TrainerPack.Sentences(table 0.501 0.502).[0]) "narrower than the last digit shown" "an interval that prints as one number"
            Expect.isFalse ((table 0.501 0.502).ShowsInterval((table 0.501 0.502).Rows.[0])) "not shown as 0.50 to 0.50"
            // The closest quarter's share of spend is read against an even spread (a quarter of the money in a quarter of the seats).
            let quarter (low: float) (high: float) =
                FigureTable("closestQuarterSpend", "t", [| "arm"; "party" |], [| FigureRow([| "a"; "Red" |], Estimate((low + high) / 2.0, low, high), true) |], false, 4, Minimum = 0.0, Maximum = 100.0)
            Expect.stringContains (TrainerPack.Sentences(quarter 15.4 74.1).[0]) "cannot tell it from spreading the money evenly over the seats (25% in each quarter)" "an interval including 25%"
            Expect.stringContains (TrainerPack.Sentences(quarter 30.0 40.0).[0]) "concentrated in the close seats" "an interval above 25%"
        }

        test "the precision sentence says what precision measures and quotes the broadcast campaign's precision from the same run" {
            let pack = pack60.Value
            let html = WebUtility.HtmlDecode(page pack "answers.html")
            Expect.isFalse (html.Contains "aimed at") "a broadcast campaign aims at no one: precision is not 'the voters it aimed at'"
            Expect.stringContains html "judged with their true preferences, likely supporters of its party or persuadable voters" "the gloss"
            let step2 = pack.ReferenceRuns.[1]
            let table = WorkshopFigures.Compute("precision", step2)
            let blue = table.Rows |> Seq.find (fun r -> r.Keys.[0] = "blue-broadcasts")
            Expect.stringContains html (sprintf "Blue's broadcast in blue-broadcasts reached %s" (table.Format blue.Value.Mean)) "the level without targeting, from the run"
            Expect.stringContains html "Without targeting, Red's broadcast in red-broadcasts reached" "the same party broadcasting, the closest level without targeting"
            Expect.stringContains html "This is the level a campaign gets without targeting in this run." "the broadcast row says so"
        }

        test "the recommendations quote the 2020 roundtables' wording" {
            let q = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "questions.json")))
            let rec' (id: string) = q.["recommendations"].[id].GetValue<string>()
            // The roundtables' own sentences (International IDEA 2020, the list of recommendations).
            Expect.equal (rec' "guidance-tools") "Sharing of guidance and tools to increase stakeholder awareness and understanding, which is often still limited (IDEA 2020)." "guidance and tools, without citizen tools"
            Expect.equal (rec' "research") "Research on the impact of online advertising and microtargeting to better understand the need for further regulation in this area (IDEA 2020)." "research"
            Expect.stringContains (rec' "oversight-cooperation") "often widely distributed amongst various oversight bodies" "oversight, as the source puts it"
            Expect.isFalse ((rec' "oversight-cooperation").Contains "media regulation") "no list of bodies the source does not give"
            let guide = File.ReadAllText(Path.Combine(Cli.repoRoot, "notebooks", "workshop", "facilitator-guide.md"))
            Expect.isFalse (guide.Contains "before further regulation") "the guide does not put research before regulation"
            Expect.isFalse (guide.Contains "filter bubbles") "the primer's six risks, not filter bubbles"
            for risk in [ "Big Brother"; "\"safe\" voters marginalised"; "data monopolies"; "voter suppression"; "campaign finance" ] do
                Expect.stringContains guide risk (sprintf "the primer's risk: %s" risk)
        }

        test "a displayed interval never has a bound outside the figure's possible range, and a clipped one says so" {
            let pack = pack60.Value
            let mutable clipped = 0
            for i, r in Seq.indexed pack.ReferenceRuns do
                if not (isNull (box r)) then
                    let hasPremium = r.Scenario.Arms |> Seq.exists (fun a -> a.Name = "red-broadcasts")
                    for f in WorkshopFigures.Names |> Seq.filter (fun f -> f <> "premium" || hasPremium) do
                        let t = WorkshopFigures.Compute(f, r)
                        for row in t.Rows do
                            let struct (low, high, isClipped) = t.Displayed row
                            Expect.isGreaterThanOrEqual low t.Minimum (sprintf "step %d %s low" (i + 1) f)
                            Expect.isLessThanOrEqual high t.Maximum (sprintf "step %d %s high" (i + 1) f)
                            if isClipped then clipped <- clipped + 1
                            if t.ShowsInterval row then
                                Expect.equal ((t.FormatInterval row).EndsWith "(clipped to the possible range)") isClipped (sprintf "step %d %s marked" (i + 1) f)
            Expect.isGreaterThan clipped 0 "the reference runs have intervals that need clipping (few replicates)"
            // Bounds by figure: proportions in [0, 1], percentages in [0, 100], voters reached within the electorate, counts at least 0; changes unbounded.
            let r = pack.ReferenceRuns.[1]
            for f, lo, hi in [ "precision", 0.0, 1.0; "informationGini", 0.0, 1.0; "share", 0.0, 100.0; "closestQuarterSpend", 0.0, 100.0; "reached", 0.0, float r.Scenario.Voters ] do
                let t = WorkshopFigures.Compute(f, r)
                Expect.equal (t.Minimum, t.Maximum) (lo, hi) f
            Expect.equal (WorkshopFigures.Compute("seatChange", r).Minimum) -infinity "a seat change can be negative"
            let t = FigureTable("precision", "t", [| "arm"; "party" |], [| FigureRow([| "a"; "Red" |], Estimate(0.9, 0.7, 1.1), true) |], false, 4, Minimum = 0.0, Maximum = 1.0)
            Expect.equal (t.FormatWithInterval t.Rows.[0]) "0.900 (0.700 to 1.000 (clipped to the possible range))" "clipped and marked"
            let s = TrainerPack.Sentences(t).[0]
            Expect.stringContains s "0.700 to 1.000 over 4 replicates, clipped to the possible range" "the sentence too"
            let html = page pack "expected-results.html" + page pack "answers.html"
            Expect.isFalse (html.Contains " to -") "no negative bound in the pages' non-change figures"
        }

        test "no answer says violations were detected when none occurred; a question that assumes violations says its premise does not hold" {
            let answers = WebUtility.HtmlDecode(page pack60.Value "answers.html")
            Expect.isFalse (answers.Contains "detected only when") "the question no longer assumes oversight was off"
            // The 60-minute card's archive step runs dark posts under an archive duty and money routed abroad: violations occur.
            let sec = section answers 4
            Expect.isFalse (sec.Contains "no violation occurred") "the archive step has violations"
            Expect.isFalse (answers.Contains TrainerPack.NoViolationsPremise) "the premise holds in this card"
            // A table with no violation in any row: the sentences say so and never quote a detection.
            let zero = FigureTable("violations", "t", [| "arm"; "measure" |],
                                   [| for m in [ "violations"; "detected"; "taken down"; "fines" ] -> FigureRow([| "a"; m |], Estimate(0.0, 0.0, 0.0), true) |], false, 4)
            let s = TrainerPack.Sentences zero
            Expect.equal (List.ofSeq s) [ "In a, no violation occurred in any replicate." ] "no detection quoted"
            let noRules = Path.Combine(Cli.tempDir (), "no-rules.json")
            File.Copy(Path.Combine(cards, "questions.json"), Path.Combine(Path.GetDirectoryName noRules, "questions.json"))
            let json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "workshop-60.json"))).AsObject()
            json.Remove "$schema" |> ignore
            try
                json.["steps"].[3].["run"] <- System.Text.Json.Nodes.JsonNode.Parse """{ "scenario": "classroom", "replicates": 2, "set": { "regulation": { "oversight": 0.5 } } }"""
                File.WriteAllText(noRules, json.ToJsonString())
                let built = TrainerPack.Build(WorkshopCard.Load noRules, "c.json")
                let a = WebUtility.HtmlDecode(page built "answers.html")
                Expect.stringContains a TrainerPack.NoViolationsPremise "no rule can be broken: the premise does not hold"
                Expect.isFalse (a.Contains " detected (") "no detection interval quoted"
            finally Directory.Delete(Path.GetDirectoryName noRules, true)
        }

        test "a question that compares steps gets the paired difference replicate by replicate, and the minimum audience from the card's set" {
            let pack = pack60.Value
            let card = card60.Value
            let html = WebUtility.HtmlDecode(page pack "answers.html")
            let i = card.Steps |> Seq.findIndex (fun s -> not (isNull (box s.Scenario)) && s.Questions |> Seq.exists (fun q -> q.Id = "human-scale"))
            let q = card.Steps.[i].Questions |> Seq.find (fun q -> q.Id = "human-scale")
            Expect.equal q.Against (Nullable 2) "human-scale compares with step 2"
            Expect.isFalse (q.Text.Contains "about six households") "six households is a unit of analysis for data, not an audience"
            let sec = section html (i + 1)
            Expect.stringContains sec (sprintf "Step %d's minimum audience: %s people on the platform." (i + 1) (card.Steps.[i].Scenario.Regulation.MinimumAudience.Value.ToString("N0", Globalization.CultureInfo.InvariantCulture))) "from the set"
            let now, before = pack.ReferenceRuns.[i], pack.ReferenceRuns.[1]
            let red (r: SimulationResult) = r.Spend |> Seq.filter (fun s -> s.Arm = "red-microtargets") |> Seq.sortBy (fun s -> s.Replicate) |> Seq.map (fun s -> s.Precision) |> Array.ofSeq
            let d = Array.map2 (-) (red now) (red before)
            let e = Stats.Interval d
            Expect.stringContains sec (sprintf "Against step 2, replicate by replicate (same seed): the precision of Red's campaign in red-microtargets differs by %s on average (95%% interval %s to %s)"
                                           (e.Mean.ToString("F3", Globalization.CultureInfo.InvariantCulture)) (e.Low.ToString("F3", Globalization.CultureInfo.InvariantCulture)) (e.High.ToString("F3", Globalization.CultureInfo.InvariantCulture))) "the paired difference"
            Expect.stringContains sec "seat change under FPTP in red-microtargets differs by" "seat changes paired too"
        }

        test "a card with a malformed step is a validation error, not a crash, when a later discussion step or comparison is checked" {
            let json = """{ "title": "t", "minutes": 20, "preset": "classroom", "steps": [ "not a step", { "minutes": 10, "title": "d", "activity": "a", "questions": [ "who-oversees", "human-scale" ] } ] }"""
            Expect.throwsT<Workbench.SpecValidationException> (fun () -> WorkshopCard.Parse(json, cards) |> ignore) "a SpecValidationException"
        }

        test "premium is Red microtargeting minus Red broadcasting the same budget over the same channels, paired by replicate; it needs both arms" {
            let r = pack60.Value.ReferenceRuns.[1]
            Expect.equal r.Scenario.Name "classroom-targeting" "step 2 runs the scenario that isolates targeting"
            let arms = r.Scenario.Arms |> Seq.map (fun a -> a.Name, a) |> dict
            Expect.equal (List.ofSeq arms.["red-broadcasts"].Campaigns.[0].Channels) (List.ofSeq arms.["red-microtargets"].Campaigns.[0].Channels) "the same channels"
            Expect.equal arms.["red-broadcasts"].Campaigns.[0].Budget arms.["red-microtargets"].Campaigns.[0].Budget "the same budget"
            let t = WorkshopFigures.Compute("premium", r)
            for c in r.Contrasts("red-microtargets", "red-broadcasts", "Red") do
                let seats = t.Rows |> Seq.find (fun x -> x.Keys.[0] = c.System && x.Keys.[1] = "seats")
                Expect.equal seats.Value c.SeatDifference (sprintf "%s seats" c.System)
                let share = t.Rows |> Seq.find (fun x -> x.Keys.[0] = c.System && x.Keys.[1] = "vote share (points)")
                Expect.equal share.Value c.ShareDifferencePoints (sprintf "%s share" c.System)
            let sec = section (page pack60.Value "expected-results.html") 2
            Expect.stringContains sec (WebUtility.HtmlEncode(WorkshopFigures.Title "premium")) "tabulated"
            let json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(cards, "workshop-60.json"))).AsObject()
            json.Remove "$schema" |> ignore
            json.["steps"].[1].["run"].["scenario"] <- System.Text.Json.Nodes.JsonValue.Create "classroom"
            let err = try WorkshopCard.Parse(json.ToJsonString(), cards) |> ignore; "" with :? Workbench.SpecValidationException as e -> e.Message
            Expect.stringContains err "$.steps[1].figures[0]" "refused with the figure's path"
            Expect.stringContains err "'premium' needs the arms red-microtargets and red-broadcasts" "says why"
        }

        test "no two handouts of a step that runs show the same chart when some figure moved" {
            let pack = pack60.Value
            let charts =
                [ for i, s in Seq.indexed card60.Value.Steps do
                    if s.Figures.Count > 0 then
                        let h = page pack (TrainerPack.HandoutFile(i + 1))
                        let a = h.IndexOf "<svg"
                        yield h.Substring(a, h.IndexOf("</svg>", a) - a) ]
            Expect.equal (List.distinct charts).Length charts.Length "each step's chart differs"
            // A step whose first figure did not move charts the first one that did.
            let t (fig: string) (m: float) = FigureTable(fig, fig, [| "arm" |], [| FigureRow([| "a" |], Estimate(m, m, m), true) |], true, 4)
            let figs = [| [| t "seatChange" 0.0; t "precision" 0.7 |]; [||]; [| t "seatChange" 0.0; t "precision" 0.6 |] |]
            Expect.equal (TrainerPack.ChartFigure(figs, 2)).Figure "precision" "the figure that moved"
            Expect.equal (TrainerPack.ChartFigure(figs, 0)).Figure "seatChange" "the first step charts its first figure"
            let still = [| [| t "seatChange" 0.0 |]; [| t "seatChange" 0.0 |] |]
            Expect.equal (TrainerPack.ChartFigure(still, 1)).Figure "seatChange" "nothing moved: the first figure"
        }

        test "no page loads anything: no http(s) address, no script, no external style sheet" {
            for p in pack60.Value.Pages do
                let h = p.Html.ToLowerInvariant()
                Expect.isFalse (h.Contains "http:" || h.Contains "https:") (sprintf "%s: no network address" p.FileName)
                Expect.isFalse (h.Contains "<script") (sprintf "%s: no script" p.FileName)
                Expect.isFalse (h.Contains "<link") (sprintf "%s: no linked file" p.FileName)
                Expect.isFalse (h.Contains "src=") (sprintf "%s: no source attribute" p.FileName)
                Expect.equal (h.Split("<style>").Length - 1) 1 (sprintf "%s: one inline style sheet" p.FileName)
        }

        test "the timing plan runs from 0 to the card's minutes without gaps, with a fifth of each step as slack" {
            for name in [ "workshop-60.json"; "workshop-120.json" ] do
                let card = WorkshopCard.Load(Path.Combine(cards, name))
                let slots = TrainerPack.Timing card
                Expect.equal slots.Count card.Steps.Count "a slot per step"
                Expect.equal slots.[0].Start 0 "starts at 0"
                Expect.equal slots.[slots.Count - 1].End card.Minutes "ends at the card's minutes"
                Expect.equal (slots |> Seq.sumBy (fun t -> t.ActivityMinutes + t.SlackMinutes)) card.Minutes "activity and slack add up to the card"
                for a, b in Seq.pairwise slots do Expect.equal b.Start a.End "consecutive"
                for t, s in Seq.zip slots card.Steps do
                    Expect.equal (t.End - t.Start) s.Minutes "the step's minutes"
                    Expect.equal t.SlackMinutes (s.Minutes / 5) "a fifth, rounded down"
            let timing = page pack60.Value "timing.html"
            Expect.stringContains timing "<th class=\"num\">1:00</th>" "the total is the card's hour"
            Expect.stringContains timing "rounded down to whole minutes, so a step shorter than five minutes has none" "the slack rule, as the guide words it"
            // The running plan: activity back to back, the pooled slack as one buffer, the close ending at the card's end.
            let slots = TrainerPack.Timing card60.Value
            let pooled = slots |> Seq.take (slots.Count - 1) |> Seq.sumBy (fun t -> t.SlackMinutes)
            let activity = slots |> Seq.take (slots.Count - 1) |> Seq.sumBy (fun t -> t.ActivityMinutes)
            let clock m = sprintf "%d:%02d" (m / 60) (m % 60)
            Expect.stringContains (WebUtility.HtmlDecode timing) (sprintf "<td>buffer (the steps' pooled slack)</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%d</td>" (clock activity) (clock (activity + pooled)) pooled) "one buffer before the close"
            Expect.stringContains timing (sprintf "<td class=\"num\">%s</td><td class=\"num\">1:00</td>" (clock (activity + pooled))) "the close starts after the buffer and ends on the hour"
        }
    
        test "the facilitator guide documents every figure name and the slack rule" {
            let guide = File.ReadAllText(Path.Combine(Cli.repoRoot, "notebooks", "workshop", "facilitator-guide.md"))
            for f in WorkshopFigures.Names do Expect.stringContains guide (sprintf "| `%s` |" f) (sprintf "the vocabulary table lists %s" f)
            Expect.stringContains guide "a slack of a fifth of the step, rounded down to whole minutes" "the slack rule"
            for typed in [ "9–12 s"; "17–33 s"; "about a minute"; "keep the last five minutes"; "a third of paid social" ] do
                Expect.isFalse (guide.ToLowerInvariant().Contains(typed.ToLowerInvariant())) (sprintf "no typed figure or wrong claim: %s" typed)
            Expect.stringContains guide "its own run time" "the command prints its run time"
            let slack name = WorkshopCard.Load(Path.Combine(cards, name)) |> TrainerPack.Timing |> Seq.sumBy (fun t -> t.SlackMinutes)
            Expect.stringContains guide (sprintf "the 60-minute card keeps %d minutes of slack in all, the 120-minute card %d" (slack "workshop-60.json") (slack "workshop-120.json")) "the totals the guide quotes"
        }
    ]
