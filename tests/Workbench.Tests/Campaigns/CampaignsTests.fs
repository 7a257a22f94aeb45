module Workbench.Tests.Campaigns.CampaignsTests

open System
open System.Collections.Immutable
open System.IO
open Expecto
open Workbench
open Workbench.Campaigns
open Workbench.Experiments
open Workbench.Behaviour

let private repoRoot = Workbench.Notebooks.Tests.Repo.root

/// One electorate for the field-experiment replications: 300k voters of the classroom preset.
let private gotv = lazy (
    let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 300000, Nullable 11, Nullable 2)
    let m = ElectionDayModel(e, 2)
    m, ResponseModel m)

let private experiment name =
    let m, r = gotv.Value
    let res = FieldExperiments.Run(m, r, Channels.Get name, 0, 7, 20)
    printfn "field experiment %s: contact rate %.3f, complier effect %.4f ± %.4f, votes per contact %.1f, spillover %s"
        name res.ContactRate res.ComplierEffect res.StandardError res.VotesPerContact (if res.SpilloverShare.HasValue then sprintf "%.2f" res.SpilloverShare.Value else "n/a")
    res

/// A small scenario (classroom preset) as JSON, with a given Red budget and strategy.
let private small budget strategy =
    sprintf """{ "name": "small", "electorate": { "preset": "classroom", "voters": 20000 }, "regime": "uk-like",
  "systems": [ { "name": "FPTP", "type": "fptp" }, { "name": "Sainte-Laguë", "type": "list", "method": "sainte-lague", "districts": "regions" } ],
  "campaigns": [ { "party": "Red", "budget": %g, "strategy": "%s", "channels": ["canvass", "paid-social", "direct-mail"] },
                 { "party": "Blue", "budget": %g, "strategy": "broadcast", "channels": ["tv", "email"] } ],
  "replicates": 3, "seed": 5 }""" budget strategy budget

[<Tests>]
let replications =
    testList "Campaigns.FieldExperiments" [
        // The built-in channels carry the central evidence preset (EvidenceSet.Central): Green & Gerber's averages
        // discounted for a high-salience election — canvass 1 per 20, phone 1 per 50, mail 1 per 300.
        // Tolerances: the simulated experiment has a standard error of about 1.5% (canvass) to 15% (mail)
        // of the effect at 300k voters and 20 election-day draws; each bound is about two to three standard errors.
        test "door-to-door canvassing: 1 extra vote per 20 contacts under the central preset (Green & Gerber 2019, high salience), within 10%" {
            let r = experiment "canvass"
            Expect.isGreaterThan r.ContactRate 0.3 "a real share of doors answer"
            Expect.floatClose { absolute = 0.0; relative = 0.10 } r.VotesPerContact 20.0 "votes per contact"
        }
        test "volunteer phone banks: 1 per 50 under the central preset, within 15%" {
            let r = experiment "phone"
            Expect.floatClose { absolute = 0.0; relative = 0.15 } r.VotesPerContact 50.0 "votes per contact"
        }
        test "direct mail: 1 per 300 under the central preset, within 30%" {
            let r = experiment "direct-mail"
            Expect.floatClose { absolute = 0.0; relative = 0.30 } r.VotesPerContact 300.0 "votes per contact"
        }
        test "the optimistic preset is Green & Gerber's published average: canvassing 1 per 14, within 10%" {
            let m, r = gotv.Value
            let ch = Channels.For(EvidenceSet.Optimistic) |> Seq.find (fun c -> c.Name = "canvass")
            let res = FieldExperiments.Run(m, r, ch, 0, 7, 20)
            Expect.floatClose { absolute = 0.0; relative = 0.10 } res.VotesPerContact 14.0 "votes per contact"
        }
        test "social-pressure mail: +8.1 points (Gerber, Green & Larimer 2008), within 0.5 points" {
            let r = experiment "social-pressure-mail"
            Expect.floatClose { absolute = 0.005; relative = 0.0 } r.ComplierEffect 0.081 "complier effect"
        }
        test "household spillover of canvassing: 60% of the effect reaches the other members (Nickerson 2008), within 10 points" {
            let r = experiment "canvass"
            Expect.isTrue r.SpilloverShare.HasValue "multi-voter households exist"
            Expect.floatClose { absolute = 0.10; relative = 0.0 } r.SpilloverShare.Value 0.6 "spillover share"
        }
        test "robocalls and email do nothing (Green & Gerber 2019)" {
            for name in [ "robocall"; "email" ] do
                let r = experiment name
                Expect.isLessThan (abs r.ComplierEffect) (4.0 * r.StandardError + 1e-9) (name + " effect indistinguishable from zero")
        }
        test "persuasion calibration: paid social moves the sponsor's choice probability by 0.002 on the day seen under the central preset, 0.007 under the optimistic one (Coppock et al. 2020)" {
            let m, r = gotv.Value
            let ch = Channels.Get "paid-social"
            let resp = r.For(1, ch)
            Expect.isGreaterThan resp.Utility 0.0 "a positive utility shift"
            Expect.floatClose { absolute = 0.0005; relative = 0.0 } (Replications.Persuasion(m, r, "paid-social", 1)) 0.002 "mean change in P(sponsor), central"
            let opt = Channels.For(EvidenceSet.Optimistic) |> Seq.find (fun c -> c.Name = "paid-social")
            Expect.floatClose { absolute = 0.0005; relative = 0.0 } (Replications.Persuasion(m, r, opt, 1)) 0.007 "mean change in P(sponsor), optimistic"
            Expect.equal resp.TurnoutLogitOther 0.0 "central: paid social does not demobilise the other side's leaners (Aggarwal et al. 2023's average)"
            Expect.isLessThan (r.For(1, opt).TurnoutLogitOther) 0.0 "optimistic: it does, at their subgroup estimate"
        }
    ]

[<Tests>]
let scenarios =
    testList "Campaigns.Scenarios" [
        test "a campaign with zero budget changes nothing: identical results to the baseline in every replicate" {
            let res = Simulation.Run(Scenario.Parse(small 0.0 "microtarget"), Nullable 2)
            let baseline = res.Rows |> Seq.filter (fun r -> r.Arm = "baseline") |> Seq.map (fun r -> r.Replicate, r.System, r.Party, r.Votes, r.Seats, r.Turnout) |> List.ofSeq
            let arm = res.Rows |> Seq.filter (fun r -> r.Arm = "campaign") |> Seq.map (fun r -> r.Replicate, r.System, r.Party, r.Votes, r.Seats, r.Turnout) |> List.ofSeq
            Expect.equal arm.Length 30 "3 replicates × 2 systems × 5 parties"
            Expect.sequenceEqual arm baseline "same ballots"
            Expect.isTrue (res.Rows |> Seq.forall (fun r -> r.Spend = 0.0 && r.Contacts = 0L)) "nothing spent"
        }
        test "same scenario and seed: identical results.csv bytes for 1 and 2 threads" {
            let sc = Scenario.Parse(small 20000.0 "microtarget")
            let a = Simulation.Run(sc, Nullable 1).ToCsv()
            let b = Simulation.Run(sc, Nullable 2).ToCsv()
            Expect.equal b a "thread count does not matter"
            let c = Simulation.Run(sc.With(seed = Nullable 6), Nullable 2).ToCsv()
            Expect.notEqual c a "another seed gives other draws"
        }
        test "a funded campaign spends its budget, contacts voters and raises its own vote share on average" {
            let res = Simulation.Run(Scenario.Parse(small 20000.0 "microtarget"), Nullable 2)
            let red = res.Effects() |> Seq.find (fun e -> e.Party = "Red" && e.System = "FPTP")
            Expect.floatClose { absolute = 200.0; relative = 0.0 } red.Spend 20000.0 "the budget is spent (within one marginal unit)"
            Expect.isGreaterThan red.ShareChangePoints.Mean 0.0 "Red gains vote share"
            Expect.isGreaterThan red.VoteChange.Low 0.0 "and the 95% interval of extra votes excludes zero"
        }
        test "the shipped fptp-vs-pr scenario: the FPTP-optimised campaign puts well over a quarter of its spend in the closest quarter of seats" {
            let sc = Scenario.Load(Path.Combine(repoRoot, "notebooks", "scenarios", "fptp-vs-pr.json")).With(replicates = Nullable 2, voters = Nullable 100000)
            let res = Simulation.Run(sc, Nullable 2)
            let share arm = res.Spend |> Seq.filter (fun s -> s.Arm = arm) |> Seq.averageBy (fun s -> s.MarginalQuarterShare)
            Expect.isGreaterThan (share "fptp-optimised") 0.40 "concentrated in marginal seats"
            Expect.isGreaterThan (share "fptp-optimised") (share "pr-optimised") "more concentrated than the PR-optimised allocation"
            let fx = res.Effects() |> Seq.filter (fun e -> e.Party = "Red") |> Seq.map (fun e -> sprintf "%s/%s: %.2f seats per point" e.Arm e.System (defaultArg (Option.ofNullable e.SeatsPerPoint) nan)) |> String.concat "; "
            printfn "fptp-vs-pr (100k voters, 2 replicates): %s" fx
        }
        test "an invalid scenario lists every error with its JSON path" {
            let json = """{ "name": "bad", "electorate": { "preset": "classroom", "voters": 10 }, "regime": "nowhere-like",
              "systems": [ { "name": "X", "type": "stv" } ],
              "campaigns": [ { "party": "Mauve", "budget": -5, "channels": ["carrier-pigeon"] } ], "replicates": 0, "colour": 1 }"""
            let ex = Expect.throwsC (fun () -> Scenario.Parse json |> ignore) id
            let paths = (ex :?> SpecValidationException).Errors |> Seq.map (fun e -> e.Path) |> Set.ofSeq
            for p in [ "$.electorate.voters"; "$.regime"; "$.systems[0].type"; "$.campaigns[0].party"; "$.campaigns[0].budget"; "$.campaigns[0].channels[0]"; "$.replicates"; "$.colour" ] do
                Expect.contains paths p p
        }
        test "scenario channel overrides merge over the built-in channel" {
            let json = (small 100.0 "geographic").Replace("\"replicates\": 3", "\"replicates\": 1, \"channels\": [ { \"name\": \"canvass\", \"cost\": 9.5, \"capacity\": 1000 } ]")
            let sc = Scenario.Parse json
            let c = sc.Channel "canvass"
            Expect.equal c.Cost 9.5 "overridden"
            Expect.equal c.Capacity (Nullable 1000.0) "overridden"
            Expect.floatClose Accuracy.veryHigh c.TurnoutEffect (1.0 / 20.0) "kept from the built-in (central preset)"
        }
    ]

/// A classroom electorate of 20k voters with its election-day model, a regime, the data view and the campaign's knowledge.
let private setting seed regimeName =
    let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 20000, Nullable seed, Nullable 2)
    let regime = Workbench.Data.DataRegime.Preset regimeName
    e, ElectionDayModel(e, 1), regime, Workbench.Data.VoterData.Open(e, regime), CampaignKnowledge.Build(e, regime, 1)

[<Tests>]
let dataAndTargeting =
    testList "Campaigns.Regimes" [
        test "under the Germany-like regime microtargeting units are cells of at least 7 households, and estimates are cell-level" {
            let e, m, regime, data, kn = setting 3 "germany-like"
            Expect.isTrue (kn.Features |> Seq.forall (fun f -> f.Contains "cell mean")) "cell features only"
            let ctx = CampaignEngine.Context(m, ResponseModel m, kn, data, null, 1UL, 1)
            let mutable count = 0
            let units = CampaignEngine.Units(ctx, Strategy.Microtarget, Channels.Get "canvass", Array.zeroCreate e.VoterCount, &count)
            let households = units |> Array.mapi (fun i u -> u, e.Household.[i]) |> Array.distinct |> Array.countBy fst
            Expect.isTrue (households |> Array.forall (fun (_, h) -> h >= regime.MinimumUnitHouseholds)) "no unit below k households"
        }
        test "the campaign's support estimates are closer to the truth under the US-like regime than under the Germany-like one" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 40000, Nullable 4, Nullable 2)
            let m = ElectionDayModel(e, 2)
            let p = e.PartyCount
            let truth = Array.init e.VoterCount (fun i -> let a = Array.zeroCreate<float> p in m.Probabilities(i, Span a); a)
            let error name =
                let kn = CampaignKnowledge.Build(e, Workbench.Data.DataRegime.Preset name, 9)
                Seq.init e.VoterCount (fun i -> Seq.init p (fun j -> abs (float kn.Support.[i * p + j] - truth.[i].[j])) |> Seq.sum) |> Seq.average
            let us, de = error "us-like", error "germany-like"
            Expect.isLessThan us de (sprintf "mean absolute error: us-like %.4f, germany-like %.4f" us de)
        }
    ]

[<Tests>]
let messages =
    let space = lazy (
        let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 10000, Nullable 2, Nullable 2)
        MessageSpace(e, MessageSpaceSpec(Creatives = 10), 3))
    testList "Campaigns.Messages" [
        test "the space is issue × frame × tone × emotion × creative, and negative, angry content engages more while persuading less (MODEL.md §5)" {
            let s = space.Value
            Expect.equal s.Messages.Count (s.Electorate.IssueCount * 2 * 3 * 3 * 10) "variants"
            let mean (f: Message -> bool) (v: ImmutableArray<float>) = s.Messages |> Seq.filter f |> Seq.averageBy (fun m -> v.[m.Id])
            let neg (m: Message) = m.Tone = Tone.Negative && m.Emotion = Emotion.Anger
            let pos (m: Message) = m.Tone = Tone.Positive && m.Emotion = Emotion.Hope
            Expect.isGreaterThan (mean neg s.TrueEngagement) (mean pos s.TrueEngagement * 1.5) "outrage engages"
            Expect.isLessThan (mean neg s.TruePersuasion) (mean pos s.TruePersuasion) "but persuades less"
            Expect.floatClose { absolute = 0.002; relative = 0.0 } (s.TruePersuasion |> Seq.average) 0.0055 "mean persuasion ≈ 0.007 less the negative backlash on a third of variants"
        }
        test "bandits learn: epsilon-greedy and Thompson earn more clicks than an equal split; the equal split and Thompson pick a top-decile variant, epsilon-greedy one better than chance; none persuades like the best" {
            let s = space.Value
            let run strategy = AbTest.Run(s, strategy, 100000L, 7, 100)
            let u, eg, ts = run TestStrategy.Uniform, run TestStrategy.EpsilonGreedy, run TestStrategy.Thompson
            Expect.isLessThan eg.Regret u.Regret "epsilon-greedy regret below uniform"
            Expect.isLessThan ts.Regret u.Regret "Thompson regret below uniform"
            for r in [ u; ts ] do
                Expect.isLessThanOrEqual r.ChosenEngagementRank (s.Messages.Count / 10) (sprintf "%A picks an engaging variant" r.Strategy)
            for r in [ u; eg; ts ] do
                Expect.isLessThan r.ChosenPersuasion (0.6 * r.BestPersuasion) (sprintf "%A: engagement is not persuasion" r.Strategy)
            // Epsilon-greedy exploits whichever variant leads early, so on a given seed it can settle on a mediocre one
            // (Sutton & Barto 2018, §2.3): judge it over six seeds — the median rank of its picks must beat a random
            // pick's (half the variants).
            let ranks = [ for sd in 7 .. 12 -> (AbTest.Run(s, TestStrategy.EpsilonGreedy, 100000L, sd, 100)).ChosenEngagementRank ] |> List.sort
            let median = float (ranks.[2] + ranks.[3]) / 2.0
            Expect.isLessThan median (float s.Messages.Count / 2.0) $"epsilon-greedy picks (ranks {ranks}) beat chance"
            Expect.equal (run TestStrategy.Thompson).ImpressionsPerVariant ts.ImpressionsPerVariant "same seed, same test"
        }
    ]

[<Tests>]
let influencers =
    testList "Campaigns.Influencers" [
        test "influencer seeding reaches the seeds' online ties, mostly the sponsor's voters (homophily), within budget" {
            let e, m, _, data, kn = setting 8 "uk-like"
            let online = Workbench.Networks.ElectorateGraph.Build(e, seed = 3).Online
            let ctx = CampaignEngine.Context(m, ResponseModel m, kn, data, null, 2UL, 1, Online = online)
            let spec = CampaignSpec(Party = "Red", Budget = 30.0, Strategy = Strategy.Influencer, Objective = Objective.Votes, Channels = [| "owned-social" |])
            let turnout = Array.zeroCreate<float32> e.VoterCount
            let utility = Array.zeroCreate<float32> (e.VoterCount * e.PartyCount)
            let outcome = CampaignEngine.Run(ctx, spec, [| Channels.Get "owned-social" |], 0, turnout, utility)
            Expect.isGreaterThan outcome.Contacts 100L "posts reach voters"
            // Owned social is charged per delivered contact: the plan is exact in expectation, delivery is random.
            Expect.isLessThanOrEqual outcome.Spend (30.0 * 1.01) "within budget (1% for random delivery)"
            let reached = [| 0 .. e.VoterCount - 1 |] |> Array.filter (fun i -> turnout.[i] > 0.0f)
            // The influencers' posts reach their own ties at the ties' platform use, whatever their party; the online graph's
            // party homophily (ties by sincere vote) keeps them mostly among Red's voters.
            let share (xs: int[]) = (xs |> Array.filter (fun i -> e.SincereVote.[i] = 0y) |> Array.length |> float) / float xs.Length
            let population = share [| 0 .. e.VoterCount - 1 |]
            Expect.isGreaterThan (share reached) (1.5 * population) (sprintf "Red's voters: %.2f of the reached vs %.2f of voters" (share reached) population)
        }
        test "influencer seeding is refused through channels that are not social media" {
            let errors = CampaignSpec(Party = "Red", Budget = 1.0, Strategy = Strategy.Influencer, Channels = [| "tv" |]).Validate("$.c")
            Expect.exists errors (fun e -> e.Path = "$.c.channels") "names the channels"
        }
    ]

/// Custom audiences (MODEL.md §3): the platform matches only part of an uploaded voter file.
[<Tests>]
let customAudiences =
    testList "Campaigns.CustomAudiences" [
        test "the match rate is the regime's on average, rises with the digital footprint and falls with age" {
            let e = Workbench.Electorate.Electorates.Generate("classroom", Nullable 60000, Nullable 5, Nullable 2)
            let rate = 0.6
            let m = Workbench.Data.CustomAudienceMatch.Matched(e, rate, 9)
            let share (idx: int seq) = let a = Seq.toArray idx in float (a |> Array.filter (fun i -> m.[i]) |> Array.length) / float a.Length
            let n = e.VoterCount
            let mean = share (seq { 0 .. n - 1 })
            // Binomial SE at n = 60,000 is 0.002; the intercept is fitted on a subsample, so allow 4 SE.
            Expect.isLessThan (abs (mean - rate)) 0.008 $"mean match {mean:F4} vs {rate}"
            let byFootprint = [| 0 .. n - 1 |] |> Array.sortBy (fun i -> float e.DigitalFootprint.[i])
            let low = share byFootprint.[.. n / 4 - 1]
            let high = share byFootprint.[3 * n / 4 ..]
            Expect.isGreaterThan high (low + 0.2) $"top footprint quartile {high:F3} vs bottom {low:F3}"
            let young = share (seq { for i in 0 .. n - 1 do if e.Age.[i] < 35uy then yield i })
            let old = share (seq { for i in 0 .. n - 1 do if e.Age.[i] >= 65uy then yield i })
            Expect.isGreaterThan young old $"18–34 {young:F3} vs 65+ {old:F3}"
            Expect.isTrue (Workbench.Data.CustomAudienceMatch.Matched(e, 1.0, 9) |> Array.forall id) "rate 1: everyone"
            Expect.isFalse (Workbench.Data.CustomAudienceMatch.Matched(e, 0.0, 9) |> Array.exists id) "rate 0: no one"
            Expect.sequenceEqual (Workbench.Data.CustomAudienceMatch.Matched(e, rate, 9)) m "deterministic for a seed"
        }
        test "microtargeted paid social reaches matched voters one by one and unmatched voters through the platform's own audiences" {
            let e, m, regime, data, kn = setting 3 "us-like"
            Expect.isTrue regime.CustomAudiences "US-like allows custom audiences"
            let ctx = CampaignEngine.Context(m, ResponseModel m, kn, data, null, 4UL, 1)
            let mutable count = 0
            let mutable kind = ""
            let units = CampaignEngine.Units(ctx, Strategy.Microtarget, Channels.Get "paid-social", Array.init e.VoterCount float, &count, &kind)
            let matched = Workbench.Data.CustomAudienceMatch.Matched(e, regime.CustomAudienceMatchRate, 4)
            let split = CampaignEngine.SplitCustomAudienceKind kind
            Expect.isTrue split.HasValue $"a combined custom-audience kind: {kind}"
            let struct (platformKind, offset) = split.Value
            Expect.equal platformKind "constituency-age" "the unmatched voters' platform audiences"
            Expect.equal offset e.VoterCount "one custom-audience unit per voter without a minimum audience"
            for i in 0 .. e.VoterCount - 1 do
                if matched.[i] then Expect.equal units.[i] i "a matched voter is its own unit"
                else Expect.equal units.[i] (offset + int e.Constituency.[i] * 6 + Workbench.Electorate.ElectorateSpec.AgeBandOf(float e.Age.[i])) "an unmatched voter is in its constituency × age audience"
            Expect.equal count (offset + e.ConstituencyCount * 6) "unit count"
            let individually = float (units |> Array.filter (fun u -> u < offset) |> Array.length) / float e.VoterCount
            Expect.isLessThan (abs (individually - regime.CustomAudienceMatchRate)) 0.02 $"share reached individually {individually:F3}"
            Expect.isNone (CampaignEngine.SplitCustomAudienceKind "constituency-age" |> Option.ofNullable) "other kinds are not split"
        }
        test "a regime file can set the match rate, and an out-of-range rate is an error naming it" {
            let r = Workbench.Data.DataRegime.FromJson """{"name":"x","customAudienceMatchRate":0.3}"""
            Expect.equal r.CustomAudienceMatchRate 0.3 "parsed"
            let ex = Expect.throwsC (fun () -> Workbench.Data.DataRegime.FromJson """{"name":"x","customAudienceMatchRate":1.5}""" |> ignore) id
            Expect.stringContains ex.Message "customAudienceMatchRate" "names the field"
        }
    ]
