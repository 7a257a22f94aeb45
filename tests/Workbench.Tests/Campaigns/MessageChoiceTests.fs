/// Message choice: a campaign tests message variants and sends one; its true persuasion scales the campaign's persuasion.
module Workbench.Tests.Campaigns.MessageChoiceTests

open System
open Expecto
open Workbench.Campaigns
open Workbench.Experiments

let private scenario voters replicates = Scenario.Builtin("message-choice").With(replicates = Nullable replicates, voters = Nullable voters)

[<Tests>]
let tests =
    testList "Campaigns.MessageChoice" [
        test "arms see the same variants: the persuasion pick's factor is the largest in every replicate; without a message choice there is no factor" {
            let res = Simulation.Run(scenario 20000 3, Nullable 2)
            let factor arm r = (res.Spend |> Seq.find (fun s -> s.Arm = arm && s.Replicate = r)).MessageFactor
            for r in 0 .. 2 do
                let best = factor "persuasion" r
                Expect.isGreaterThan best 1.0 "the most persuasive variant beats the average one"
                for arm in [ "engagement"; "random" ] do Expect.isLessThanOrEqual (factor arm r) best (sprintf "%s in replicate %d" arm r)
            Expect.isTrue (Seq.forall (fun (s: SpendRow) -> Double.IsNaN s.MessageFactor) (Simulation.Run(Scenario.Builtin("classroom").With(replicates = Nullable 1, voters = Nullable 5000), Nullable 2).Spend)) "no message choice, no factor"
        }
        test "picking on clicks loses votes against the most persuasive message (shipped size, paired by replicate)" {
            let res = Simulation.Run(scenario 100000 4, Nullable 2)
            let c = res.Contrasts("persuasion", "engagement", "Red") |> Seq.head
            Expect.isGreaterThan c.ShareDifferencePoints.Low 0.0 (sprintf "persuasion minus engagement: %.3f (%.3f, %.3f) points" c.ShareDifferencePoints.Mean c.ShareDifferencePoints.Low c.ShareDifferencePoints.High)
        }
        test "the message block is validated with its JSON path" {
            let bad = """{ "name": "x", "electorate": { "preset": "classroom", "voters": 2000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ],
                           "campaigns": [ { "party": "Red", "budget": 10, "message": { "impressions": 5, "pickBy": "vibes" } } ] }"""
            let ex = Expect.throwsC (fun () -> Scenario.Parse bad |> ignore) id
            Expect.stringContains ex.Message "$.campaigns[0].message" (sprintf "names the path: %s" ex.Message)
            let small = """{ "name": "x", "electorate": { "preset": "classroom", "voters": 2000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ],
                           "campaigns": [ { "party": "Red", "budget": 10, "message": { "impressions": 5 } } ] }"""
            let ex2 = Expect.throwsC (fun () -> Scenario.Parse small |> ignore) id
            Expect.stringContains ex2.Message "impressions" (sprintf "names the field: %s" ex2.Message)
        }
    ]
