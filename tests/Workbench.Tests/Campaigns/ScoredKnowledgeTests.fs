/// Scores drive targeting: a campaign with "knowledge": "scored" estimates support and turnout with chapter 04's ML.NET
/// scores instead of stratified poll means; the scored-targeting scenario compares the two on the same draws.
module Workbench.Tests.Campaigns.ScoredKnowledgeTests

open System
open Expecto
open Workbench.Campaigns
open Workbench.Data
open Workbench.Experiments

let private scenario regime voters replicates =
    Scenario.Builtin("scored-targeting").WithRegime(regime).With(replicates = Nullable replicates, voters = Nullable voters)

[<Tests>]
let tests =
    testList "Campaigns.ScoredKnowledge" [
        test "WithScores replaces the sponsor's support and turnout, keeps the other parties' proportions and non-standing zeros" {
            let e = Workbench.Electorate.Electorates.Generate("westminster-like", Nullable 7000, Nullable 3, Nullable 2)
            let k = CampaignKnowledge.Build(e, DataRegime.Preset "us-like", 5)
            let n, P = e.VoterCount, e.PartyCount
            let support = Array.init n (fun i -> float32 ((i % 10) + 1) / 12.0f)
            let turnout = Array.init n (fun i -> float32 ((i % 7) + 1) / 8.0f)
            let s = k.WithScores(1, ReadOnlySpan support, ReadOnlySpan turnout)
            let mutable standingChecked = 0
            for i in 0 .. n - 1 do
                let o = int64 i * int64 P
                Expect.floatClose Accuracy.high (float s.Turnout.[i]) (float (max 0.01f (min 0.99f turnout.[i]))) "turnout is the score"
                if k.Support.[int o + 1] > 0.0f then
                    standingChecked <- standingChecked + 1
                    Expect.floatClose Accuracy.medium (float s.Support.[int o + 1]) (float support.[i]) "the sponsor's support is the score"
                    Expect.floatClose Accuracy.medium (Seq.sum [ for j in 0 .. P - 1 -> float s.Support.[int o + j] ]) 1.0 "a distribution"
                    for j in 0 .. P - 1 do
                        if j <> 1 && k.Support.[int o + j] = 0.0f then Expect.equal s.Support.[int o + j] 0.0f "a party not standing stays at zero"
                    let others = [ for j in 0 .. P - 1 do if j <> 1 && k.Support.[int o + j] > 0.0f then j ]
                    match others with
                    | a :: b :: _ -> Expect.floatClose Accuracy.medium (float (s.Support.[int o + a] / s.Support.[int o + b])) (float (k.Support.[int o + a] / k.Support.[int o + b])) "proportions kept"
                    | _ -> ()
                else
                    for j in 0 .. P - 1 do Expect.equal s.Support.[int o + j] k.Support.[int o + j] "where the sponsor does not stand the row is kept"
            Expect.isGreaterThan standingChecked 0 "checked somewhere"
            Expect.throwsT<ArgumentException> (fun () -> k.WithScores(1, ReadOnlySpan(Array.zeroCreate<float32> 3), ReadOnlySpan turnout) |> ignore) "one score per voter"
        }
        test "scored knowledge estimates turnout far better and targets more precisely than stratified means where turnout data are allowed (us-like)" {
            // The vote difference itself is small at the shipped size (with common random numbers across arms, about 0.05
            // points with an interval touching zero at 8 replicates): chapter 04 prints it with its interval; the test holds
            // what is robust — the quality of the estimates and of the targeting they drive.
            let res = Simulation.Run(scenario "us-like" 100000 4, Nullable 2)
            let mean arm (f: SpendRow -> float) = res.Spend |> Seq.filter (fun s -> s.Arm = arm) |> Seq.averageBy f
            Expect.isGreaterThan (mean "scored" (fun s -> s.TurnoutCorrelation)) (mean "stratified" (fun s -> s.TurnoutCorrelation) + 0.2) "turnout correlation with the truth"
            Expect.isGreaterThan (mean "scored" (fun s -> s.SupportAuc)) 0.6 "the support ranking is informative"
            Expect.isGreaterThan (mean "scored" (fun s -> s.Precision)) (mean "stratified" (fun s -> s.Precision) + 0.05) "contacts on target, judged with the truth"
            let share = (res.Contrasts("scored", "stratified", "Red") |> Seq.head).ShareDifferencePoints
            printfn "scored minus stratified vote share %.3f (%.3f, %.3f) points" share.Mean share.Low share.High
        }
        test "WithUplift keeps the estimates, holds the prediction for its sponsor only and refuses malformed predictions" {
            let e = Workbench.Electorate.Electorates.Generate("westminster-like", Nullable 7000, Nullable 3, Nullable 2)
            let k = CampaignKnowledge.Build(e, DataRegime.Preset "us-like", 5)
            let n = e.VoterCount
            let up = Array.init n (fun i -> float32 (i % 11 - 5) / 100.0f)
            let u = k.WithUplift(2, ReadOnlySpan up)
            Expect.isFalse k.HasUplift "the original knowledge is not changed"
            Expect.isTrue u.HasUplift "has an uplift model"
            Expect.equal u.UpliftSponsor 2 "for its sponsor"
            Expect.sequenceEqual u.Support k.Support "support kept"
            Expect.sequenceEqual u.Turnout k.Turnout "turnout kept"
            for i in [ 0; 7; n - 1 ] do Expect.equal (u.PredictedUplift i) (float up.[i]) "the prediction per voter"
            Expect.isTrue (Double.IsNaN(k.PredictedUplift 0)) "NaN without a model"
            let h = u.WithHouseEffect(0.02, Nullable 4)
            Expect.isTrue (h.HasUplift && h.UpliftSponsor = 2) "a house effect keeps the uplift model"
            Expect.throwsT<ArgumentException> (fun () -> k.WithUplift(2, ReadOnlySpan(Array.zeroCreate<float32> 3)) |> ignore) "one prediction per voter"
            Expect.throwsT<ArgumentException> (fun () -> k.WithUplift(2, ReadOnlySpan(Array.init n (fun i -> if i = 9 then nanf else 0.0f))) |> ignore) "finite"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> k.WithUplift(e.PartyCount, ReadOnlySpan up) |> ignore) "a party index"
        }
        test "the planner values persuasion by the uplift prediction: the choice model's own derivative reproduces its values, its negative reverses them" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 8000, Nullable 5, Nullable 2)
            let m = Workbench.Behaviour.ElectionDayModel(e, 1)
            let regime = DataRegime.Preset "us-like"
            let kn = CampaignKnowledge.Build(e, regime, 3)
            let data = VoterData.Open(e, regime)
            let P = e.PartyCount
            // A persuasion-only channel, valued on national vote share (the share-based part of the objective).
            let ch = Workbench.Behaviour.ChannelSpec(Name = "letters", Kind = Workbench.Behaviour.ChannelKind.DirectMail, Cost = 1.0, PersuasionEffect = 0.02)
            let spec = CampaignSpec(Party = e.PartyNames.[0], Budget = 1000.0, Objective = Objective.Votes)
            let values (k: CampaignKnowledge) =
                let ctx = CampaignEngine.Context(m, Workbench.Behaviour.ResponseModel m, k, data, null, 1UL, 1)
                let mutable costs = null
                (CampaignEngine.Values(ctx, spec, [| ch |], 0, &costs)).[0]
            let plain = values kn
            let derivative sign = Array.init e.VoterCount (fun i -> let ps = kn.Support.[i * P] in sign * ps * (1.0f - ps))
            let same = values (kn.WithUplift(0, ReadOnlySpan(derivative 1.0f)))
            let reversed = values (kn.WithUplift(0, ReadOnlySpan(derivative -1.0f)))
            Expect.isGreaterThan (plain |> Array.filter (fun v -> v > 0.0) |> Array.length) 100 "the channel persuades"
            for i in 0 .. e.VoterCount - 1 do
                Expect.floatClose { absolute = 1e-12; relative = 1e-5 } same.[i] plain.[i] "the model's derivative gives the model's values"
                Expect.floatClose { absolute = 1e-12; relative = 1e-5 } reversed.[i] (-plain.[i]) "a negative prediction makes contacts worth less than nothing"
            // Another party's uplift model is not this campaign's.
            let other = values (kn.WithUplift(1, ReadOnlySpan(derivative -1.0f)))
            Expect.sequenceEqual other plain "only the sponsor's model is read"
        }
        test "an uplift campaign pays for its test mail, reports its model's correlation with the truth, and its prediction moves the money" {
            // uplift-targeting at 20,000 voters (budgets as written, not scaled): a default test of 4,000 voters, about 2,000
            // of them mailed at 0.75 each.
            let json (extra: System.Text.Json.Nodes.JsonObject option) =
                let root = System.Text.Json.Nodes.JsonNode.Parse(Scenario.Builtin("uplift-targeting").SelfContainedJson).AsObject()
                root.["electorate"].["voters"] <- System.Text.Json.Nodes.JsonValue.Create 20000
                root.["replicates"] <- System.Text.Json.Nodes.JsonValue.Create 1
                extra |> Option.iter (fun a -> root.["arms"].AsArray().Add a)
                Scenario.Parse(root.ToJsonString())
            let res = Simulation.Run(json None, Nullable 2)
            let row (r: SimulationResult) arm = r.Spend |> Seq.find (fun s -> s.Arm = arm)
            let up, big, scored = row res "uplift", row res "uplift-50k", row res "scored"
            Expect.isTrue (up.UpliftTestCost > 1300.0 && up.UpliftTestCost < 1700.0) (sprintf "about 2,000 letters: %g" up.UpliftTestCost)
            Expect.floatClose Accuracy.high (up.UpliftTestCost / 0.75) (round (up.UpliftTestCost / 0.75)) "a whole number of letters at the direct-mail cost"
            Expect.isGreaterThan big.UpliftTestCost (up.UpliftTestCost * 4.0) "a test of the whole electorate (50,000 capped at 20,000 voters) costs about five times as much"
            Expect.isLessThanOrEqual (up.Spend + up.UpliftTestCost) (60000.0 + 1.0) "the test is paid out of the budget"
            Expect.isTrue (Double.IsFinite up.UpliftCorrelation && Double.IsFinite big.UpliftCorrelation) "the model's quality is reported"
            Expect.isTrue (Double.IsNaN scored.UpliftCorrelation && scored.UpliftTestCost = 0.0) "no uplift model, no correlation and no test"
            Expect.stringContains (res.Summary().ToJsonString()) "\"upliftCorrelation\"" "the summary reports it"
            // The same scored campaign with exactly the budget the uplift campaign had left plans differently: the prediction,
            // not only the smaller budget, moves the money.
            let matched = System.Text.Json.Nodes.JsonNode.Parse("""{ "name": "scored-same-budget", "campaigns": [ { "party": "Red", "strategy": "microtarget",
                "optimiseFor": "FPTP", "knowledge": "scored", "channels": [ "paid-social", "canvass" ] } ] }""").AsObject()
            matched.["campaigns"].[0].["budget"] <- System.Text.Json.Nodes.JsonValue.Create(60000.0 - up.UpliftTestCost)
            let res2 = Simulation.Run(json (Some matched), Nullable 2)
            let a, b = row res2 "uplift", row res2 "scored-same-budget"
            Expect.equal (a.Spend, a.UpliftTestCost) (up.Spend, up.UpliftTestCost) "adding an arm changes no other arm"
            let moved = Seq.map2 (fun (x: float) y -> abs (x - y)) a.ByConstituency b.ByConstituency |> Seq.sum
            Expect.isGreaterThan moved (0.01 * b.Spend) (sprintf "targeting by predicted uplift spends elsewhere: %.0f of %.0f moved" moved b.Spend)
        }
        test "where the regime allows no poll or canvass data no uplift model can be trained, and the campaign plans exactly as a scored one" {
            let regime = System.Text.Json.Nodes.JsonNode.Parse(DataRegime.Preset("us-like").ToJson()).AsObject()
            regime.["name"] <- System.Text.Json.Nodes.JsonValue.Create "no-polls"
            regime.["allowedSources"] <- System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonValue.Create "voter-file", System.Text.Json.Nodes.JsonValue.Create "consumer-data")
            let root = System.Text.Json.Nodes.JsonNode.Parse(Scenario.Builtin("uplift-targeting").With(replicates = Nullable 1, voters = Nullable 10000).SelfContainedJson).AsObject()
            root.["regime"] <- regime
            let res = Simulation.Run(Scenario.Parse(root.ToJsonString()), Nullable 1)
            let rows arm = res.Rows |> Seq.filter (fun r -> r.Arm = arm) |> Seq.map (fun r -> r.System, r.Party, r.Votes, r.Seats) |> Seq.toArray
            Expect.isNonEmpty (rows "uplift") "ran"
            Expect.sequenceEqual (rows "uplift") (rows "scored") "same votes and seats"
            let spend arm = res.Spend |> Seq.filter (fun s -> s.Arm = arm) |> Seq.map (fun s -> s.Spend) |> Seq.toArray
            Expect.sequenceEqual (spend "uplift") (spend "scored") "no test mail was sent"
            Expect.sequenceEqual (rows "uplift-50k") (rows "scored") "whatever the test size asked for"
        }
        test "a scored campaign gives the same bytes whatever the thread count" {
            let sc = scenario "uk-like" 8000 2
            Expect.equal (Simulation.Run(sc, Nullable 1).ToCsv()) (Simulation.Run(sc, Nullable 2).ToCsv()) "same results"
        }
        test "\"knowledge\" parses, defaults to stratified and rejects unknown models with the JSON path" {
            Expect.equal (Scenario.Builtin("classroom").Arms.[0].Campaigns.[0].Knowledge) KnowledgeModel.Stratified "default"
            Expect.equal ((scenario "us-like" 8000 1).Arms.[1].Campaigns.[0].Knowledge) KnowledgeModel.Scored "scored arm"
            let bad = """{ "name": "x", "electorate": { "preset": "classroom", "voters": 2000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ],
                           "campaigns": [ { "party": "Red", "budget": 10, "knowledge": "psychic" } ] }"""
            let ex = Expect.throwsC (fun () -> Scenario.Parse bad |> ignore) id
            Expect.stringContains ex.Message "$.campaigns[0].knowledge" "names the path"
            let misplaced = bad.Replace("\"knowledge\": \"psychic\"", "\"knowledge\": \"scored\", \"upliftTestSize\": 5000")
            let ex2 = Expect.throwsC (fun () -> Scenario.Parse misplaced |> ignore) id
            Expect.stringContains ex2.Message "$.campaigns[0].upliftTestSize" "a test size needs an uplift model"
            let tiny = bad.Replace("\"knowledge\": \"psychic\"", "\"knowledge\": \"uplift\", \"upliftTestSize\": 50")
            let ex3 = Expect.throwsC (fun () -> Scenario.Parse tiny |> ignore) id
            Expect.stringContains ex3.Message "$.campaigns[0].upliftTestSize" "and at least 100 voters"
            Expect.equal ((Scenario.Builtin "uplift-targeting").Arms.[2].Campaigns.[0].UpliftTestSize) (Nullable 50000) "parsed"
        }
    ]
