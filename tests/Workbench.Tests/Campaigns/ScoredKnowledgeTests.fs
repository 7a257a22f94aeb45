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
        }
    ]
