module Workbench.Tests.Networks.NetworksTests

open System
open Expecto
open Workbench.Networks

let private run model (g: Graph) (p: OpinionParameters) (seed: int) threads =
    Opinions.Run(model, g, Opinions.Uniform(g.NodeCount, seed), p, seed, threads)

[<Tests>]
let graphs =
    testList "Networks.Graphs" [
        test "CSR from edges: symmetric, sorted, no self-loops or duplicates" {
            let g = Graph.FromEdges(4, [| struct (0, 1); struct (1, 0); struct (2, 2); struct (1, 3); struct (3, 1) |] |> Array.map (fun (struct (a, b)) -> struct (a, b)))
            Expect.equal g.EdgeCount 2L "two edges"
            Expect.equal [ for k in 0 .. g.Degree 1 - 1 -> g.Neighbour(1, k) ] [ 0; 3 ] "neighbours of 1"
            Expect.equal (g.Degree 2) 0 "self-loop dropped"
            // Every node: neighbours strictly increasing (sorted, no duplicates), never itself, and each tie listed at both ends —
            // also for ties given in one direction only.
            let neighbours (g: Graph) u = [ for k in 0 .. g.Degree u - 1 -> g.Neighbour(u, k) ]
            let oneWay = Graph.FromEdges(5, [| struct (4, 0); struct (2, 3); struct (3, 2); struct (0, 2); struct (4, 4); struct (0, 4) |])
            Expect.equal oneWay.EdgeCount 3L "three distinct ties"
            Expect.equal (neighbours oneWay 0) [ 2; 4 ] "neighbours of 0 (0–4 given both ways, 0–2 one way)"
            Expect.equal (neighbours oneWay 2) [ 0; 3 ] "neighbours of 2 (2–0 only given as 0–2)"
            for graph in [ g; oneWay; Graph.ErdosRenyi(500, 6.0, 4) ] do
                for u in 0 .. graph.NodeCount - 1 do
                    let ns = neighbours graph u
                    Expect.isTrue (ns |> List.pairwise |> List.forall (fun (a, b) -> a < b)) $"neighbours of {u} sorted without duplicates: {ns}"
                    Expect.isFalse (List.contains u ns) $"no self-loop at {u}"
                    for v in ns do Expect.contains (neighbours graph v) u $"symmetric: {u}–{v} listed at {v} too"
        }
        test "Erdős–Rényi mean degree is close to the target (10,000 nodes, degree 10: SE ≈ 0.03, tolerance 0.2)" {
            let g = Graph.ErdosRenyi(10_000, 10.0, 1)
            Expect.floatClose { absolute = 0.2; relative = 0.0 } g.MeanDegree 10.0 "mean degree"
        }
        test "Watts–Strogatz keeps n·k/2 edges; Barabási–Albert has about n·m edges and a hub" {
            let ws = Graph.WattsStrogatz(1000, 10, 0.1, 2)
            Expect.equal ws.EdgeCount (1000L * 10L / 2L) "rewiring moves ties, never adds or drops one: exactly n·k/2"
            let ba = Graph.BarabasiAlbert(2000, 3, 3)
            Expect.isGreaterThan ba.EdgeCount 5900L "about 6000 edges"
            let maxDeg = Seq.init ba.NodeCount ba.Degree |> Seq.max
            Expect.isGreaterThan maxDeg 40 "preferential attachment makes hubs"
        }
        test "same seed, same graph" {
            let a, b = Graph.ErdosRenyi(2000, 8.0, 5), Graph.ErdosRenyi(2000, 8.0, 5)
            Expect.sequenceEqual a.Targets b.Targets "identical"
        }
    ]

[<Tests>]
let dynamics =
    testList "Networks.Dynamics" [
        // Deffuant et al. (2000, Adv. Complex Syst. 3(1)): on a complete graph the number of major
        // clusters is about ⌊1/(2ε)⌋. Tolerance ±1 (the rule is approximate; small ε leaves extra minor clusters).
        for eps in [ 0.1; 0.2; 0.3 ] do
            test $"Deffuant, complete graph, ε = {eps}: major clusters ≈ ⌊1/(2ε)⌋" {
                let r = run OpinionModel.Deffuant (Graph.Complete 1000) (OpinionParameters(Epsilon = eps, Steps = 2000)) 1 1
                let expected = int (floor (1.0 / (2.0 * eps)))
                Expect.isLessThanOrEqual (abs (r.Metrics.MajorClusters - expected)) 1 $"clusters {r.Metrics.MajorClusters} vs {expected}"
            }
        test "Hegselmann–Krause reaches consensus above the known ε (0.3 > ≈0.19 on a complete graph)" {
            let r = run OpinionModel.HegselmannKrause (Graph.Complete 500) (OpinionParameters(Epsilon = 0.3, Steps = 200)) 1 2
            Expect.isTrue r.Converged "converged"
            Expect.equal r.Metrics.MajorClusters 1 "consensus"
        }
        test "Algorithmic bias (Sîrbu et al. 2019): γ > 0 gives more clusters, more polarisation, slower convergence than γ = 0" {
            // Averaged over 3 seeded replicates, complete graph of 300, ε = 0.32 (consensus without bias).
            let avg gamma =
                let runs = [ for s in 1 .. 3 -> run OpinionModel.AlgorithmicBias (Graph.Complete 300) (OpinionParameters(Epsilon = 0.32, Gamma = gamma, Steps = 3000)) s 1 ]
                (runs |> List.averageBy (fun r -> float r.Metrics.MajorClusters)),
                (runs |> List.averageBy (fun r -> r.Metrics.Variance)),
                (runs |> List.averageBy (fun r -> float r.Steps))
            let c0, v0, s0 = avg 0.0
            let c1, v1, s1 = avg 1.5
            Expect.isGreaterThan c1 c0 "more clusters"
            Expect.isGreaterThan v1 v0 "higher variance"
            Expect.isGreaterThan s1 s0 "slower convergence"
        }
        test "synchronous HK: 1 and 2 threads give identical opinions" {
            let g = Graph.ErdosRenyi(20_000, 10.0, 9)
            let p = OpinionParameters(Epsilon = 0.2, Steps = 20)
            let a, b = run OpinionModel.HegselmannKrause g p 4 1, run OpinionModel.HegselmannKrause g p 4 2
            Expect.sequenceEqual a.Opinions b.Opinions "identical"
        }
        test "asynchronous runs are reproducible for a seed" {
            let g = Graph.WattsStrogatz(500, 6, 0.1, 1)
            let p = OpinionParameters(Epsilon = 0.25, Steps = 50)
            Expect.sequenceEqual (run OpinionModel.Deffuant g p 7 1).Opinions (run OpinionModel.Deffuant g p 7 1).Opinions "same"
        }
        test "the voter model ends in fewer opinions than it starts with" {
            let r = run OpinionModel.Voter (Graph.Complete 200) (OpinionParameters(Steps = 400)) 1 1
            Expect.isLessThan (r.Opinions |> Seq.distinct |> Seq.length) 50 "coarsening"
        }
        test "bad parameters are refused, naming the parameter" {
            let ex = Expect.throwsC (fun () -> run OpinionModel.Deffuant (Graph.Complete 10) (OpinionParameters(Mu = 0.9)) 1 1 |> ignore) id
            Expect.stringContains ex.Message "mu" "names mu"
        }
        test "the convergence window: 0 and 1 stop at the first quiet step; k waits for k quiet steps in a row" {
            let g = Graph.Complete 60
            let p = OpinionParameters(Epsilon = 1.0, Steps = 5000)
            let first = run OpinionModel.Deffuant g p 3 1
            Expect.isTrue first.Converged "converges"
            let one = run OpinionModel.Deffuant g (OpinionParameters(Epsilon = 1.0, Steps = 5000, SteadySteps = 1)) 3 1
            Expect.equal one.Steps first.Steps "1 is the default rule"
            Expect.sequenceEqual one.Opinions first.Opinions "same opinions"
            let windowed = run OpinionModel.Deffuant g (OpinionParameters(Epsilon = 1.0, Steps = 5000, SteadySteps = 25)) 3 1
            Expect.isTrue windowed.Converged "converges with a window too"
            Expect.isGreaterThanOrEqual windowed.Steps (first.Steps + 24) "waits for 25 quiet steps in a row"
            let capped = run OpinionModel.Deffuant g (OpinionParameters(Epsilon = 1.0, Steps = first.Steps + 5, SteadySteps = 25)) 3 1
            Expect.isFalse capped.Converged "a window longer than the steps left does not converge"
        }
        test "algorithmic bias on a small complete graph (remembered weights) gives the bytes of the same graph as a list of ties" {
            let n = 80
            let k = Graph.Complete n
            let listed = Graph.FromEdges(n, [| for a in 0 .. n - 1 do for b in a + 1 .. n - 1 -> struct (a, b) |])
            for gamma, floor in [ 1.0, 1e-4; 1.6, 1e-4; 1.6, 1e-5; 2.5, 1e-3 ] do
                let p = OpinionParameters(Epsilon = 0.5, Gamma = gamma, BiasFloor = floor, Steps = 400, Tolerance = 0.0, RecordMetrics = false)
                let a = run OpinionModel.AlgorithmicBias k p 5 1
                let b = run OpinionModel.AlgorithmicBias listed p 5 1
                Expect.equal a.Steps b.Steps $"same steps (γ {gamma}, floor {floor})"
                Expect.sequenceEqual a.Opinions b.Opinions $"same opinions (γ {gamma}, floor {floor})"
        }
        test "the bias floor decides how strongly identical opinions hold together, and is validated" {
            let g = Graph.Complete 100
            let clusters floor =
                [ for s in 1 .. 4 ->
                    let r = run OpinionModel.AlgorithmicBias g (OpinionParameters(Epsilon = 0.5, Gamma = 1.6, BiasFloor = floor, Steps = 3000, SteadySteps = 1000, RecordMetrics = false)) s 1
                    float r.Metrics.Clusters ] |> List.average
            // A coarse floor (0.01) caps the weight of identical opinions at 10^3.2 and lets groups merge; 10⁻⁵ (10⁸) keeps them apart.
            Expect.isLessThan (clusters 1e-2) (clusters 1e-5) "a coarser floor merges more"
            let ex = Expect.throwsC (fun () -> run OpinionModel.AlgorithmicBias g (OpinionParameters(Gamma = 1.0, BiasFloor = 0.0)) 1 1 |> ignore) id
            Expect.stringContains ex.Message "biasFloor" "names the floor"
        }
    ]

[<Tests>]
let electorateGraph =
    testList "Networks.ElectorateGraph" [
        let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 20000, Nullable 1, Nullable 2)
        test "household members are all tied; layers are deterministic for a seed" {
            let a = ElectorateGraph.Build(e, seed = 3)
            let b = ElectorateGraph.Build(e, seed = 3)
            Expect.sequenceEqual a.All.Targets b.All.Targets "same graph"
            for i in 1 .. e.VoterCount - 1 do
                if e.Household.[i] = e.Household.[i - 1] then
                    Expect.isTrue (Seq.exists (fun k -> a.Household.Neighbour(i, k) = i - 1) [ 0 .. a.Household.Degree i - 1 ]) "tied to housemate"
        }
        test "more online homophily, less cross-cutting exposure" {
            let cross h =
                let g = ElectorateGraph.Build(e, ElectorateGraphOptions(PartyHomophily = h), 5)
                ElectorateGraph.CrossCuttingShare(g.Online, ReadOnlySpan e.SincereVote)
            let low, high = cross 0.0, cross 0.9
            Expect.isLessThan high (low - 0.3) $"cross-cutting {low:F2} -> {high:F2}"
        }
    ]
