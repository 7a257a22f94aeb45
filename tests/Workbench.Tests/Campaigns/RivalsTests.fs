/// Rivals: campaigns that answer each other in best-response rounds, then deliver their final plans once.
module Workbench.Tests.Campaigns.RivalsTests

open System
open System.Text.Json.Nodes
open Expecto
open Workbench.Campaigns
open Workbench.Experiments

/// The shipped rivals scenario with its JSON edited by `edit`, at `voters` voters and `replicates` replicates.
let private variant (edit: JsonObject -> unit) voters replicates =
    let root = JsonNode.Parse(Scenario.Builtin("rivals").Json).AsObject()
    edit root
    Scenario.Parse(root.ToJsonString()).With(replicates = Nullable replicates, voters = Nullable voters)

/// Keeps only the arms named.
let private only (names: string list) (root: JsonObject) =
    let arms = root.["arms"].AsArray()
    for i in arms.Count - 1 .. -1 .. 0 do
        if not (List.contains (arms.[i].["name"].GetValue<string>()) names) then arms.RemoveAt i

let private arm (root: JsonObject) name =
    root.["arms"].AsArray() |> Seq.find (fun a -> a.["name"].GetValue<string>() = name) |> fun a -> a.AsObject()

let private parseError (json: string) =
    let ex = Expect.throwsC (fun () -> Scenario.Parse json |> ignore) id
    ex.Message

[<Tests>]
let tests =
    testList "Campaigns.Rivals" [
        test "\"rounds\": 1 gives the same bytes as no option (results, spend, summary)" {
            let plain = variant (only [ "fptp-alone"; "pr-alone" ]) 20000 2
            let explicitOne = variant (fun root -> only [ "fptp-alone"; "pr-alone" ] root; (arm root "fptp-alone").["rounds"] <- 1; (arm root "pr-alone").["rounds"] <- 1) 20000 2
            Expect.equal (explicitOne.Arms |> Seq.map (fun a -> a.Rounds) |> List.ofSeq) [ 1; 1 ] "parsed as one round"
            let a, b = Simulation.Run(plain, Nullable 2), Simulation.Run(explicitOne, Nullable 2)
            Expect.equal (b.ToCsv()) (a.ToCsv()) "same results.csv"
            Expect.equal (b.Summary().ToJsonString()) (a.Summary().ToJsonString()) "same summary"
            Expect.isEmpty b.BestResponse "no best-response report for one round"
            Expect.isFalse (b.Summary().ContainsKey "bestResponse") "and no summary section"
        }
        test "rounds > 1 deliver each campaign once: spend within its budget, contacts counted once, one report per arm and replicate" {
            let sc = variant (only [ "fptp-alone"; "fptp-rivals" ]) 20000 2
            let res = Simulation.Run(sc, Nullable 2)
            let budget = (sc.Arms |> Seq.head).Campaigns |> Seq.head |> fun c -> c.Budget
            for s in res.Spend do
                // The marginal unit's fractional attempt is drawn per voter at delivery, so realised spend may pass the budget by a
                // little: 1% is far below the 4 × budget that four delivered rounds would spend.
                Expect.isLessThanOrEqual s.Spend (budget * 1.01) (sprintf "%s %s r%d spends %.1f of %.1f" s.Arm s.Party s.Replicate s.Spend budget)
                Expect.isGreaterThan s.Spend (budget * 0.9) "and spends its budget"
            Expect.equal res.BestResponse.Count 2 "one report per replicate for the one arm with rounds"
            let run = Simulation.Detail(sc, 0, Nullable 2)
            let armRun = run.Arm(run.ArmIndex "fptp-rivals")
            let contacts = armRun.ContactsPerVoter |> Seq.sumBy int64
            Expect.equal contacts (armRun.Outcomes.Values |> Seq.sumBy (fun o -> o.Contacts)) "every contact counted once, by the delivery of final plans"
            Expect.isNone (Option.ofObj (run.Arm(run.ArmIndex "fptp-alone")).BestResponse) "one-round arms have no report"
        }
        test "convergence is reported: rounds played, allocation changes, and why the rounds stopped" {
            let sc = variant (only [ "fptp-rivals"; "pr-rivals" ]) 20000 2
            let res = Simulation.Run(sc, Nullable 2)
            Expect.equal res.BestResponse.Count 4 "two arms × two replicates"
            for b in res.BestResponse do
                let r = b.Report
                Expect.equal r.Rounds 4 "rounds allowed"
                Expect.isTrue (r.StoppedAt >= 2 && r.StoppedAt <= 4) (sprintf "stopped at %d" r.StoppedAt)
                Expect.equal r.History.Count (2 * r.StoppedAt) "one record per campaign and round played"
                Expect.isTrue (r.Converged || r.StoppedAt = r.Rounds) "stops early only when converged"
                for h in r.History do
                    if h.Round = 1 then Expect.isTrue (Double.IsNaN h.AllocationChange) "no change in round 1"
                    else Expect.isTrue (h.AllocationChange >= 0.0 && h.AllocationChange <= 1.0) (sprintf "a total variation distance: %g" h.AllocationChange)
                let last = r.History |> Seq.filter (fun h -> h.Round = r.StoppedAt) |> List.ofSeq
                if r.Converged then
                    Expect.isTrue (last |> List.forall (fun h -> h.AllocationChange <= BestResponse.AllocationTolerance)
                                   || last |> List.forall (fun h -> abs h.ObjectiveChange <= BestResponse.ObjectiveTolerance)) "converged by the stated rule"
                let before = r.History |> Seq.filter (fun h -> h.Round < r.StoppedAt && h.Round >= 2) |> List.ofSeq
                if not before.IsEmpty then
                    // Rounds before the last did not meet the rule (else they would have stopped).
                    for round in before |> List.map (fun h -> h.Round) |> List.distinct do
                        let rr = before |> List.filter (fun h -> h.Round = round)
                        Expect.isFalse (rr |> List.forall (fun h -> h.AllocationChange <= BestResponse.AllocationTolerance)
                                        || rr |> List.forall (fun h -> abs h.ObjectiveChange <= BestResponse.ObjectiveTolerance)) (sprintf "round %d was not converged" round)
            let summary = res.Summary()
            Expect.isTrue (summary.ContainsKey "bestResponse") "the summary reports the rounds"
            Expect.equal (summary.["bestResponse"].AsArray().Count) 2 "one entry per arm with rounds"
            // Two rounds at most: the rounds stop at 2 whether or not they converged.
            let two = variant (fun root -> only [ "pr-rivals" ] root; (arm root "pr-rivals").["rounds"] <- 2) 20000 1
            let r2 = (Simulation.Run(two, Nullable 2).BestResponse |> Seq.exactlyOne).Report
            Expect.equal r2.StoppedAt 2 "two rounds played"
        }
        test "round means average every replicate: a replicate that stopped early carries its last round's plan" {
            // Replicates of fptp-rivals stop at different rounds (2 or 3 at these sizes); every round must still average all of them.
            let sc = variant (only [ "fptp-rivals" ]) 20000 8
            let res = Simulation.Run(sc, Nullable 2)
            let means = res.BestResponseRounds() |> List.ofSeq
            let stops = res.BestResponse |> Seq.map (fun b -> b.Report.StoppedAt) |> List.ofSeq
            Expect.isGreaterThan (List.distinct stops).Length 1 (sprintf "replicates stop at different rounds (%A), else nothing is carried forward" stops)
            Expect.equal (means |> List.map (fun m -> m.Round) |> List.max) (List.max stops) "rounds up to the last any replicate played"
            for m in means do
                Expect.equal m.Replicates 8 (sprintf "round %d, %s: all eight replicates" m.Round m.Party)
                Expect.equal m.StillPlaying (stops |> List.filter (fun s -> s >= m.Round) |> List.length) "those still playing are counted apart"
                let expected =
                    res.BestResponse |> Seq.averageBy (fun b ->
                        let mine = b.Report.History |> Seq.filter (fun h -> h.Party = m.Party && h.Round <= m.Round)
                        (mine |> Seq.maxBy (fun h -> h.Round)).ExpectedObjective)
                Expect.floatClose Accuracy.veryHigh m.ExpectedObjective expected "the mean of each replicate's plan at that round or its last"
            let summary = res.Summary().["bestResponse"].[0].["byRound"].AsArray()
            Expect.isTrue (summary |> Seq.forall (fun r -> r.["replicates"].GetValue<int>() = 8)) "the summary reports the same means"
        }
        test "a best response is never expected to do worse than the campaign's round-1 plan against the same opponents" {
            let sc = variant (only [ "fptp-rivals"; "pr-rivals" ]) 20000 2
            let res = Simulation.Run(sc, Nullable 2)
            for b in res.BestResponse do
                for h in b.Report.History do
                    // Exact: the allocator keeps its earlier plans as candidates, judged by the same function under the same knowledge.
                    Expect.isGreaterThanOrEqual h.ExpectedObjective h.FirstPlanExpected (sprintf "%s r%d round %d %s" b.Arm b.Replicate h.Round h.Party)
                let final = b.Report.Final |> List.ofSeq
                // The campaign that moved last answered the others' final plans: exact against them.
                let lastMover = List.last final
                Expect.isGreaterThanOrEqual lastMover.FinalPlanExpected lastMover.FirstPlanExpected (sprintf "%s r%d %s against the final plans" b.Arm b.Replicate lastMover.Party)
                // Earlier movers answered the later movers' previous plans; against their final plans the gain holds up to what the
                // later movers changed since (a TV distance of at most 1% when converged on allocations): tolerance 0.01 seats.
                for f in final do
                    Expect.isGreaterThanOrEqual (f.FinalPlanExpected + 0.01) f.FirstPlanExpected (sprintf "%s r%d %s against the final plans: %.6f vs %.6f" b.Arm b.Replicate f.Party f.FinalPlanExpected f.FirstPlanExpected)
        }
        test "best-response rounds give the same bytes with 1 and 2 threads" {
            let sc = variant (only [ "fptp-rivals"; "pr-rivals" ]) 12000 2
            let a, b = Simulation.Run(sc, Nullable 1), Simulation.Run(sc, Nullable 2)
            Expect.equal (b.ToCsv()) (a.ToCsv()) "same results"
            Expect.equal (b.Summary().ToJsonString()) (a.Summary().ToJsonString()) "same summary, rounds included"
        }
        test "invalid rounds are refused with their JSON path, value and range" {
            let json (rounds: string) (campaigns: string) =
                sprintf """{ "name": "x", "electorate": { "preset": "classroom", "voters": 2000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ],
                           "arms": [ { "name": "a", "rounds": %s, "campaigns": [ %s ] } ] }""" rounds campaigns
            let two = """{ "party": "Red", "budget": 10 }, { "party": "Blue", "budget": 10 }"""
            for bad in [ "0"; "21"; "2.5"; "\"four\""; "null" ] do
                let msg = parseError (json bad two)
                Expect.stringContains msg "$.arms[0].rounds" (sprintf "names the path for %s: %s" bad msg)
                Expect.stringContains msg "between 1 and 20" "states the range"
                Expect.stringContains msg bad "states the value"
            let msg = parseError (json "3" """{ "party": "Red", "budget": 10 }""")
            Expect.stringContains msg "$.arms[0].rounds" (sprintf "one campaign cannot answer itself: %s" msg)
            Expect.equal (Scenario.Parse(json "3" two).Arms.[0].Rounds) 3 "a valid value parses"
        }
    ]
