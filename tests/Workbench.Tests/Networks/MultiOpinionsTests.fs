/// Opinion dynamics on several issue dimensions (MODEL.md §8).
module Workbench.Tests.Networks.MultiOpinionsTests

open System
open Expecto
open Workbench.Networks

let private p eps steps = OpinionParameters(Epsilon = eps, Steps = steps, Gamma = 1.5)

[<Tests>]
let tests =
    testList "Networks.MultiDimensional" [
        test "with one dimension every model gives exactly the one-dimensional result (same random numbers, same floating point)" {
            let g = Graph.ErdosRenyi(2000, 8.0, 3)
            // The one-dimensional runner has fast paths for CSR graphs (branch-free HK sweep; pairwise models with
            // look-ahead prefetching and the γ = 1 reciprocal); the multi-dimensional runner uses the plain loops, so
            // this also checks that the fast paths change nothing.
            for model, gamma in [ OpinionModel.Deffuant, 1.5; OpinionModel.AlgorithmicBias, 1.5; OpinionModel.AlgorithmicBias, 1.0; OpinionModel.AlgorithmicBias, 0.0
                                  OpinionModel.HegselmannKrause, 1.5; OpinionModel.DeGroot, 1.5; OpinionModel.Voter, 1.5 ] do
                let init = Opinions.Uniform(g.NodeCount, 7)
                let q = OpinionParameters(Epsilon = 0.3, Steps = 40, Gamma = gamma)
                let one = Opinions.Run(model, g, init, q, 9, 2)
                let multi = MultiOpinions.Run(model, g, MultiOpinions.Uniform(g.NodeCount, 1, 7), 1, q, 9, 2)
                Expect.sequenceEqual multi.Opinions one.Opinions (sprintf "%A γ=%g: identical opinions" model gamma)
                Expect.equal multi.Steps one.Steps (sprintf "%A γ=%g: identical steps" model gamma)
        }
        test "two dimensions: a wide confidence bound reaches consensus; a narrow one fragments more than in one dimension (Lorenz 2007)" {
            let g = Graph.Complete 1000
            let wide = MultiOpinions.Run(OpinionModel.Deffuant, g, MultiOpinions.Uniform(1000, 2, 1), 2, OpinionParameters(Epsilon = 0.9, Steps = 2000), 1)
            Expect.isTrue wide.Converged "converged"
            Expect.equal wide.Metrics.JointMajorClusters 1 "consensus on both issues"
            let narrow2 = MultiOpinions.Run(OpinionModel.Deffuant, g, MultiOpinions.Uniform(1000, 2, 1), 2, OpinionParameters(Epsilon = 0.2, Steps = 2000), 1)
            let narrow1 = Opinions.Run(OpinionModel.Deffuant, g, Opinions.Uniform(1000, 1), OpinionParameters(Epsilon = 0.2, Steps = 2000), 1)
            Expect.isGreaterThan narrow2.Metrics.JointMajorClusters narrow1.Metrics.MajorClusters "more opinion groups when agents must agree on two issues at once"
        }
        test "synchronous models in two dimensions: 1 and 2 threads give identical opinions" {
            let g = Graph.ErdosRenyi(20_000, 10.0, 9)
            let init = MultiOpinions.Uniform(g.NodeCount, 3, 4)
            let a = MultiOpinions.Run(OpinionModel.HegselmannKrause, g, init, 3, OpinionParameters(Epsilon = 0.3, Steps = 15), 4, 1)
            let b = MultiOpinions.Run(OpinionModel.HegselmannKrause, g, init, 3, OpinionParameters(Epsilon = 0.3, Steps = 15), 4, 2)
            Expect.sequenceEqual a.Opinions b.Opinions "identical"
        }
        test "metrics: joint clusters and issue alignment on constructed opinions" {
            // Two tight blobs at (0.2, 0.2) and (0.8, 0.8): 2 joint clusters, perfectly aligned issues.
            let x = [| for i in 0 .. 199 -> if i < 100 then [| 0.2 + float i * 1e-5; 0.2 + float i * 1e-5 |] else [| 0.8; 0.8 |] |] |> Array.concat
            let m = MultiOpinionMetrics.Of(x, 2)
            Expect.equal m.JointMajorClusters 2 "two groups"
            Expect.floatClose Accuracy.high m.Alignment 1.0 "aligned"
            // Independent uniform issues are nearly unaligned.
            let u = MultiOpinionMetrics.Of(MultiOpinions.Uniform(5000, 2, 3), 2)
            Expect.isLessThan u.Alignment 0.05 "independent issues: |r| < 0.05 at n = 5000"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> MultiOpinions.Run(OpinionModel.Deffuant, Graph.Complete 10, Array.zeroCreate 10, 0, OpinionParameters(), 1) |> ignore) "dimensions ≥ 1"
        }
    ]
