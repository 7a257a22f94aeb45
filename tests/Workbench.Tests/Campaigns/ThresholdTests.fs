/// A party near a national threshold: the allocator values the chance of crossing it.
module Workbench.Tests.Campaigns.ThresholdTests

open System
open Expecto
open Workbench.Campaigns
open Workbench.Experiments

[<Tests>]
let tests =
    testList "Campaigns.Threshold" [
        test "ThresholdFactor: exactly 1 far above the threshold, 0 far below, largest near it; the probability is the normal CDF" {
            Expect.equal (CampaignEngine.ThresholdFactor(0.13, 0.05, 0.01)) 1.0 "safely above: unchanged value (existing scenarios keep their bytes)"
            Expect.equal (CampaignEngine.ThresholdFactor(0.001, 0.05, 0.005)) 0.0 "hopelessly below: no list seats to win"
            let near = CampaignEngine.ThresholdFactor(0.05, 0.05, 0.01)
            Expect.floatClose Accuracy.medium near (0.5 + 0.05 * 0.3989422804 / 0.01) "at the threshold: Φ(0) + share·φ(0)/sd"
            Expect.isGreaterThan near 2.0 "a vote at the threshold is worth several times a vote far above it"
            Expect.floatClose Accuracy.medium (CampaignEngine.ThresholdProbability(0.06, 0.05, 0.01)) 0.8413447 "Φ(1)"
        }
        test "the threshold-party scenario: targeting for MMP seats wins the FDP more votes than broadcasting the same budget" {
            let res = Simulation.Run(Scenario.Builtin("threshold-party"), Nullable 2)
            let c = res.Contrasts("targeted", "broadcast", "FDP") |> Seq.find (fun c -> c.System = "MMP")
            Expect.isGreaterThan c.ShareDifferencePoints.Low 0.0 (sprintf "targeted − broadcast: %.3f (%.3f, %.3f) points" c.ShareDifferencePoints.Mean c.ShareDifferencePoints.Low c.ShareDifferencePoints.High)
            let baseShare = res.Rows |> Seq.filter (fun r -> r.Arm = "baseline" && r.Party = "FDP" && r.System = "MMP") |> Seq.averageBy (fun r -> r.Share)
            Expect.isTrue (baseShare > 0.045 && baseShare < 0.05) (sprintf "the FDP starts just under 5%% (%.4f)" baseShare)
        }
    ]
