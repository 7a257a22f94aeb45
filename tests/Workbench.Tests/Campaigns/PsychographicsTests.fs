/// Psychographic targeting: personality inferred from the digital footprint, congruent appeals, only where profiling is allowed.
module Workbench.Tests.Campaigns.PsychographicsTests

open System
open Expecto
open Workbench.Campaigns
open Workbench.Data
open Workbench.Experiments

[<Tests>]
let tests =
    testList "Campaigns.Psychographics" [
        test "inference: perfect accuracy recovers the true dominant trait, none is chance (1 in 5), and more footprint means better inference" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 20000, Nullable 4, Nullable 2)
            let truth = Psychographics.TrueDominant e
            let matchShare (inferred: byte[]) (keep: int -> bool) =
                let idx = [| for i in 0 .. e.VoterCount - 1 do if keep i then i |]
                float (idx |> Array.filter (fun i -> inferred.[i] = truth.[i]) |> Array.length) / float idx.Length
            let none = Psychographics.InferredDominant(e, 0.0, 1)
            Expect.floatClose { absolute = 0.02; relative = 0.0 } (matchShare none (fun _ -> true)) 0.2 "no accuracy: one in five"
            let youyou = Psychographics.InferredDominant(e, 0.56, 1)
            let small = matchShare youyou (fun i -> float e.DigitalFootprint.[i] < 0.5)
            let large = matchShare youyou (fun i -> float e.DigitalFootprint.[i] > 2.0)
            printfn "match share at r = 0.56: footprint < 0.5 %.3f, > 2 %.3f, all %.3f" small large (matchShare youyou (fun _ -> true))
            Expect.isGreaterThan large (small + 0.05) "a larger digital footprint is inferred better"
            Expect.isGreaterThan (matchShare youyou (fun _ -> true)) 0.3 "better than chance"
            let f, mean, share = Psychographics.Factors(e, 0.56, 0.4, 1).ToTuple()
            Expect.floatClose Accuracy.medium (Array.averageBy float f) 1.0 "factors average to 1"
            Expect.floatClose Accuracy.high mean (1.0 + 0.4 * share) "the campaign's expected gain"
        }
        test "where profiling is forbidden (eu-gdpr, or a human-scale regulation) the psychographic arm is the ordinary campaign, byte for byte" {
            Expect.isFalse (DataRegime.Preset "eu-gdpr").Profiling "eu-gdpr forbids profiling"
            Expect.isTrue (DataRegime.Preset "uk-like").Profiling "uk-like allows it"
            Expect.isFalse (Workbench.Regulation.RegulationSpec(AllowedTargeting = [| "age" |]).Apply(DataRegime.Preset "uk-like")).Profiling "human scale forbids it"
            let res = Simulation.Run(Scenario.Builtin("psychographics").WithRegime("eu-gdpr").With(replicates = Nullable 2, voters = Nullable 20000), Nullable 2)
            let rows arm = res.Rows |> Seq.filter (fun r -> r.Arm = arm) |> Seq.map (fun r -> r.Replicate, r.System, r.Party, r.Votes, r.Seats) |> List.ofSeq
            Expect.equal (rows "psychographic") (rows "ordinary") "same votes and seats"
            Expect.equal (rows "scored-psychographic") (rows "scored") "with scores too"
            Expect.notEqual (rows "scored") (rows "ordinary") "the scored pair is another campaign"
            Expect.isTrue (res.Spend |> Seq.forall (fun s -> Double.IsNaN s.PersonalityMatch)) "not used"
        }
        test "with a congruence gain (optimistic preset) psychographics adds Red votes over the same campaign without it, on the same draws" {
            let res = Simulation.Run(Scenario.Builtin("psychographics").WithEvidence("optimistic").With(replicates = Nullable 6, voters = Nullable 20000), Nullable 2)
            let c = res.Contrasts("psychographic", "ordinary", "Red") |> Seq.head
            Expect.isGreaterThan c.ShareDifferencePoints.Low 0.0 (sprintf "share difference %.3f (%.3f, %.3f)" c.ShareDifferencePoints.Mean c.ShareDifferencePoints.Low c.ShareDifferencePoints.High)
            let pess = Simulation.Run(Scenario.Builtin("psychographics").WithEvidence("pessimistic").With(replicates = Nullable 2, voters = Nullable 20000), Nullable 2)
            let rows arm = pess.Rows |> Seq.filter (fun r -> r.Arm = arm) |> Seq.map (fun r -> r.Replicate, r.System, r.Party, r.Votes) |> List.ofSeq
            Expect.equal (rows "psychographic") (rows "ordinary") "no gain (pessimistic): the same results"
        }
        test "arms with the same campaign draw the same random numbers (common random numbers across arms)" {
            let sc = Scenario.Parse("""{ "name": "crn", "electorate": { "preset": "classroom", "voters": 5000 }, "regime": "us-like",
                "systems": [ { "name": "FPTP", "type": "fptp" } ],
                "arms": [ { "name": "a", "campaigns": [ { "party": "Red", "budget": 300, "channels": ["canvass", "paid-social"] } ] },
                          { "name": "b", "campaigns": [ { "party": "Red", "budget": 300, "channels": ["canvass", "paid-social"] } ] } ],
                "replicates": 2, "seed": 3 }""")
            let res = Simulation.Run(sc, Nullable 2)
            let rows arm = res.Rows |> Seq.filter (fun r -> r.Arm = arm) |> Seq.map (fun r -> r.Replicate, r.Party, r.Votes, r.Seats, r.Spend) |> List.ofSeq
            Expect.equal (rows "b") (rows "a") "identical arms, identical results"
        }
    ]
