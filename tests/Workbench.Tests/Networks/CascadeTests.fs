module Workbench.Tests.Networks.CascadeTests

open System
open Expecto
open Workbench.Networks

/// Two communities of 500 (opinions 0.1 and 0.9) joined by a few ties: a bubble-bound world.
let private twoCommunities homophily =
    let group = Array.init 1000 (fun i -> if i < 500 then 0 else 1)
    let g = Graph.HomophilousPreferentialAttachment(group, 4, homophily, 3)
    let x = group |> Array.map (fun b -> if b = 0 then 0.1 else 0.9)
    g, x

[<Tests>]
let cascades =
    testList "Networks.Cascades" [
        test "acceptance 1 on a connected graph reaches everyone; acceptance 0 reaches only the seeds' ties" {
            let g = Graph.WattsStrogatz(500, 6, 0.1, 1)
            let x = Array.create 500 0.5
            let all = Cascades.Earned(g, x, [| 0 |], 0.5, CascadeOptions(Acceptance = 1.0, DistanceDecay = 0.0), 2)
            Expect.equal all.ReachedShare 1.0 "everyone"
            Expect.equal all.Unreached 0 "no one left out"
            let none = Cascades.Earned(g, x, [| 0 |], 0.5, CascadeOptions(Acceptance = 0.0), 2)
            Expect.equal (none.FirstStep |> Seq.filter (fun s -> s >= 0) |> Seq.length) (1 + g.Degree 0) "the seed and its neighbours only"
            Expect.equal none.Shares 1L "only the seed shared"
        }
        test "earned media stays in its bubble; paid media reaches its targets whatever their opinion" {
            let g, x = twoCommunities 0.95
            let o = CascadeOptions(Acceptance = 0.6, DistanceDecay = 8.0)
            let earned = Cascades.Earned(g, x, [| 0 .. 9 |], 0.1, o, 4)
            Expect.isLessThan earned.OutsideBubbleShare 0.2 (sprintf "earned reach outside the bubble %.3f" earned.OutsideBubbleShare)
            let targets = [| 500 .. 599 |]
            let paid = Cascades.Paid(g, x, targets, 0.1, o, 4)
            Expect.isTrue (targets |> Array.forall (fun t -> paid.Exposures.[t] >= 1)) "every target saw the ad"
            Expect.isGreaterThan paid.OutsideBubbleShare 0.5 "paid content reaches out of the bubble"
            Expect.equal (Cascades.Earned(g, x, [| 0 .. 9 |], 0.1, o, 4)).Exposures earned.Exposures "same seed, same cascade"
        }
        test "sources: every reached node records the seed whose content reached it first" {
            let g = Graph.WattsStrogatz(300, 4, 0.0, 1)
            let r = Cascades.Earned(g, Array.create 300 0.5, [| 0; 150 |], 0.5, CascadeOptions(Acceptance = 1.0, DistanceDecay = 0.0), 1)
            Expect.equal r.Source.[1] 0 "near seed 0"
            Expect.equal r.Source.[151] 150 "near seed 150"
            Expect.isTrue (r.Source |> Seq.forall (fun s -> s = 0 || s = 150)) "only the two seeds"
        }
    ]

[<Tests>]
let metrics =
    testList "Networks.Metrics" [
        test "Gini: 0 for equal amounts, (n−1)/n when one holds everything, 0 for all zero" {
            Expect.equal (NetworkMetrics.Gini [| 3.0; 3.0; 3.0; 3.0 |]) 0.0 "equal"
            Expect.floatClose Accuracy.veryHigh (NetworkMetrics.Gini [| 0.0; 0.0; 0.0; 8.0 |]) 0.75 "one holds all"
            Expect.equal (NetworkMetrics.Gini [| 0.0; 0.0 |]) 0.0 "nothing to share"
        }
        test "the echo-chamber index is high on a homophilous graph and near zero on a random one" {
            let g, x = twoCommunities 0.95
            let echo = NetworkMetrics.EchoChamberIndex(g, x)
            let random = Graph.ErdosRenyi(1000, 8.0, 5)
            let flat = NetworkMetrics.EchoChamberIndex(random, x)
            Expect.isGreaterThan echo 0.8 (sprintf "homophilous %.3f" echo)
            Expect.isLessThan (abs flat) 0.15 (sprintf "random %.3f" flat)
            Expect.isLessThan (NetworkMetrics.ExposureDiversity(g, x)) (NetworkMetrics.ExposureDiversity(random, x)) "less diverse exposure in the bubble"
        }
    ]

[<Tests>]
let generators =
    testList "Networks.Generators" [
        test "stochastic block model: block densities match the parameters (SE-based tolerance)" {
            let p = array2D [ [ 0.05; 0.005 ]; [ 0.005; 0.02 ] ]
            let g = Graph.StochasticBlockModel([| 1000; 1000 |], p, 7)
            let count a b =
                let mutable c = 0L
                for i in 0 .. g.NodeCount - 1 do
                    for k in 0 .. g.Degree i - 1 do
                        let j = g.Neighbour(i, k)
                        if i < j && (i / 1000 = a && j / 1000 = b || i / 1000 = b && j / 1000 = a) then c <- c + 1L
                c
            let within0 = float (count 0 0) / (1000.0 * 999.0 / 2.0)
            let within1 = float (count 1 1) / (1000.0 * 999.0 / 2.0)
            let between = float (count 0 1) / (1000.0 * 1000.0)
            // Binomial SE of a density: sqrt(p(1−p)/pairs): 0.0003, 0.0002, 0.00007; tolerances about 4 SE.
            Expect.floatClose { absolute = 0.0012; relative = 0.0 } within0 0.05 "block 0"
            Expect.floatClose { absolute = 0.0008; relative = 0.0 } within1 0.02 "block 1"
            Expect.floatClose { absolute = 0.0003; relative = 0.0 } between 0.005 "between"
        }
        test "homophilous preferential attachment: most ties stay in the group; hubs still form" {
            let group = Array.init 2000 (fun i -> i % 2)
            let g = Graph.HomophilousPreferentialAttachment(group, 3, 0.9, 2)
            let mutable same, all = 0, 0
            for i in 0 .. g.NodeCount - 1 do
                for k in 0 .. g.Degree i - 1 do
                    all <- all + 1
                    if group.[g.Neighbour(i, k)] = group.[i] then same <- same + 1
            Expect.isGreaterThan (float same / float all) 0.85 "homophily"
            Expect.isGreaterThan (Seq.init g.NodeCount g.Degree |> Seq.max) 30 "hubs"
        }
        test "the electorate's online layer can be homophilous on age: more same-band ties than without" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 5000, Nullable 1, Nullable 2)
            let band i = let a = int e.Age.[i] in if a < 25 then 0 elif a < 35 then 1 elif a < 45 then 2 elif a < 55 then 3 elif a < 65 then 4 else 5
            let sameBand (o: ElectorateGraphOptions) =
                let g = (ElectorateGraph.Build(e, o, 3)).Online
                let mutable same, all = 0, 0
                for i in 0 .. g.NodeCount - 1 do
                    for k in 0 .. g.Degree i - 1 do
                        all <- all + 1
                        if band (g.Neighbour(i, k)) = band i then same <- same + 1
                float same / float all
            let off = sameBand (ElectorateGraphOptions(PartyHomophily = 0.0))
            let on = sameBand (ElectorateGraphOptions(PartyHomophily = 0.0, AgeHomophily = 0.8))
            Expect.isGreaterThan on (off + 0.3) (sprintf "same-age ties %.2f → %.2f" off on)
        }
    ]

/// The earned-media scenario at a test size, with network.cascade.ranking set (None: the field absent).
let private earnedMedia (ranking: string option) =
    let root = System.Text.Json.Nodes.JsonNode.Parse(Workbench.Experiments.Scenario.Builtin("earned-media").Json).AsObject()
    match ranking with
    | Some g ->
        let network =
            match root.["network"] with
            | null -> let n = System.Text.Json.Nodes.JsonObject() in root.["network"] <- n; n
            | n -> n.AsObject()
        let cascade =
            match network.["cascade"] with
            | null -> let c = System.Text.Json.Nodes.JsonObject() in network.["cascade"] <- c; c
            | c -> c.AsObject()
        cascade.["ranking"] <- System.Text.Json.Nodes.JsonNode.Parse g
    | None -> ()
    Workbench.Experiments.Scenario.Parse(root.ToJsonString()).With(replicates = Nullable 2, voters = Nullable 8000)

[<Tests>]
let ranking =
    testList "Networks.CascadeRanking" [
        test "ranking γ = 0 gives exactly the cascade of no ranking field" {
            let g, x = twoCommunities 0.7
            let plain = CascadeOptions(Acceptance = 0.5, DistanceDecay = 4.0)
            let a = Cascades.Earned(g, x, [| 0 .. 9 |], 0.1, plain, 5)
            let b = Cascades.Earned(g, x, [| 0 .. 9 |], 0.1, CascadeOptions(Acceptance = 0.5, DistanceDecay = 4.0, Ranking = 0.0), 5)
            Expect.equal b.Exposures a.Exposures "exposures"
            Expect.equal b.Source a.Source "sources"
            Expect.equal b.FirstStep a.FirstStep "first steps"
            Expect.equal (b.Shares, b.Steps, b.ReachedShare, b.OutsideBubbleShare, b.ExposureGini) (a.Shares, a.Steps, a.ReachedShare, a.OutsideBubbleShare, a.ExposureGini) "summaries"
        }
        test "on a homophilous graph a higher γ lowers the share of exposures outside the bubble" {
            // Opinions spread within each community so a sharer's neighbours differ in distance, and the post sits in community 0.
            let group = Array.init 1000 (fun i -> if i < 500 then 0 else 1)
            let g = Graph.HomophilousPreferentialAttachment(group, 4, 0.8, 3)
            let x = Array.init 1000 (fun i -> (if i < 500 then 0.05 else 0.55) + 0.4 * float (i % 50) / 49.0)
            let o = CascadeOptions(Acceptance = 0.9, DistanceDecay = 0.5, BubbleWidth = 0.3)
            let outside gamma =
                [ 1 .. 6 ] |> List.averageBy (fun s -> (Cascades.Earned(g, x, [| 0 .. 19 |], 0.25, CascadeOptions(Acceptance = o.Acceptance, DistanceDecay = o.DistanceDecay, BubbleWidth = o.BubbleWidth, Ranking = gamma), s)).OutsideBubbleShare)
            let o0, o2, o4 = outside 0.0, outside 2.0, outside 4.0
            Expect.isLessThan o2 o0 (sprintf "γ 0 → 2: outside share %.3f → %.3f" o0 o2)
            Expect.isLessThan o4 o2 (sprintf "γ 2 → 4: outside share %.3f → %.3f" o2 o4)
        }
        test "a ranked cascade in a scenario gives the same bytes on 1 and 2 threads, and differs from the unranked one" {
            let ranked = earnedMedia (Some "2")
            let one = Workbench.Experiments.Simulation.Run(ranked, Nullable 1)
            let two = Workbench.Experiments.Simulation.Run(ranked, Nullable 2)
            Expect.equal (two.ToCsv()) (one.ToCsv()) "thread count"
            let unranked = Workbench.Experiments.Simulation.Run(earnedMedia None, Nullable 2)
            let zero = Workbench.Experiments.Simulation.Run(earnedMedia (Some "0"), Nullable 2)
            Expect.equal (zero.ToCsv()) (unranked.ToCsv()) "ranking 0 is the unranked scenario"
            let contacted (r: Workbench.Experiments.SimulationResult) = r.Spend |> Seq.filter (fun s -> s.Arm = "owned-cascade") |> Seq.sumBy (fun s -> s.VotersContacted)
            Expect.notEqual (contacted one) (contacted unranked) "the ranking reached the cascade"
        }
        test "a ranking γ out of range is reported with its JSON path, value and range" {
            for bad in [ "-0.5"; "5.5" ] do
                let msg = try earnedMedia (Some bad) |> ignore; "" with :? Workbench.SpecValidationException as e -> e.Message
                Expect.stringContains msg "$.network.cascade.ranking" bad
                Expect.stringContains msg bad bad
                Expect.stringContains msg "[0, 5]" bad
            Expect.throws (fun () -> Cascades.Earned(Graph.Complete 3, [| 0.1; 0.2; 0.3 |], [| 0 |], 0.1, CascadeOptions(Ranking = 6.0), 1) |> ignore) "direct call"
        }
    ]
